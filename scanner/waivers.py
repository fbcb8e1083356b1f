"""Applying waivers (config `suppressions:`): live ones mute failures, expired ones do not."""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from scanner.config.suppressions import Suppression
from scanner.document import Document, with_findings
from scanner.models.enums import Status
from scanner.models.findings import Finding, Waiver


class WaiverState(StrEnum):
    LIVE = "live"
    EXPIRED = "expired"
    STALE = "stale"
    """Live, its check ran, and it matched no failing finding: the problem is gone or moved."""
    NOT_EVALUATED = "not_evaluated"
    """None of the checks it names ran in this scan."""


@dataclass(frozen=True)
class WaiverUse:
    index: int
    suppression: Suppression
    state: WaiverState
    matched: int
    """Failing findings it matched (muted when live)."""


def is_live(s: Suppression, today: date) -> bool:
    return today <= s.expires


def matches(s: Suppression, f: Finding) -> bool:
    if s.check is not None and not fnmatch.fnmatchcase(f.check_id, s.check):
        return False
    if s.account is not None and not fnmatch.fnmatchcase(f.account, s.account):
        return False
    return s.resource is None or (
        fnmatch.fnmatchcase(f.resource.uid, s.resource)
        or fnmatch.fnmatchcase(f.resource.name, s.resource)
    )


def waiver_of(s: Suppression) -> Waiver:
    """The waiver a muted finding carries for `s`."""
    return Waiver(
        reason=s.reason,
        owner=s.owner,
        expires=s.expires,
        approved_by=s.approved_by,
        approved_on=s.approved_on,
    )


def waiver_state(
    s: Suppression, matched: int, today: date, check_ids: Sequence[str]
) -> WaiverState:
    if not is_live(s, today):
        return WaiverState.EXPIRED
    if matched:
        return WaiverState.LIVE
    if s.check is not None and check_ids and not fnmatch.filter(check_ids, s.check):
        return WaiverState.NOT_EVALUATED
    return WaiverState.STALE


def apply_waivers(
    doc: Document, suppressions: Sequence[Suppression], today: date
) -> tuple[Document, list[WaiverUse]]:
    """Mutes each failing finding the first live matching waiver covers; pure."""
    counts = [0] * len(suppressions)

    def waived(f: Finding) -> Finding:
        if f.status is not Status.FAIL:
            return f
        hits = [i for i, s in enumerate(suppressions) if matches(s, f)]
        for i in hits:
            counts[i] += 1
        live = next((i for i in hits if is_live(suppressions[i], today)), None)
        if live is None:
            return f
        return f.model_copy(
            update={"status": Status.MUTED, "waiver": waiver_of(suppressions[live])}
        )

    if suppressions:
        doc = with_findings(doc, (waived(f) for f in doc.findings))
    uses = [
        WaiverUse(i, s, waiver_state(s, counts[i], today, doc.scan.check_ids), counts[i])
        for i, s in enumerate(suppressions)
    ]
    return doc, uses
