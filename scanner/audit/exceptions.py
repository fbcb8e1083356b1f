"""Failing episodes (exceptions): from the first scan a finding was open in to the scan that
resolved it, with the same meaning of *resolved* as `posture diff`.

A finding is open while it fails or is muted (a waiver accepts a problem, it does not fix
it). An episode ends only in a scan that evaluated the finding and found it passing, or found
its resource gone; a scan that could not evaluate it (an error, a failed collection, the check
not run) leaves the episode open. Scopes are followed separately, each in time order.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from scanner.audit.window import day_of
from scanner.config.audit import RemediationSla
from scanner.diff import OPEN, diff
from scanner.models.enums import Severity
from scanner.models.findings import Finding, FindingsDocument, ScanHeader

COLUMNS = (
    "fingerprint",
    "check_id",
    "account",
    "resource",
    "severity",
    "first_failed",
    "resolved",
    "days_open",
    "sla_days",
    "within_sla",
)


@dataclass(frozen=True)
class Episode:
    finding: Finding
    """As last seen open."""
    first_failed: datetime
    resolved: datetime | None = None
    resolved_by: str | None = None
    """The scan that resolved it."""

    @property
    def severity(self) -> Severity:
        return self.finding.severity

    def days_open(self, end: date) -> int:
        """Calendar days from the first failing day to the resolving day (or the window end)."""
        until = day_of(self.resolved) if self.resolved else end
        return (until - day_of(self.first_failed)).days

    def row(self, end: date, sla: RemediationSla) -> dict[str, str]:
        days = self.days_open(end)
        limit = sla.days(self.severity)
        f = self.finding
        return {
            "fingerprint": f.fingerprint,
            "check_id": f.check_id,
            "account": f.account,
            "resource": f.resource.uid,
            "severity": f.severity.value,
            "first_failed": _stamp(self.first_failed),
            "resolved": _stamp(self.resolved) if self.resolved else "",
            "days_open": str(days),
            "sla_days": "" if limit is None else str(limit),
            "within_sla": "" if limit is None else str(days <= limit).lower(),
        }


def _stamp(when: datetime) -> str:
    return when.isoformat(timespec="seconds")


@dataclass
class _ScopeTrail:
    header: ScanHeader | None = None
    open: dict[str, Episode] = field(default_factory=dict)


@dataclass
class Exceptions:
    """Fed every scan of the window in time order; `episodes()` once all are in."""

    _trails: dict[str, _ScopeTrail] = field(default_factory=dict)
    _closed: list[Episode] = field(default_factory=list)

    def add(self, scope: str, doc: FindingsDocument, scan_name: str) -> None:
        trail = self._trails.setdefault(scope, _ScopeTrail())
        first_scan = trail.header is None
        previous = (
            FindingsDocument(
                scan=trail.header, findings=tuple(e.finding for e in trail.open.values())
            )
            if trail.header is not None
            else None
        )
        changes = diff(previous, doc)
        started = doc.scan.started_at
        for f in changes.resolved:
            episode = trail.open.pop(f.fingerprint)
            self._closed.append(replace(episode, resolved=started, resolved_by=scan_name))
        for f in doc.findings:
            if f.status not in OPEN:
                continue
            known = trail.open.get(f.fingerprint)
            if known is None:
                # Open in the window's first scan: the history's first_seen says since when.
                since = min(f.first_seen, started) if first_scan else started
                trail.open[f.fingerprint] = Episode(f, since)
            else:
                trail.open[f.fingerprint] = replace(known, finding=f)
        trail.header = doc.scan

    def episodes(self) -> list[Episode]:
        still = [e for t in self._trails.values() for e in t.open.values()]
        return sorted([*self._closed, *still], key=_order)

    def __iter__(self) -> Iterator[Episode]:
        return iter(self.episodes())


def _order(e: Episode) -> tuple[datetime, str, str]:
    return (e.first_failed, e.finding.check_id, e.finding.fingerprint)
