"""One scan: collect from each provider, evaluate the selected checks, build the document."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from scanner import __version__
from scanner.check import AnyCheck, CheckContext
from scanner.config import PostureConfig
from scanner.engine import run_checks
from scanner.identity.projection import run_inventory
from scanner.inventory.run import RUN_PROVIDER
from scanner.models.enums import Severity, Status
from scanner.models.findings import (
    Finding,
    FindingsDocument,
    ScanError,
    ScanHeader,
    ScanSummary,
    ScanTarget,
)
from scanner.models.inventory import Inventory
from scanner.progress import NullProgress, ProgressSink
from scanner.providers import CollectRequest, load_adapter

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class ScanPlan:
    providers: tuple[str, ...]
    checks: tuple[AnyCheck, ...]
    config: PostureConfig


def required_collections(checks: Sequence[AnyCheck]) -> frozenset[str]:
    return frozenset(c for check in checks for c in check.meta.requires)


def collect(plan: ScanPlan, now: datetime, progress: ProgressSink | None = None) -> list[Inventory]:
    inventories: list[Inventory] = []
    for name in plan.providers:
        checks = [c for c in plan.checks if c.meta.provider in (name, RUN_PROVIDER)]
        request = CollectRequest(
            config=plan.config,
            collections=required_collections(checks),
            now=now,
            progress=progress or NullProgress(),
        )
        inventories.extend(load_adapter(name, plan.config).collect(request))
    return inventories


def _sort_key(f: Finding) -> tuple[int, int, str, str, str]:
    status_order = {Status.FAIL: 0, Status.ERROR: 1, Status.MUTED: 2, Status.PASS: 3}
    return (status_order[f.status], -f.severity.rank, f.check_id, f.resource.uid, f.fingerprint)


def ordered(findings: Sequence[Finding]) -> tuple[Finding, ...]:
    """The document's deterministic order."""
    return tuple(sorted(findings, key=_sort_key))


def summarise(findings: Sequence[Finding]) -> ScanSummary:
    by_status = Counter(f.status for f in findings)
    failed = Counter(f.severity for f in findings if f.status is Status.FAIL)
    return ScanSummary(
        total=len(findings),
        by_status={s: by_status.get(s, 0) for s in Status},
        failed_by_severity={s: failed.get(s, 0) for s in Severity},
    )


def build_document(
    plan: ScanPlan,
    inventories: Sequence[Inventory],
    findings: Sequence[Finding],
    started: datetime,
    finished: datetime,
) -> FindingsDocument:
    errors = tuple(
        ScanError.from_outcome(inv.provider, inv.account, o)
        for inv in inventories
        for o in inv.errors
    )
    ordered = tuple(sorted(findings, key=_sort_key))
    return FindingsDocument(
        scan=ScanHeader(
            tool_version=__version__,
            started_at=started,
            finished_at=finished,
            providers=plan.providers,
            targets=tuple(
                ScanTarget(
                    provider=inv.provider,
                    account=inv.account,
                    account_name=inv.account_name,
                    regions=inv.scopes,
                )
                for inv in inventories
            ),
            checks_run=len(plan.checks),
            check_ids=tuple(sorted(c.id for c in plan.checks)),
            partial=bool(errors),
            errors=errors,
            summary=summarise(ordered),
        ),
        findings=ordered,
    )


def run_scan(
    plan: ScanPlan, clock: Clock = utc_now, progress: ProgressSink | None = None
) -> FindingsDocument:
    started = clock()
    inventories = collect(plan, started, progress)
    ctx = CheckContext(now=started, config=plan.config)
    evaluated = list(inventories)
    if any(c.meta.provider == RUN_PROVIDER for c in plan.checks):
        evaluated.append(run_inventory(inventories))
    findings = list(run_checks(evaluated, plan.checks, ctx))
    return build_document(plan, inventories, findings, started, clock())


def exit_code(doc: FindingsDocument, fail_on: Severity) -> int:
    """0 clean, 1 failing findings at or above fail_on, 3 partial (wins over 1)."""
    if doc.scan.partial:
        return 3
    if any(f.status is Status.FAIL and f.severity.rank >= fail_on.rank for f in doc.findings):
        return 1
    return 0
