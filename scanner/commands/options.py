"""Options several commands share."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from scanner.history.location import StateLocation, parse_state
from scanner.output import Format, format_names

F = TypeVar("F", bound=Callable[..., Any])

STATE_HELP = (
    "History: a SQLite file (default: in the XDG state directory) or postgresql://URL; "
    "or POSTURE_STATE."
)


def _state(ctx: click.Context, param: click.Parameter, value: str | None) -> StateLocation | None:
    return parse_state(value) if value else None


state_option = click.option(
    "--state", envvar="POSTURE_STATE", callback=_state, help=STATE_HELP, metavar="PATH|URL"
)
config_option = click.option(
    "--config",
    "config_path",
    envvar="POSTURE_CONFIG",
    type=click.Path(path_type=Path),
    help="posture.yaml (or POSTURE_CONFIG).",
)


def format_option(accepted: tuple[Format, ...], default: Format) -> Callable[[F], F]:
    """`--format` (into `fmt`), its help listing what the command writes."""
    return click.option(
        "--format",
        "fmt",
        default=default.value,
        show_default=True,
        help=f"{format_names(accepted)}.",
    )
