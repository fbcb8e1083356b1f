"""A diff between two scans, as JSON (an object of lists) or as a table for people."""

from __future__ import annotations

import io
import json
from collections.abc import Mapping, Sequence

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from scanner.diff import FindingsDiff
from scanner.models.enums import Status
from scanner.models.findings import Finding


def render_json(changes: FindingsDiff) -> str:
    payload = {
        "new": [f.model_dump(mode="json") for f in changes.new],
        "resolved": [f.model_dump(mode="json") for f in changes.resolved],
        "unchanged": [f.model_dump(mode="json") for f in changes.unchanged],
        "not_evaluated": [f.model_dump(mode="json") for f in changes.not_evaluated],
        "not_evaluated_before": [f.model_dump(mode="json") for f in changes.not_evaluated_before],
    }
    return json.dumps(payload, indent=2) + "\n"


def summary_line(changes: FindingsDiff) -> str:
    widened = (
        f", {len(changes.not_evaluated_before)} not evaluated before"
        if changes.not_evaluated_before
        else ""
    )
    return (
        f"{len(changes.new)} new, {len(changes.resolved)} resolved, "
        f"{len(changes.unchanged)} unchanged, {len(changes.not_evaluated)} not evaluated"
        f"{widened}"
    )


def _section(
    title: str,
    findings: Sequence[Finding],
    style: str,
    status_now: Mapping[str, Status | None] | None = None,
) -> list[RenderableType]:
    """`status_now` (resolved findings): show the newer scan's state, not the old failure."""
    if not findings:
        return []
    table = Table(header_style="bold", title=f"{title} ({len(findings)})", title_style=style)
    for column in ("severity", "status", "check", "account", "resource", "message"):
        table.add_column(column, overflow="fold")
    for f in findings:
        if status_now is None:
            status, message = f.status.value, f.message
        else:
            now = status_now.get(f.fingerprint)
            status = now.value if now else "gone"
            message = "passes now" if now else "the resource is no longer there"
        table.add_row(f.severity.value, status, f.check_id, f.account, f.resource.name, message)
    return [table]


def build(changes: FindingsDiff) -> RenderableType:
    parts: list[RenderableType] = [
        *_section("New", changes.new, "bold red"),
        *_section("Resolved", changes.resolved, "bold green", changes.resolved_now),
        *_section("Not evaluated this time (not resolved)", changes.not_evaluated, "magenta"),
        *_section(
            "Not evaluated before (the scope was widened; not new)",
            changes.not_evaluated_before,
            "cyan",
        ),
        Text(summary_line(changes) + ".", style="bold"),
    ]
    return Group(*parts)


def render_table(changes: FindingsDiff, width: int = 160) -> str:
    buffer = io.StringIO()
    Console(file=buffer, width=width, color_system=None, force_terminal=False).print(build(changes))
    return buffer.getvalue()
