"""`posture history` (past scans, newest first), `history show ID`, `history import DOC…`
and `history verify` (the hash chain)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from rich.table import Table

from scanner.commands.options import config_option, format_option, state_option
from scanner.config import PostureConfig, load_config
from scanner.delivery import history_path
from scanner.errors import UsageError
from scanner.exit_codes import ExitCode
from scanner.history import HistoryStore
from scanner.history.importer import import_documents
from scanner.history.location import StateLocation
from scanner.history.verify import verify_chain
from scanner.models.enums import STATUS_ORDER
from scanner.output import EVERY_FORMAT, TABLE_OR_JSON, Format, parse_format, render
from scanner.terminal import clean, print_out, text


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
        click.echo(
            "[]" if out_format is Format.JSON else clean(f"No scans recorded in {path} yet.")
        )
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
        cells = (
            str(s.id),
            s.started_at.isoformat(timespec="seconds"),
            s.scope or "-",
            *(str(by.get(status, 0)) for status in STATUS_ORDER),
            "yes" if s.partial else "",
        )
        table.add_row(*(text(c) for c in cells))
    print_out(table)
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


@history_command.command("import")
@click.argument(
    "documents", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path)
)
@state_option
@config_option
@click.pass_context
def history_import(
    ctx: click.Context, documents: tuple[Path, ...], state: Path | None, config_path: Path | None
) -> ExitCode:
    """Record findings documents (`scan --format json`, from this or another machine).

    A document already recorded (the same `scan.id`) is skipped; one of schema 1.0 or 1.1 is
    upgraded (its id derived from its content). A bad file imports nothing.
    """
    config = load_config(config_path or ctx.obj["config_path"])
    path = history_path(config, state or ctx.obj["state"])
    with HistoryStore(path) as store:
        result = import_documents(store, documents, config.history.keep_scans)
    for file, uid, scan_id in result.imported:
        click.echo(f"imported {file}: scan {scan_id} ({uid})")
    for file, uid, scan_id in result.skipped:
        click.echo(f"skipped {file}: already recorded as scan {scan_id} ({uid})")
    for file in result.upgraded:
        click.echo(f"upgraded {file} to the current findings schema (it had no scan.id)", err=True)
    click.echo(
        f"{len(result.imported)} imported, {len(result.skipped)} already in {path}", err=True
    )
    return ExitCode.OK


@history_command.command("verify")
@state_option
@config_option
@click.pass_context
def history_verify(ctx: click.Context, state: Path | None, config_path: Path | None) -> ExitCode:
    """Check the history's hash chain per scope and read back every stored row.

    Exit 0 when every scan matches; 5 naming each scan that does not (edited, removed from
    between two scans, hash wiped, or a row that cannot be decoded).
    """
    config = load_config(config_path or ctx.obj["config_path"])
    with _open_history(config, state or ctx.obj["state"]) as store:
        report = verify_chain(store)
    for chain in sorted(report.scopes.values(), key=lambda c: c.scope):
        notes = []
        if chain.unchained:
            notes.append(f"{chain.unchained} recorded before the chain")
        if chain.starts_after_pruning:
            notes.append("starts after pruned scans")
        extra = f" ({'; '.join(notes)})" if notes else ""
        click.echo(
            f"{chain.scope or '(no accounts)'}: {chain.chained} of {chain.scans} scans chained, "
            f"head {chain.head or '-'}{extra}"
        )
    for problem in report.problems:
        click.echo(f"posture: history verify: {problem}", err=True)
    return ExitCode.OK if report.ok else ExitCode.TAMPERED
