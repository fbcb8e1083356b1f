"""`posture waivers`: every waiver in the config, and what it did in the last scan."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
from rich.table import Table

from checks.registry import all_checks
from scanner.commands.options import config_option, format_option, state_option
from scanner.config import load_config
from scanner.delivery import check_suppressions, history_path
from scanner.exit_codes import ExitCode
from scanner.history import HistoryStore
from scanner.history.location import StateLocation
from scanner.models.enums import Status
from scanner.models.findings import FindingsDocument
from scanner.output import TABLE_OR_JSON, Format, parse_format
from scanner.terminal import print_out, text
from scanner.waivers import WaiverState, apply_waivers, is_live


def _unmuted(doc: FindingsDocument) -> FindingsDocument:
    findings = tuple(
        f.model_copy(update={"status": Status.FAIL, "waiver": None})
        if f.status is Status.MUTED
        else f
        for f in doc.findings
    )
    return doc.model_copy(update={"findings": findings})


@click.command("waivers")
@config_option
@state_option
@format_option(TABLE_OR_JSON, Format.TABLE)
def waivers_command(config_path: Path | None, state: StateLocation | None, fmt: str) -> ExitCode:
    """Every waiver in the config: owner, reason, expiry, and its use in the last scan."""
    out_format = parse_format(fmt, TABLE_OR_JSON)
    config = load_config(config_path)
    check_suppressions(config, tuple(c.id for c in all_checks()))
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
    if out_format is Format.JSON:
        body = {
            "as_of": today.isoformat(),
            "last_scan": latest.scan.started_at.isoformat() if latest else None,
            "waivers": rows,
        }
        click.echo(json.dumps(body, indent=2))
        return ExitCode.OK
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
        cells = (
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
        table.add_row(*(text(c) for c in cells))
    print_out(table)
    if not rows:
        click.echo("No waivers configured.")
    return ExitCode.OK


def _days(n: int) -> str:
    return f"{n} days left" if n >= 0 else f"expired {-n} days ago"
