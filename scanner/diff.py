"""What changed between two findings documents, keyed by fingerprint.

A finding is *open* while it fails or is muted by a waiver (a waiver accepts a problem, it does
not fix it). An open finding that is no longer open is *resolved* only when the newer scan
really evaluated it: its account was scanned, its check ran, its region was in scope and the
collections the check needs did not fail. Otherwise it is *not_evaluated*, never resolved.
"""

from __future__ import annotations

from pydantic import Field

from scanner.models.enums import Status
from scanner.models.findings import Finding, FindingsDocument
from scanner.models.inventory import Frozen

OPEN = frozenset({Status.FAIL, Status.MUTED})


class FindingsDiff(Frozen):
    new: tuple[Finding, ...] = ()
    resolved: tuple[Finding, ...] = Field((), description="As last seen open in the older scan.")
    unchanged: tuple[Finding, ...] = ()
    not_evaluated: tuple[Finding, ...] = Field(
        (), description="Open in the older scan; the newer scan could not evaluate them."
    )

    @property
    def changed(self) -> bool:
        return bool(self.new or self.resolved)


def _is_open(f: Finding) -> bool:
    return f.status in OPEN


def evaluated_in(f: Finding, doc: FindingsDocument) -> bool:
    """True when `doc` evaluated the check, account and region that `f` belongs to."""
    header = doc.scan
    targets = [t for t in header.targets if (t.provider, t.account) == (f.provider, f.account)]
    if not targets and not any(
        (g.provider, g.account) == (f.provider, f.account) for g in doc.findings
    ):
        return False
    if header.check_ids:
        if f.check_id not in header.check_ids:
            return False
    elif not any(g.check_id == f.check_id for g in doc.findings):
        return False
    scoped = [r for t in targets for r in t.regions]
    if f.region and scoped and f.region not in scoped:
        return False
    return not any(
        g.status is Status.ERROR
        and g.check_id == f.check_id
        and (g.provider, g.account) == (f.provider, f.account)
        and (g.region is None or g.region == f.region)
        for g in doc.findings
    )


def diff(old: FindingsDocument | None, new: FindingsDocument) -> FindingsDiff:
    """`old` None (no earlier scan) makes every open finding new."""
    now_by_fp = {f.fingerprint: f for f in new.findings}
    before = {f.fingerprint: f for f in old.findings if _is_open(f)} if old else {}
    added: list[Finding] = []
    unchanged: list[Finding] = []
    for f in new.findings:
        if not _is_open(f):
            continue
        (unchanged if f.fingerprint in before else added).append(f)
    resolved: list[Finding] = []
    not_evaluated: list[Finding] = []
    for fp, f in before.items():
        current = now_by_fp.get(fp)
        if current is not None and _is_open(current):
            continue
        passes_now = current is not None and current.status is Status.PASS
        if passes_now or (current is None and evaluated_in(f, new)):
            resolved.append(f)
        else:
            not_evaluated.append(f)
    return FindingsDiff(
        new=tuple(added),
        resolved=tuple(resolved),
        unchanged=tuple(unchanged),
        not_evaluated=tuple(not_evaluated),
    )
