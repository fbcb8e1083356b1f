"""The nightly-run side of the CLI: scan delivery, `posture history`, `diff`, `waivers`."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from scanner import logs
from scanner.config import PostureConfig, load_config
from scanner.delivery import (
    EXIT_DELIVERY,
    OutputTarget,
    build_sinks,
    check_suppressions,
    history_path,
    output_targets,
    prepare,
    sink_problems,
    write_outputs,
)
from scanner.diff import diff
from scanner.document import Document
from scanner.errors import UsageError
from scanner.history import HistoryStore
from scanner.models.enums import Severity, Status
from scanner.models.findings import FindingsDocument
from scanner.output import Format, diff_format, render, write
from scanner.output import table as table_output
from scanner.scan import exit_code
from scanner.sinks import SinkFactory, run_sinks
from scanner.waivers import WaiverState, apply_waivers, is_live

EXIT_OK = 0
SUPPORTED_MAJOR = "1."


@dataclass(frozen=True)
class NightlyOptions:
    outputs: tuple[OutputTarget, ...]
    state: Path | None
    record: bool
    since_last: bool
    sinks: tuple[tuple[str, SinkFactory], ...]


def nightly_options(
    config: PostureConfig,
    out_format: Format,
    outputs: tuple[str, ...],
    state: Path | None,
    no_history: bool,
    since_last: bool,
    tickets: tuple[str, ...],
    known_check_ids: tuple[str, ...],
) -> NightlyOptions:
    """Validates everything the delivery needs before the (long) scan starts."""
    record = config.history.enabled and not no_history
    if since_last and not record:
        raise UsageError("--since-last compares with the history: drop --no-history")
    check_suppressions(config, known_check_ids)
    if record and history_path(config, state).is_dir():
        raise UsageError(f"--state {history_path(config, state)} is a directory, not a file")
    return NightlyOptions(
        outputs=tuple(output_targets(outputs, out_format, config)),
        state=state,
        record=record,
        since_last=since_last,
        sinks=tuple(build_sinks(config, tickets)),
    )


def finish_scan(
    doc: Document,
    config: PostureConfig,
    opts: NightlyOptions,
    out_format: Format,
    format_given: bool,
    threshold: Severity,
    quiet: bool,
) -> int:
    prepared = prepare(doc, config, opts.state, opts.record)
    doc = prepared.document
    write_outputs(doc, opts.outputs)
    if opts.since_last:
        if not quiet:
            if prepared.previous is None:
                logs.notice("posture: no earlier scan of these accounts; all open findings are new")
            if out_format is Format.JSON:
                click.echo(diff_format.render_json(prepared.changes), nl=False)
            elif Console().is_terminal:
                Console().print(diff_format.build(prepared.changes))
            else:
                click.echo(diff_format.render_table(prepared.changes), nl=False)
    elif opts.outputs:
        if not quiet:
            logs.notice(table_output.summary_line(doc))
    elif quiet:
        if format_given and out_format is not Format.TABLE:
            write(doc, out_format, sys.stdout)
    elif out_format is Format.TABLE and Console().is_terminal:
        Console().print(table_output.build(doc))
    else:
        write(doc, out_format, sys.stdout)
    sys.stdout.flush()
    reports = run_sinks(opts.sinks, doc, prepared.changes)
    if not quiet:
        for r in reports:
            if r.ok:
                logs.notice(f"posture: {r.describe()}")
    problems = prepared.problems + sink_problems(reports)
    code = exit_code(doc, threshold)
    if problems:
        code = EXIT_DELIVERY
    if quiet and code != EXIT_OK:
        logs.notice(table_output.summary_line(doc))
    return code


# -- posture diff ------------------------------------------------------------------------------


def read_document(path: Path) -> FindingsDocument:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{path}: {exc.strerror or exc}") from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{path}: not JSON (line {exc.lineno})") from None
    version = raw.get("schema_version", "") if isinstance(raw, dict) else ""
    if not str(version).startswith(SUPPORTED_MAJOR):
        raise UsageError(
            f"{path}: not a posture findings document of schema 1.x (use --format json)"
        )
    try:
        return FindingsDocument.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise UsageError(
            f"{path}: not a posture findings document ({where}: {first['msg']})"
        ) from None


@click.command("diff")
@click.argument("old", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("new", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", default="table", show_default=True, help="table or json.")
def diff_command(old: Path, new: Path, fmt: str) -> int:
    """What changed between two `--format json` documents: new, resolved, unchanged.

    A finding the newer scan could not evaluate (its collection failed, its account, region or
    check was not scanned) is listed as not evaluated, never as resolved.
    """
    if fmt not in ("table", "json"):
        raise UsageError(f"unknown format {fmt!r} (expected one of: table, json)")
    changes = diff(read_document(old), read_document(new))
    if fmt == "json":
        click.echo(diff_format.render_json(changes), nl=False)
    elif Console().is_terminal:
        Console().print(diff_format.build(changes))
    else:
        click.echo(diff_format.render_table(changes), nl=False)
    return EXIT_OK


# -- posture history ---------------------------------------------------------------------------

_state_option = click.option(
    "--state",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="POSTURE_STATE",
    help="History file (default: the XDG state directory; or POSTURE_STATE).",
)
_config_option = click.option(
    "--config",
    "config_path",
    envvar="POSTURE_CONFIG",
    type=click.Path(path_type=Path),
    help="posture.yaml (or POSTURE_CONFIG).",
)


def _open_history(config: PostureConfig, state: Path | None) -> HistoryStore:
    path = history_path(config, state)
    if not path.exists():
        raise UsageError(f"no history at {path} yet: run `posture scan` first")
    return HistoryStore(path, read_only=True)


@click.group("history", invoke_without_command=True)
@_state_option
@_config_option
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 10_000))
@click.option("--format", "fmt", default="table", show_default=True, help="table or json.")
@click.pass_context
def history_command(
    ctx: click.Context, state: Path | None, config_path: Path | None, limit: int, fmt: str
) -> int:
    """List past scans (newest first)."""
    ctx.ensure_object(dict)
    ctx.obj["state"], ctx.obj["config_path"] = state, config_path
    if ctx.invoked_subcommand is not None:
        return EXIT_OK
    if fmt not in ("table", "json"):
        raise UsageError(f"unknown format {fmt!r} (expected one of: table, json)")
    path = history_path(load_config(config_path), state)
    if not path.exists():
        click.echo("[]" if fmt == "json" else f"No scans recorded in {path} yet.")
        return EXIT_OK
    with HistoryStore(path, read_only=True) as store:
        scans = store.scans(limit)
    if fmt == "json":
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
        return EXIT_OK
    table = Table(header_style="bold")
    for column in ("id", "started", "accounts", "fail", "error", "muted", "pass", "partial"):
        table.add_column(column, overflow="fold")
    for s in scans:
        by = s.summary.by_status
        table.add_row(
            str(s.id),
            s.started_at.isoformat(timespec="seconds"),
            s.scope or "-",
            str(by.get(Status.FAIL, 0)),
            str(by.get(Status.ERROR, 0)),
            str(by.get(Status.MUTED, 0)),
            str(by.get(Status.PASS, 0)),
            "yes" if s.partial else "",
        )
    Console(width=None if sys.stdout.isatty() else 200).print(table)
    return EXIT_OK


@history_command.command("show")
@click.argument("scan_id", type=int)
@click.option("--format", "fmt", default="json", show_default=True)
@click.pass_context
def history_show(ctx: click.Context, scan_id: int, fmt: str) -> int:
    """Print a recorded scan's document (e.g. to feed `posture diff`)."""
    try:
        out_format = Format(fmt.lower())
    except ValueError:
        allowed = ", ".join(f.value for f in Format)
        raise UsageError(f"unknown format {fmt!r} (expected one of: {allowed})") from None
    config = load_config(ctx.obj["config_path"])
    with _open_history(config, ctx.obj["state"]) as store:
        doc = store.document(scan_id)
    click.echo(render(doc, out_format), nl=False)
    return EXIT_OK


