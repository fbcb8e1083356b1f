"""The readiness report as data: built from a findings document and its history. Pure."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from scanner.check import CheckMeta
from scanner.config.suppressions import Suppression
from scanner.diff import diff
from scanner.models.enums import Severity, Status
from scanner.models.findings import Finding, FindingsDocument, Waiver
from scanner.models.soc2 import CRITERIA
from scanner.report.areas import AREAS, Area, area_of
from scanner.report.history import ScanRecord
from scanner.waivers import WaiverState, matches, waiver_state

if TYPE_CHECKING:
    from scanner.audit.page import WindowView

GROUPS: tuple[tuple[str, str], ...] = (
    ("CC1", "Control environment"),
    ("CC2", "Communication and information"),
    ("CC3", "Risk assessment"),
    ("CC4", "Monitoring activities"),
    ("CC5", "Control activities"),
    ("CC6", "Logical and physical access controls"),
    ("CC7", "System operations"),
    ("CC8", "Change management"),
    ("CC9", "Risk mitigation"),
    ("A1", "Availability"),
    ("C1", "Confidentiality"),
)


@dataclass(frozen=True)
class Counts:
    passed: int = 0
    failed: int = 0
    errors: int = 0
    muted: int = 0
    worst: Severity | None = None
    """The highest severity among the failing findings."""

    @property
    def total(self) -> int:
        return self.passed + self.failed + self.errors + self.muted

    @classmethod
    def of(cls, findings: Iterable[Finding]) -> Counts:
        items = list(findings)
        by = Counter(f.status for f in items)
        fails = [f.severity for f in items if f.status is Status.FAIL]
        return cls(
            passed=by[Status.PASS],
            failed=by[Status.FAIL],
            errors=by[Status.ERROR],
            muted=by[Status.MUTED],
            worst=max(fails, key=lambda s: s.rank) if fails else None,
        )

    @property
    def verdict(self) -> str:
        if self.failed:
            return "failing"
        if self.errors:
            return "incomplete"
        if self.total == 0:
            return "untested"
        return "passing"


@dataclass(frozen=True)
class CheckRow:
    check_id: str
    title: str
    severity: Severity
    criteria: tuple[str, ...]
    counts: Counts
    findings: tuple[Finding, ...]
    """Failing, erroring and muted first, then passing."""
    remediation: str = ""
    """Once per check: every finding of a check shares its remediation."""

    @property
    def attention(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.status is not Status.PASS)

    @property
    def passes(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.status is Status.PASS)


@dataclass(frozen=True)
class AreaRow:
    area: Area
    counts: Counts
    checks: tuple[str, ...]
    trend: tuple[int | None, ...] = ()
    """Failing findings in the area per past scan (None where the history does not say),
    oldest first, this scan last."""


@dataclass(frozen=True)
class CriterionSection:
    id: str
    name: str
    checks: tuple[CheckRow, ...]
    counts: Counts
    silent: tuple[CheckMeta, ...] = ()
    """Catalogue checks mapped to the criterion that gave no result in this scan (their
    provider was not scanned, they were not selected, or found nothing to look at)."""


@dataclass(frozen=True)
class CriterionGroup:
    key: str
    title: str
    criteria: tuple[CriterionSection, ...]
    counts: Counts


@dataclass(frozen=True)
class WaiverRow:
    finding: Finding
    waiver: Waiver
    days_left: int

    @property
    def expired(self) -> bool:
        return self.days_left < 0


@dataclass(frozen=True)
class ConfiguredWaiver:
    """A waiver of the configuration, with its state against this scan."""

    suppression: Suppression
    state: WaiverState
    matched: int
    """Failing or muted findings of this scan it matches."""
    days_left: int

    @property
    def flagged(self) -> bool:
        return self.state is not WaiverState.LIVE


@dataclass(frozen=True)
class TrendPoint:
    started_at: datetime
    counts: Counts
    current: bool = False


@dataclass(frozen=True)
class ReadinessReport:
    doc: FindingsDocument
    generated_at: datetime
    totals: Counts
    failed_by_severity: dict[Severity, int]
    areas: tuple[AreaRow, ...]
    groups: tuple[CriterionGroup, ...]
    other: tuple[CriterionSection, ...]
    waivers: tuple[WaiverRow, ...]
    trend: tuple[TrendPoint, ...]
    new_failures: tuple[Finding, ...] = ()
    resolved: int | None = None
    """Open findings of the previous scan that this scan found fixed, as `posture diff`
    counts them (passing now, or the resource gone from data that arrived); a finding waived
    or not evaluated now is not resolved. None without a previous scan."""
    criteria_untested: tuple[str, ...] = field(default=())
    configured_waivers: tuple[ConfiguredWaiver, ...] = ()
    window: WindowView | None = None


def _check_rows(findings: Sequence[Finding]) -> tuple[CheckRow, ...]:
    by_check: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        by_check[f.check_id].append(f)
    rows = []
    for check_id, items in by_check.items():
        items.sort(key=lambda f: (f.status.order, -f.severity.rank, f.resource.name))
        first = items[0]
        rows.append(
            CheckRow(
                check_id=check_id,
                title=first.title,
                severity=first.severity,
                criteria=first.soc2,
                counts=Counts.of(items),
                findings=tuple(items),
                remediation=first.remediation,
            )
        )
    rows.sort(key=lambda r: (-r.counts.failed, -r.severity.rank, r.check_id))
    return tuple(rows)


def _section(
    criterion: str, findings: Sequence[Finding], catalogue: Sequence[CheckMeta]
) -> CriterionSection:
    mine = [f for f in findings if criterion in f.soc2]
    ran = {f.check_id for f in mine}
    silent = tuple(m for m in catalogue if criterion in m.soc2 and m.id not in ran)
    return CriterionSection(
        criterion, CRITERIA[criterion], _check_rows(mine), Counts.of(mine), silent
    )


def _group_of(criterion: str) -> str:
    return criterion.split(".", 1)[0]


def _summary_counts(record: ScanRecord) -> Counts:
    s = record.summary.by_status
    worst = [sev for sev, n in record.summary.failed_by_severity.items() if n]
    return Counts(
        passed=s.get(Status.PASS, 0),
        failed=s.get(Status.FAIL, 0),
        errors=s.get(Status.ERROR, 0),
        muted=s.get(Status.MUTED, 0),
        worst=max(worst, key=lambda v: v.rank) if worst else None,
    )


def configured_waivers(
    doc: FindingsDocument, suppressions: Sequence[Suppression], today: datetime
) -> tuple[ConfiguredWaiver, ...]:
    """Each configured waiver's state against `doc` (whose failures live waivers muted)."""
    rows = []
    for s in suppressions:
        matched = sum(
            1 for f in doc.findings if f.status in (Status.FAIL, Status.MUTED) and matches(s, f)
        )
        state = waiver_state(s, matched, today.date(), doc.scan.check_ids)
        rows.append(ConfiguredWaiver(s, state, matched, (s.expires - today.date()).days))
    return tuple(sorted(rows, key=lambda w: (not w.flagged, w.suppression.expires)))


