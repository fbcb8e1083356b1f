"""One pass over the window's scans (each document read once, oldest first) that gathers
everything the pack and the report show: days, per-check coverage, exceptions, waivers,
populations and the slice of the hash chain that covers the window."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from scanner.audit.coverage import CheckDays, Coverage, ScanDigest
from scanner.audit.exceptions import Episode, Exceptions
from scanner.audit.populations import Member, Populations, population
from scanner.audit.waiver_log import WaiverEntry, WaiverLog
from scanner.audit.window import Window, day_of, in_window, last_of_each_day, scan_name
from scanner.config.audit import RemediationSla
from scanner.config.suppressions import Suppression
from scanner.history.store import ChainLink, HistoryStore
from scanner.history.verify import Problem, verify_chain


@dataclass(frozen=True)
class DayEntry:
    day: date
    scans: tuple[str, ...]
    """Every scan that started that day (UTC), oldest first."""
    counted: tuple[str, ...]
    """The last scan of each scope that day: the ones its verdicts rest on."""
    complete: bool
    """Every scope of the window was scanned that day and none of those last scans was partial."""

    def as_json(self) -> dict[str, object]:
        return {
            "date": self.day.isoformat(),
            "scans": list(self.scans),
            "complete": self.complete,
            "counted": list(self.counted),
        }


@dataclass
class WindowEvidence:
    window: Window
    scopes: tuple[str, ...]
    sla: RemediationSla
    days: list[DayEntry] = field(default_factory=list)
    checks: list[CheckDays] = field(default_factory=list)
    episodes: list[Episode] = field(default_factory=list)
    waivers: list[WaiverEntry] = field(default_factory=list)
    populations: Populations = field(default_factory=Populations)
    scans: list[ChainLink] = field(default_factory=list)
    chain: list[ChainLink] = field(default_factory=list)
    """The window's scans in recording order, with the scan before it in each scope."""
    chain_problems: list[Problem] = field(default_factory=list)

    @property
    def days_without_scan(self) -> list[date]:
        return [d.day for d in self.days if not d.scans]

    @property
    def incomplete_days(self) -> list[date]:
        return [d.day for d in self.days if d.scans and not d.complete]


def chain_slice(links: Sequence[ChainLink], chosen: Sequence[ChainLink]) -> list[ChainLink]:
    """Per scope, every link from the one before the window's first scan to its last."""
    out: list[ChainLink] = []
    for scope in sorted({link.scope for link in chosen}):
        ids = [link.id for link in chosen if link.scope == scope]
        mine = [link for link in links if link.scope == scope]
        before = [link for link in mine if link.id < min(ids)]
        out.extend(before[-1:])
        out.extend(link for link in mine if min(ids) <= link.id <= max(ids))
    return out


def gather(
    store: HistoryStore,
    window: Window,
    wanted: Sequence[str] = (),
    sla: RemediationSla | None = None,
    suppressions: Sequence[Suppression] = (),
    catalogue: Mapping[str, tuple[str, ...]] | None = None,
) -> WindowEvidence:
    links = store.chain()
    chosen = in_window(links, window, wanted)
    scopes = tuple(sorted({link.scope for link in chosen}))
    chain = chain_slice(links, chosen)
    problems = verify_chain(store, chain).problems
    # An unreadable scan is named by the chain check and left out of everything else.
    unreadable = {p.scan_id for p in problems if p.unreadable}
    chosen = [link for link in chosen if link.id not in unreadable]
    evidence = WindowEvidence(window, scopes, sla or RemediationSla(), scans=chosen)
    evidence.chain, evidence.chain_problems = chain, problems
    last = last_of_each_day(chosen)
    coverage = Coverage(window.days, dict(catalogue or {}))
    exceptions = Exceptions()
    waivers = WaiverLog(window, suppressions)
    day_members: dict[tuple[str, str, str, str], tuple[Member, str]] = {}
    day_sources: list[str] = []
    current: date | None = None

    def flush() -> None:
        if current is not None and day_sources:
            evidence.populations.add(current, day_members, " ".join(day_sources))

    for link in chosen:
        doc = store.document(link.id)
        name = scan_name(link)
        day = day_of(link.started_at)
        if day != current:
            flush()
            current, day_members, day_sources = day, {}, []
        exceptions.add(link.scope, doc, name)
        waivers.add(doc.findings, doc.scan.started_at)
        if last.get((day, link.scope)) is link:
            coverage.add(day, ScanDigest.of(doc.scan, doc.findings))
            if not link.partial:
                # A partial scan misses resources: it would make members leave and rejoin.
                day_sources.append(name)
                for key, member in population(doc.findings).items():
                    day_members.setdefault(key, (member, name))
    flush()
    by_day: dict[date, list[ChainLink]] = {}
    for link in chosen:
        by_day.setdefault(day_of(link.started_at), []).append(link)
    for day in window.days:
        started = by_day.get(day, [])
        counted = [last[(day, s)] for s in scopes if (day, s) in last]
        complete = (
            len(counted) == len(scopes)
            and bool(counted)
            and not any(link.partial for link in counted)
        )
        evidence.days.append(
            DayEntry(
                day,
                tuple(scan_name(link) for link in started),
                tuple(scan_name(link) for link in counted),
                complete,
            )
        )
    evidence.checks = coverage.checks()
    evidence.episodes = exceptions.episodes()
    evidence.waivers = waivers.entries()
    return evidence
