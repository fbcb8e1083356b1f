"""Options several commands share."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from scanner.output import Format, format_names

F = TypeVar("F", bound=Callable[..., Any])

state_option = click.option(
    "--state",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="POSTURE_STATE",
    help="History file (default: the XDG state directory; or POSTURE_STATE).",
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
