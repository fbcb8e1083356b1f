"""Every waiver active at any time in the window: the configured ones whose life overlaps it
(approved on or before its end, expiring on or after its start), and those the window's scans
applied (a muted finding carries its waiver), including waivers since removed from the config.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from scanner.audit.window import Window
from scanner.config.suppressions import Suppression
from scanner.models.enums import Status
from scanner.models.findings import Finding, Waiver
from scanner.waivers import matches, waiver_of

COLUMNS = (
    "source",
    "check",
    "resource",
    "account",
    "owner",
    "reason",
    "approved_by",
    "approved_on",
    "expires",
    "expired_in_window",
    "first_applied",
    "last_applied",
    "findings_muted",
)


@dataclass
class WaiverEntry:
    source: str
    """`config` (posture.yaml's suppressions) or `scans` (seen only on muted findings)."""
    check: str
    resource: str
    account: str
    waiver: Waiver
    first_applied: datetime | None = None
    last_applied: datetime | None = None
    muted: set[str] = field(default_factory=set)

    def expired_in(self, window: Window) -> bool:
        return window.start <= self.waiver.expires < window.end

    def applied(self, f: Finding, when: datetime) -> None:
        self.first_applied = min(self.first_applied or when, when)
        self.last_applied = max(self.last_applied or when, when)
        self.muted.add(f.fingerprint)

    def row(self, window: Window) -> dict[str, str]:
        w = self.waiver
        return {
            "source": self.source,
            "check": self.check,
            "resource": self.resource,
            "account": self.account,
            "owner": w.owner,
            "reason": w.reason,
            "approved_by": w.approved_by or "",
            "approved_on": w.approved_on.isoformat() if w.approved_on else "",
            "expires": w.expires.isoformat(),
            "expired_in_window": str(self.expired_in(window)).lower(),
            "first_applied": self.first_applied.isoformat(timespec="seconds")
            if self.first_applied
            else "",
            "last_applied": self.last_applied.isoformat(timespec="seconds")
            if self.last_applied
            else "",
            "findings_muted": str(len(self.muted)),
        }


def _same(w: Waiver, s: Suppression) -> bool:
    return (w.owner, w.reason, w.expires) == (s.owner, s.reason, s.expires)


@dataclass
class WaiverLog:
    window: Window
    suppressions: Sequence[Suppression] = ()

    def __post_init__(self) -> None:
        self.configured = [
            (
                s,
                WaiverEntry(
                    "config",
                    s.check or "",
                    s.resource or "",
                    s.account or "",
                    waiver_of(s),
                ),
            )
            for s in self.suppressions
            if s.expires >= self.window.start
            and (s.approved_on is None or s.approved_on <= self.window.end)
        ]
        self.seen: dict[tuple[str, str, str, Waiver], WaiverEntry] = {}

    def add(self, findings: Sequence[Finding], when: datetime) -> None:
        for f in findings:
            if f.status is not Status.MUTED or f.waiver is None:
                continue
            entry = next(
                (e for s, e in self.configured if _same(f.waiver, s) and matches(s, f)), None
            )
            if entry is None:
                key = (f.check_id, f.resource.uid, f.account, f.waiver)
                entry = self.seen.setdefault(
                    key, WaiverEntry("scans", f.check_id, f.resource.uid, f.account, f.waiver)
                )
            entry.applied(f, when)

    def entries(self) -> list[WaiverEntry]:
        return sorted(
            [*(e for _, e in self.configured), *self.seen.values()],
            key=lambda e: (e.waiver.expires, e.check, e.resource),
        )
