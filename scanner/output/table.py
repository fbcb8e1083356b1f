"""What a person at a terminal reads after a scan.

The default view is compact: the pass rate, a table of SOC 2 criteria, the failing counts per
provider, account and severity, then the findings grouped by account and check, each check's
title and remediation once with its resources under it. `details=True` lists every row
instead. Every text from the scanned accounts goes through scanner.terminal (`text`).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TextIO

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from scanner.document import Document
from scanner.models.enums import STATUS_ORDER, Severity, Status
from scanner.models.findings import Finding, ScanHeader
from scanner.terminal import clean, text

SEVERITY_STYLE = {
    Severity.CRITICAL: "bold white on red",
    Severity.HIGH: "bold red",
    Severity.MEDIUM: "yellow",
    Severity.LOW: "cyan",
    Severity.INFO: "dim",
}
_STATUS_STYLE = {
    Status.FAIL: "bold red",
    Status.ERROR: "magenta",
    Status.MUTED: "dim",
    Status.PASS: "green",
}
_SECTION_TITLE = {
    Status.FAIL: "Failing",
    Status.ERROR: "Not evaluated",
    Status.MUTED: "Muted by a waiver",
    Status.PASS: "Passing",
}
SEVERITIES_WORST_FIRST: tuple[Severity, ...] = tuple(
    sorted(Severity, key=lambda s: s.rank, reverse=True)
)
DEFAULT_STATUSES: frozenset[Status] = frozenset({Status.FAIL, Status.ERROR})
RESOURCES_PER_CHECK = 8
"""In the grouped view, a check lists this many resources and counts the rest."""

AccountKey = tuple[str, str]


@dataclass(frozen=True)
class View:
    """What the terminal shows: which statuses are listed, grouped or as every row."""

    statuses: frozenset[Status] = DEFAULT_STATUSES
    details: bool = False


DEFAULT_VIEW = View()


def account_names(header: ScanHeader) -> dict[AccountKey, str]:
    """(provider, account) to what a person calls it: "Contoso", not the tenant id."""
    return {(t.provider, t.account): clean(t.account_name or t.account) for t in header.targets}


def _cross_provider() -> str:
    from scanner.inventory.run import RUN_PROVIDER  # imports the provider registry: not at load

    return RUN_PROVIDER


CROSS_PROVIDER_LABEL = "across the scanned providers"
"""What the cross-provider checks' findings are grouped under (they belong to no one account)."""


def _label(names: Mapping[AccountKey, str], provider: str, account: str) -> str:
    if (provider, account) not in names and provider == _cross_provider():
        return CROSS_PROVIDER_LABEL
    return names.get((provider, account)) or clean(account)


def summary_line(doc: Document) -> str:
    s = doc.scan.summary
    counts = ", ".join(f"{n} {status.value}" for status, n in s.by_status.items())
    names = account_names(doc.scan)
    targets = ", ".join(f"{p}:{names[p, a]}" for p, a in names) or "nothing"
    partial = " PARTIAL: some data could not be collected." if doc.scan.partial else ""
    return clean(f"Scanned {targets}: {doc.scan.checks_run} checks, {counts}.{partial}")


def pass_rate_line(by_status: Mapping[Status, int]) -> str:
    passed, failed = by_status.get(Status.PASS, 0), by_status.get(Status.FAIL, 0)
    decided = passed + failed
    rate = f"{100 * passed / decided:.0f}%" if decided else "n/a"
    return (
        f"Pass rate {rate}: {passed} of {decided} results pass, {failed} fail; "
        f"{by_status.get(Status.MUTED, 0)} muted and "
        f"{by_status.get(Status.ERROR, 0)} not evaluated are not counted."
    )


def _criterion_key(criterion: str) -> tuple[object, ...]:
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", criterion))


