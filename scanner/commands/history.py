"""`posture history` (past scans, newest first) and `posture history show ID`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from scanner.commands.options import config_option, format_option, state_option
from scanner.config import PostureConfig, load_config
from scanner.delivery import history_path
from scanner.errors import UsageError
from scanner.exit_codes import ExitCode
from scanner.history import HistoryStore
from scanner.history.location import StateLocation
from scanner.models.enums import STATUS_ORDER
from scanner.output import EVERY_FORMAT, TABLE_OR_JSON, Format, parse_format, render


def _open_history(config: PostureConfig, state: StateLocation | None) -> HistoryStore:
    path = history_path(config, state)
    if not path.exists():
        raise UsageError(f"no history at {path} yet: run `posture scan` first")
    return HistoryStore(path, read_only=True)


@click.group("history", invoke_without_command=True)
@state_option
@config_option
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 10_000))
@format_option(TABLE_OR_JSON, Format.TABLE)
@click.pass_context
def history_command(
    ctx: click.Context, state: StateLocation | None, config_path: Path | None, limit: int, fmt: str
) -> ExitCode:
    """List past scans (newest first)."""
    ctx.ensure_object(dict)
    ctx.obj["state"], ctx.obj["config_path"] = state, config_path
    if ctx.invoked_subcommand is not None:
        return ExitCode.OK
    out_format = parse_format(fmt, TABLE_OR_JSON)
    path = history_path(load_config(config_path), state)
    if not path.exists():
        click.echo("[]" if out_format is Format.JSON else f"No scans recorded in {path} yet.")
        return ExitCode.OK
    with HistoryStore(path, read_only=True) as store:
        scans = store.scans(limit)
    if out_format is Format.JSON:
        payload: list[dict[str, Any]] = [
            {
                "id": s.id,
                "started_at": s.started_at.isoformat(),
                "finished_at": s.finished_at.isoformat(),
                "scope": s.scope.split(",") if s.scope else [],
                "partial": s.partial,
                "summary": s.summary.model_dump(mode="json"),
            }
            for s in scans
        ]
        click.echo(json.dumps(payload, indent=2))
        return ExitCode.OK
    table = Table(header_style="bold")
    for column in ("id", "started", "accounts", *(s.value for s in STATUS_ORDER), "partial"):
        table.add_column(column, overflow="fold")
    for s in scans:
        by = s.summary.by_status
        table.add_row(
            str(s.id),
            s.started_at.isoformat(timespec="seconds"),
            s.scope or "-",
            *(str(by.get(status, 0)) for status in STATUS_ORDER),
            "yes" if s.partial else "",
        )
    Console(width=None if sys.stdout.isatty() else 200).print(table)
    return ExitCode.OK


@history_command.command("show")
@click.argument("scan_id", type=int)
@format_option(EVERY_FORMAT, Format.JSON)
@click.pass_context
def history_show(ctx: click.Context, scan_id: int, fmt: str) -> ExitCode:
    """Print a recorded scan's document (e.g. to feed `posture diff`)."""
    out_format = parse_format(fmt)
    config = load_config(ctx.obj["config_path"])
    with _open_history(config, ctx.obj["state"]) as store:
        doc = store.document(scan_id)
    click.echo(render(doc, out_format), nl=False)
    return ExitCode.OK
