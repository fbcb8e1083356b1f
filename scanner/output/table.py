"""A readable table of what needs attention, for a person at a terminal."""

from __future__ import annotations

import io

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from scanner.models.enums import Severity, Status
from scanner.models.findings import FindingsDocument

_SEVERITY_STYLE = {
    Severity.CRITICAL: "bold white on red",
    Severity.HIGH: "bold red",
    Severity.MEDIUM: "yellow",
    Severity.LOW: "cyan",
    Severity.INFO: "dim",
}
_STATUS_STYLE = {
    Status.FAIL: "red",
    Status.ERROR: "magenta",
    Status.MUTED: "dim",
    Status.PASS: "green",
}


def summary_line(doc: FindingsDocument) -> str:
    s = doc.scan.summary
    counts = ", ".join(f"{n} {status.value}" for status, n in s.by_status.items())
    targets = ", ".join(f"{t.provider}:{t.account}" for t in doc.scan.targets) or "nothing"
    partial = " PARTIAL: some data could not be collected." if doc.scan.partial else ""
    return f"Scanned {targets}: {doc.scan.checks_run} checks, {counts}.{partial}"


def build(doc: FindingsDocument) -> RenderableType:
    table = Table(show_lines=False, header_style="bold", expand=False)
    for column in ("severity", "status", "check", "resource", "region", "message"):
        table.add_column(column, overflow="fold")
    shown = [f for f in doc.findings if f.status in (Status.FAIL, Status.ERROR)]
    for f in shown:
        table.add_row(
            Text(f.severity.value, style=_SEVERITY_STYLE[f.severity]),
            Text(f.status.value, style=_STATUS_STYLE[f.status]),
            f.check_id,
            f.resource.name,
            f.region or "-",
            f.message,
        )
    parts: list[RenderableType] = []
    if shown:
        parts.append(table)
    else:
        parts.append(Text("No failing findings.", style="green"))
    if doc.scan.errors:
        parts.append(Text("Collection errors:", style="bold magenta"))
        for e in doc.scan.errors:
            need = f" (needs {e.missing})" if e.missing else ""
            where = f" [{e.scope}]" if e.scope else ""
            parts.append(
                Text(f"  {e.provider}:{e.account} {e.collection}{where}: {e.outcome}{need}")
            )
    parts.append(Text(summary_line(doc), style="bold"))
    return Group(*parts)


def render(doc: FindingsDocument, width: int = 160) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None, force_terminal=False)
    console.print(build(doc))
    return buffer.getvalue()