@dataclass
class _Tally:
    """One pass over the findings: every count the summary shows, and the listed rows."""

    view: View
    criteria: dict[str, Counter[Status]] = field(default_factory=lambda: defaultdict(Counter))
    by_account: dict[AccountKey, Counter[Severity | Status]] = field(
        default_factory=lambda: defaultdict(Counter)
    )
    groups: dict[Status, dict[AccountKey, dict[str, list[Finding]]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    )
    counts: dict[tuple[Status, AccountKey, str], int] = field(default_factory=Counter)
    rows: dict[Status, list[Finding]] = field(default_factory=lambda: defaultdict(list))

    def add(self, f: Finding) -> None:
        for criterion in f.soc2:
            self.criteria[criterion][f.status] += 1
        key = (f.provider, f.account)
        account = self.by_account[key]
        account[f.status] += 1
        if f.status is Status.FAIL:
            account[f.severity] += 1
        if f.status not in self.view.statuses:
            return
        if self.view.details:
            self.rows[f.status].append(f)
            return
        self.counts[f.status, key, f.check_id] += 1
        kept = self.groups[f.status][key][f.check_id]
        if len(kept) < RESOURCES_PER_CHECK:
            kept.append(f)


def _where(f: Finding) -> Text:
    where = text(f.resource.name)
    if f.region:
        where.append(f" ({clean(f.region)})", style="dim")
    return where


def _criteria_table(criteria: Mapping[str, Counter[Status]]) -> Table:
    table = Table(title="SOC 2 criteria", title_justify="left", header_style="bold")
    table.add_column("criterion", no_wrap=True)
    for status in STATUS_ORDER:
        table.add_column(status.value, justify="right")
    for criterion in sorted(criteria, key=_criterion_key):
        counts = criteria[criterion]
        cells = [
            Text(
                str(counts[s]), style=_STATUS_STYLE[s] if counts[s] and s is not Status.PASS else ""
            )
            for s in STATUS_ORDER
        ]
        table.add_row(text(criterion), *cells)
    return table


def _accounts_table(
    by_account: Mapping[AccountKey, Counter[Severity | Status]], names: Mapping[AccountKey, str]
) -> Table:
    table = Table(
        title="Failing by provider, account and severity", title_justify="left", header_style="bold"
    )
    table.add_column("provider", no_wrap=True)
    table.add_column("account", overflow="fold")
    for severity in SEVERITIES_WORST_FIRST:
        table.add_column(severity.value, justify="right")
    table.add_column("pass", justify="right")
    table.add_column("error", justify="right")
    for key in sorted(by_account):
        counts = by_account[key]
        severities = [
            Text(str(counts[s]), style=SEVERITY_STYLE[s] if counts[s] else "")
            for s in SEVERITIES_WORST_FIRST
        ]
        table.add_row(
            text(key[0]),
            text(_label(names, *key)),
            *severities,
            str(counts[Status.PASS]),
            Text(str(counts[Status.ERROR]), style="magenta" if counts[Status.ERROR] else ""),
        )
    return table


def _severity_rank(findings: Sequence[Finding]) -> int:
    return -findings[0].severity.rank


def _grouped(
    status: Status,
    groups: Mapping[AccountKey, Mapping[str, list[Finding]]],
    counts: Mapping[tuple[Status, AccountKey, str], int],
    names: Mapping[AccountKey, str],
) -> list[RenderableType]:
    total = sum(n for (s, _, _), n in counts.items() if s is status)
    parts: list[RenderableType] = [
        Text(
            f"\n{_SECTION_TITLE[status]} ({total})", style=f"bold underline {_STATUS_STYLE[status]}"
        )
    ]
    for key in sorted(groups):
        provider, account = key
        heading = Text("\n")
        heading.append(f"{clean(provider)} · {_label(names, provider, account)}", style="bold")
        if _label(names, provider, account) != clean(account):
            heading.append(f" ({clean(account)})", style="dim")
        parts.append(heading)
        checks = groups[key]
        for check_id in sorted(checks, key=lambda c: (_severity_rank(checks[c]), c)):
            parts.extend(_check_block(status, checks[check_id], counts[status, key, check_id]))
    return parts


def _check_block(status: Status, findings: Sequence[Finding], count: int) -> list[RenderableType]:
    first = findings[0]
    line = Text("  ")
    line.append(f"{first.severity.value.upper():<8}", style=SEVERITY_STYLE[first.severity])
    line.append(f" {clean(first.title)}", style="bold")
    line.append(f"  {clean(first.check_id)}  ({count})", style="dim")
    parts: list[RenderableType] = [line]
    if status is Status.ERROR:
        for message in dict.fromkeys(clean(f.message) for f in findings):
            parts.append(_indented(Text(message, style="magenta")))
    elif status in (Status.FAIL, Status.MUTED):
        parts.append(_indented(Text(f"Fix: {clean(first.remediation)}", style="italic")))
    for f in findings:
        item = Text("- ")
        item.append_text(_where(f))
        if status is Status.MUTED and f.waiver is not None:
            item.append(f"  waived by {clean(f.waiver.owner)}", style="dim")
        parts.append(_indented(item))
    if count > len(findings):
        more = count - len(findings)
        parts.append(_indented(Text(f"... and {more} more (--details lists every row)", "dim")))
    return parts


def _indented(line: Text) -> Padding:
    return Padding(line, (0, 0, 0, 6), expand=False)


def _rows_table(status: Status, rows: Sequence[Finding], names: Mapping[AccountKey, str]) -> Table:
    many_accounts = len({(f.provider, f.account) for f in rows}) > 1 or len(names) > 1
    table = Table(
        title=f"{_SECTION_TITLE[status]} ({len(rows)})",
        title_justify="left",
        header_style="bold",
        expand=False,
    )
    table.add_column("severity", no_wrap=True)
    if many_accounts:
        table.add_column("account", overflow="fold", ratio=1)
    table.add_column("check", overflow="fold", ratio=2)
    table.add_column("resource", overflow="fold", ratio=2)
    table.add_column("message", overflow="fold", ratio=4)
    for f in rows:
        cells: list[RenderableType] = [text(f.severity.value, SEVERITY_STYLE[f.severity])]
        if many_accounts:
            cells.append(text(_label(names, f.provider, f.account)))
        cells += [text(f.check_id), _where(f), text(f.message)]
        table.add_row(*cells)
    return table


def _collection_errors(doc: Document, names: Mapping[AccountKey, str]) -> list[RenderableType]:
    if not doc.scan.errors:
        return []
    parts: list[RenderableType] = [Text("\nCollection errors:", style="bold magenta")]
    for e in doc.scan.errors:
        need = f" (needs {e.missing})" if e.missing else ""
        where = f" [{e.scope}]" if e.scope else ""
        account = _label(names, e.provider, e.account)
        parts.append(text(f"  {e.provider}:{account} {e.collection}{where}: {e.outcome}{need}"))
    return parts


def build(doc: Document, view: View = DEFAULT_VIEW, closing: Iterable[str] = ()) -> RenderableType:
    """The summary, the selected findings (grouped, or every row), the collection errors, the
    summary line and the `closing` lines (where the report and the history are)."""
    tally = _Tally(view)
    for f in doc.findings:
        tally.add(f)
    names = account_names(doc.scan)
    by_status = Counter({s: sum(c[s] for c in tally.by_account.values()) for s in STATUS_ORDER})
    parts: list[RenderableType] = [Text(pass_rate_line(by_status), style="bold")]
    if tally.criteria:
        parts.append(_criteria_table(tally.criteria))
    if tally.by_account:
        parts.append(_accounts_table(tally.by_account, names))
    listed = [s for s in STATUS_ORDER if s in view.statuses]
    for status in listed:
        if view.details and tally.rows[status]:
            parts.append(_rows_table(status, tally.rows[status], names))
        elif not view.details and tally.groups[status]:
            parts.extend(_grouped(status, tally.groups[status], tally.counts, names))
    if Status.FAIL in view.statuses and not by_status[Status.FAIL]:
        parts.append(Text("No failing findings.", style="green"))
    parts.extend(_collection_errors(doc, names))
    parts.append(Text("\n" + summary_line(doc), style="bold"))
    parts.extend(text(line, "dim") for line in closing)
    return Group(*parts)


def write(doc: Document, out: TextIO, width: int = 160) -> None:
    console = Console(file=out, width=width, color_system=None, force_terminal=False)
    console.print(build(doc))
