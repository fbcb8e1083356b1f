"""A readable table of what needs attention, for a person at a terminal."""

from __future__ import annotations

from typing import TextIO

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from scanner.document import Document
from scanner.models.enums import Severity, Status
from scanner.models.findings import Finding

_SEVERITY_STYLE = {
    Severity.CRITICAL: "bold white on red",
    Severity.HIGH: "bold red",
    Severity.MEDIUM: "yellow",
    Severity.LOW: "cyan",
    Severity.INFO: "dim",
}


def summary_line(doc: Document) -> str:
    s = doc.scan.summary
    counts = ", ".join(f"{n} {status.value}" for status, n in s.by_status.items())
    targets = ", ".join(f"{t.provider}:{t.account}" for t in doc.scan.targets) or "nothing"
    partial = " PARTIAL: some data could not be collected." if doc.scan.partial else ""
    return f"Scanned {targets}: {doc.scan.checks_run} checks, {counts}.{partial}"


def _where(f: Finding) -> str:
    return f"{f.resource.name} ({f.region})" if f.region else f.resource.name


def _table(title: str, rows: list[Finding]) -> Table:
    table = Table(title=title, title_justify="left", header_style="bold", expand=False)
    table.add_column("severity", no_wrap=True)
    table.add_column("check", overflow="fold", ratio=2)
    table.add_column("resource", overflow="fold", ratio=2)
    table.add_column("message", overflow="fold", ratio=4)
    for f in rows:
        table.add_row(
            Text(f.severity.value, style=_SEVERITY_STYLE[f.severity]),
            f.check_id,
            _where(f),
            f.message,
        )
    return table


def build(doc: Document) -> RenderableType:
    # A terminal table is read by a person: it holds the failing and unevaluated rows only.
    failing: list[Finding] = []
    errors: list[Finding] = []
    for f in doc.findings:
        if f.status is Status.FAIL:
            failing.append(f)
        elif f.status is Status.ERROR:
            errors.append(f)
    parts: list[RenderableType] = []
    if failing:
        parts.append(_table(f"Failing ({len(failing)})", failing))
    else:
        parts.append(Text("No failing findings.", style="green"))
    if errors:
        parts.append(_table(f"Not evaluated ({len(errors)})", errors))
    if doc.scan.errors:
        parts.append(Text("Collection errors:", style="bold magenta"))
        for e in doc.scan.errors:
            need = f" (needs {e.missing})" if e.missing else ""
            where = f" [{e.scope}]" if e.scope else ""
            line = f"  {e.provider}:{e.account} {e.collection}{where}: {e.outcome}{need}"
            parts.append(Text(line))
    parts.append(Text(summary_line(doc), style="bold"))
    return Group(*parts)


def write(doc: Document, out: TextIO, width: int = 160) -> None:
    console = Console(file=out, width=width, color_system=None, force_terminal=False)
    console.print(build(doc))
