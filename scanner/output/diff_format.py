"""A diff between two scans, as JSON (an object of lists) or as a table for people."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from scanner.diff import FindingsDiff
from scanner.models.findings import Finding


def render_json(changes: FindingsDiff) -> str:
    payload = {
        "new": [f.model_dump(mode="json") for f in changes.new],
        "resolved": [f.model_dump(mode="json") for f in changes.resolved],
        "unchanged": [f.model_dump(mode="json") for f in changes.unchanged],
        "not_evaluated": [f.model_dump(mode="json") for f in changes.not_evaluated],
    }
    return json.dumps(payload, indent=2) + "\n"


def summary_line(changes: FindingsDiff) -> str:
    return (
        f"{len(changes.new)} new, {len(changes.resolved)} resolved, "
        f"{len(changes.unchanged)} unchanged, {len(changes.not_evaluated)} not evaluated"
    )


def _section(title: str, findings: Sequence[Finding], style: str) -> list[RenderableType]:
    if not findings:
        return []
    table = Table(header_style="bold", title=f"{title} ({len(findings)})", title_style=style)
    for column in ("severity", "status", "check", "account", "resource", "message"):
        table.add_column(column, overflow="fold")
    for f in findings:
        table.add_row(
            f.severity.value, f.status.value, f.check_id, f.account, f.resource.name, f.message
        )
    return [table]


def build(changes: FindingsDiff) -> RenderableType:
    parts: list[RenderableType] = [
        *_section("New", changes.new, "bold red"),
        *_section("Resolved", changes.resolved, "bold green"),
        *_section("Not evaluated this time (not resolved)", changes.not_evaluated, "magenta"),
        Text(summary_line(changes) + ".", style="bold"),
    ]
    return Group(*parts)


def render_table(changes: FindingsDiff, width: int = 160) -> str:
    buffer = io.StringIO()
    Console(file=buffer, width=width, color_system=None, force_terminal=False).print(build(changes))
    return buffer.getvalue()
