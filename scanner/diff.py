"""What changed between two findings documents, keyed by fingerprint.

A finding is *open* while it fails or is muted by a waiver (a waiver accepts a problem, it does
not fix it). An open finding that is no longer open is *resolved* only when the newer scan
really evaluated it: its account was scanned, its check ran, its region was in scope and the
collections the check needs did not fail. Otherwise it is *not_evaluated*, never resolved.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import Field

from scanner.document import Document
from scanner.models.enums import Status
from scanner.models.findings import Finding, ScanHeader
from scanner.models.inventory import Frozen

OPEN = frozenset({Status.FAIL, Status.MUTED})


class FindingsDiff(Frozen):
    new: tuple[Finding, ...] = ()
    resolved: tuple[Finding, ...] = Field((), description="As last seen open in the older scan.")
    unchanged: tuple[Finding, ...] = ()
    not_evaluated: tuple[Finding, ...] = Field(
        (), description="Open in the older scan; the newer scan could not evaluate them."
    )
    not_evaluated_before: tuple[Finding, ...] = Field(
        (),
        description="Open now, where the older scan did not evaluate their check, account or "
        "region (the scope was widened): not news, and not counted as new.",
    )
    resolved_now: dict[str, Status | None] = Field(
        default_factory=dict,
        description="Fingerprint of each resolved finding -> its status in the newer scan "
        "(None: its resource is gone).",
    )

    @property
    def changed(self) -> bool:
        return bool(self.new or self.resolved)


SCOPE_NOT_SCANNED = "posture.job"
"""The header error of a scope whose data never arrived (a distributed job that failed): its
earlier findings are not evaluated, never resolved."""


def _is_open(f: Finding) -> bool:
    return f.status in OPEN


@dataclass(frozen=True)
class Coverage:
    """What a scan evaluated, read in one pass over its findings (they may be on disk)."""

    header: ScanHeader
    accounts: frozenset[tuple[str, str]]
    check_ids: frozenset[str]
    errors: frozenset[tuple[str, str, str, str | None]]
    """(provider, account, check, region) of every error finding."""

    def evaluated(self, f: Finding) -> bool:
        """True when the scan evaluated the check, account and region that `f` belongs to."""
        header = self.header
        account = (f.provider, f.account)
        targets = [t for t in header.targets if (t.provider, t.account) == account]
        if not targets and account not in self.accounts:
            return False
        if any(
            (e.provider, e.account) == account and e.collection == SCOPE_NOT_SCANNED
            for e in header.errors
        ):
            return False
        if f.check_id not in (header.check_ids or self.check_ids):
            return False
        scoped = [r for t in targets for r in t.regions]
        if f.region and scoped and f.region not in scoped:
            return False
        key = (f.provider, f.account, f.check_id)
        return (*key, None) not in self.errors and (*key, f.region) not in self.errors


class _Pass:
    """One read of the newer document: its open findings, coverage, and the statuses now of
    the fingerprints that were open before. Nothing else is kept."""

    def __init__(self, doc: Document, watched: frozenset[str]) -> None:
        self.open: list[Finding] = []
        self.status_now: dict[str, Status] = {}
        accounts: set[tuple[str, str]] = set()
        check_ids: set[str] = set()
        errors: set[tuple[str, str, str, str | None]] = set()
        for f in doc.findings:
            accounts.add((f.provider, f.account))
            check_ids.add(f.check_id)
            if f.status is Status.ERROR:
                errors.add((f.provider, f.account, f.check_id, f.region))
            if _is_open(f):
                self.open.append(f)
            if f.fingerprint in watched:
                self.status_now[f.fingerprint] = f.status
        self.coverage = Coverage(
            doc.scan, frozenset(accounts), frozenset(check_ids), frozenset(errors)
        )


def _evaluated_before(header: ScanHeader | None, f: Finding) -> bool:
    """Whether the older scan (known by its header alone) evaluated `f`'s check and scope."""
    if header is None or not header.check_ids:
        return True  # no earlier scan, or one that did not list its checks: all is news
    return Coverage(header, frozenset(), frozenset(), frozenset()).evaluated(f)


def diff(old: Document | None, new: Document) -> FindingsDiff:
    """`old` None (no earlier scan) makes every open finding new.

    Only the open findings of `old` are read, so a caller may pass a document holding just
    those (the history does).
    """
    before = {f.fingerprint: f for f in old.findings if _is_open(f)} if old else {}
    now = _Pass(new, frozenset(before))
    old_header = old.scan if old else None
    fresh = [f for f in now.open if f.fingerprint not in before]
    added = [f for f in fresh if _evaluated_before(old_header, f)]
    widened = [f for f in fresh if not _evaluated_before(old_header, f)]
    unchanged = [f for f in now.open if f.fingerprint in before]
    resolved: list[Finding] = []
    not_evaluated: list[Finding] = []
    for fp, f in before.items():
        status = now.status_now.get(fp)
        if status in OPEN:
            continue
        if status is Status.PASS or (status is None and now.coverage.evaluated(f)):
            resolved.append(f)
        else:
            not_evaluated.append(f)
    return FindingsDiff(
        new=tuple(added),
        resolved=tuple(resolved),
        unchanged=tuple(unchanged),
        not_evaluated=tuple(not_evaluated),
        not_evaluated_before=tuple(widened),
        resolved_now={f.fingerprint: now.status_now.get(f.fingerprint) for f in resolved},
    )