def _changes(
    doc: FindingsDocument, past: Sequence[ScanRecord], previous: FindingsDocument | None
) -> tuple[tuple[Finding, ...], int | None]:
    """New failures and resolved findings since the previous scan."""
    if previous is not None:
        changes = diff(previous, doc)
        return tuple(f for f in changes.new if f.status is Status.FAIL), len(changes.resolved)
    if not past:
        return (), None
    before = set(past[-1].failing)
    new = tuple(f for f in doc.findings if f.status is Status.FAIL and f.fingerprint not in before)
    # Only the fingerprints are known: resolved is what passes now, on data that arrived.
    return new, sum(1 for f in doc.findings if f.status is Status.PASS and f.fingerprint in before)


def build_report(
    doc: FindingsDocument,
    history: Sequence[ScanRecord] = (),
    now: datetime | None = None,
    catalogue: Sequence[CheckMeta] = (),
    previous: FindingsDocument | None = None,
    suppressions: Sequence[Suppression] = (),
    window: WindowView | None = None,
) -> ReadinessReport:
    """`catalogue` (the check metadata posture knows) lets each criterion name the checks
    that could test it but gave no result in this scan. `previous` (the scan before `doc`)
    makes new and resolved exact, as `posture diff` counts them; `suppressions` (the
    configured waivers) flags the expired and stale ones."""
    findings = doc.findings
    generated = now or doc.scan.finished_at
    by_area: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        by_area[area_of(f).key].append(f)
    past = sorted(
        (r for r in history if r.started_at < doc.scan.started_at), key=lambda r: r.started_at
    )
    areas = tuple(
        AreaRow(
            area,
            Counts.of(by_area[area.key]),
            tuple(sorted({f.check_id for f in by_area[area.key]})),
            (
                *(
                    r.failed_by_area.get(area.key, 0) if r.failed_by_area or not r.failing else None
                    for r in past[-5:]
                ),
                Counts.of(by_area[area.key]).failed,
            ),
        )
        for area in AREAS
    )
    group_keys = {k for k, _ in GROUPS}
    groups = []
    for key, title in GROUPS:
        sections = tuple(_section(c, findings, catalogue) for c in CRITERIA if _group_of(c) == key)
        mine = [f for f in findings if any(_group_of(c) == key for c in f.soc2)]
        groups.append(CriterionGroup(key, title, sections, Counts.of(mine)))
    other_ids = sorted(
        {c for f in findings for c in f.soc2 if _group_of(c) not in group_keys and c in CRITERIA}
    )
    other = tuple(_section(c, findings, catalogue) for c in other_ids)
    waivers = tuple(
        sorted(
            (
                WaiverRow(f, f.waiver, (f.waiver.expires - generated.date()).days)
                for f in findings
                if f.waiver is not None
            ),
            key=lambda w: (w.waiver.expires, w.finding.check_id),
        )
    )
    trend = (
        *(TrendPoint(r.started_at, _summary_counts(r)) for r in past),
        TrendPoint(doc.scan.started_at, Counts.of(findings), current=True),
    )
    new_failures, resolved = _changes(doc, past, previous)
    untested = tuple(s.id for g in groups for s in g.criteria if not s.checks)
    return ReadinessReport(
        doc=doc,
        generated_at=generated,
        totals=Counts.of(findings),
        failed_by_severity={
            s: sum(1 for f in findings if f.status is Status.FAIL and f.severity is s)
            for s in Severity
        },
        areas=areas,
        groups=tuple(groups),
        other=other,
        waivers=waivers,
        trend=trend,
        new_failures=new_failures,
        resolved=resolved,
        criteria_untested=untested,
        configured_waivers=configured_waivers(doc, suppressions, generated),
        window=window,
    )
