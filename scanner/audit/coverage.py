"""Per day and per check: evaluated, failing, waived, not evaluated, or no scan at all.

A day's verdict for a check rests on the last scan of that day of each scope. The check
*failed* that day when any of its findings failed in one of those scans; it was *waived* when
none failed but one was muted by a waiver; *evaluated* when it gave a pass, fail or muted
result (or ran and found nothing to examine); *not evaluated* when it gave only error results
or did not run; and the day is *without scan* when no scan at all started on it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from scanner.models.enums import Status
from scanner.models.findings import Finding, ScanHeader


class DayState(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    WAIVED = "waived"
    NOT_EVALUATED = "not_evaluated"
    NO_SCAN = "no_scan"


@dataclass(frozen=True)
class ScanDigest:
    """What one scan said about each check: the statuses of its findings."""

    statuses: Mapping[str, frozenset[Status]]
    ran: frozenset[str]
    soc2: Mapping[str, tuple[str, ...]]

    @classmethod
    def of(cls, header: ScanHeader, findings: Iterable[Finding]) -> ScanDigest:
        statuses: dict[str, set[Status]] = defaultdict(set)
        soc2: dict[str, tuple[str, ...]] = {}
        for f in findings:
            statuses[f.check_id].add(f.status)
            soc2.setdefault(f.check_id, f.soc2)
        ran = frozenset(header.check_ids) or frozenset(statuses)
        return cls({k: frozenset(v) for k, v in statuses.items()}, ran, soc2)

    def state(self, check_id: str) -> DayState:
        found = self.statuses.get(check_id, frozenset())
        if Status.FAIL in found:
            return DayState.FAIL
        if Status.MUTED in found:
            return DayState.WAIVED
        if Status.PASS in found or (not found and check_id in self.ran):
            return DayState.PASS
        return DayState.NOT_EVALUATED


_WORST = (DayState.FAIL, DayState.WAIVED, DayState.PASS, DayState.NOT_EVALUATED)


def combine(states: Iterable[DayState]) -> DayState:
    """One day's state from the states in several scopes' last scans."""
    seen = set(states)
    return next((s for s in _WORST if s in seen), DayState.NO_SCAN)


@dataclass(frozen=True)
class CheckDays:
    check_id: str
    soc2: tuple[str, ...]
    states: tuple[DayState, ...]
    """One per day of the window, in order."""

    def count(self, *states: DayState) -> int:
        return sum(1 for s in self.states if s in states)

    def as_json(self) -> dict[str, object]:
        return {
            "check_id": self.check_id,
            "soc2": list(self.soc2),
            "days_evaluated": self.count(DayState.PASS, DayState.FAIL, DayState.WAIVED),
            "days_failing": self.count(DayState.FAIL),
            "days_waived": self.count(DayState.WAIVED),
            "days_not_evaluated": self.count(DayState.NOT_EVALUATED),
            "days_without_scan": self.count(DayState.NO_SCAN),
        }


@dataclass
class Coverage:
    """Fed each day's last scans (per scope), it yields the per-check day states."""

    days: Sequence[date]
    catalogue: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """check id -> SOC 2 criteria, from the check metadata this posture knows."""
    _digests: dict[date, list[ScanDigest]] = field(default_factory=lambda: defaultdict(list))

    def add(self, day: date, digest: ScanDigest) -> None:
        self._digests[day].append(digest)

    def checks(self) -> list[CheckDays]:
        ids: set[str] = set()
        soc2: dict[str, tuple[str, ...]] = {}
        for digests in self._digests.values():
            for d in digests:
                ids.update(d.ran, d.statuses)
                for check_id, criteria in d.soc2.items():
                    soc2.setdefault(check_id, criteria)
        out = []
        for check_id in sorted(ids):
            states = tuple(
                combine(d.state(check_id) for d in self._digests[day])
                if self._digests.get(day)
                else DayState.NO_SCAN
                for day in self.days
            )
            criteria = self.catalogue.get(check_id) or soc2.get(check_id, ())
            out.append(CheckDays(check_id, tuple(criteria), states))
        return out