# -- posture waivers ---------------------------------------------------------------------------


def _unmuted(doc: FindingsDocument) -> FindingsDocument:
    findings = tuple(
        f.model_copy(update={"status": Status.FAIL, "waiver": None})
        if f.status is Status.MUTED
        else f
        for f in doc.findings
    )
    return doc.model_copy(update={"findings": findings})


@click.command("waivers")
@_config_option
@_state_option
@click.option("--format", "fmt", default="table", show_default=True, help="table or json.")
def waivers_command(config_path: Path | None, state: Path | None, fmt: str) -> int:
    """Every waiver in the config: owner, reason, expiry, and its use in the last scan."""
    if fmt not in ("table", "json"):
        raise UsageError(f"unknown format {fmt!r} (expected one of: table, json)")
    config = load_config(config_path)
    today = datetime.now(UTC).date()
    latest: FindingsDocument | None = None
    path = history_path(config, state)
    if config.suppressions and path.exists():
        with HistoryStore(path, read_only=True) as store:
            latest = store.latest()
    uses = apply_waivers(_unmuted(latest), config.suppressions, today)[1] if latest else None
    rows: list[dict[str, Any]] = []
    for i, s in enumerate(config.suppressions):
        use = uses[i] if uses else None
        state_name = (
            use.state.value
            if use
            else (WaiverState.LIVE.value if is_live(s, today) else WaiverState.EXPIRED.value)
        )
        rows.append(
            {
                "index": i,
                "check": s.check,
                "resource": s.resource,
                "account": s.account,
                "reason": s.reason,
                "owner": s.owner,
                "expires": s.expires.isoformat(),
                "days_left": (s.expires - today).days,
                "state": state_name,
                "matched_last_scan": use.matched if use else None,
            }
        )
    if fmt == "json":
        body = {
            "as_of": today.isoformat(),
            "last_scan": latest.scan.started_at.isoformat() if latest else None,
            "waivers": rows,
        }
        click.echo(json.dumps(body, indent=2))
        return EXIT_OK
    table = Table(header_style="bold", title=f"Waivers as of {today.isoformat()}")
    for column in (
        "#",
        "check",
        "resource",
        "account",
        "owner",
        "reason",
        "expires",
        "state",
        "matched",
    ):
        table.add_column(column, overflow="fold")
    for r in rows:
        table.add_row(
            str(r["index"]),
            r["check"] or "*",
            r["resource"] or "*",
            r["account"] or "*",
            r["owner"],
            r["reason"],
            f"{r['expires']} ({_days(r['days_left'])})",
            r["state"],
            "-" if r["matched_last_scan"] is None else str(r["matched_last_scan"]),
        )
    Console(width=None if sys.stdout.isatty() else 200).print(table)
    if not rows:
        click.echo("No waivers configured.")
    return EXIT_OK


def _days(n: int) -> str:
    return f"{n} days left" if n >= 0 else f"expired {-n} days ago"
