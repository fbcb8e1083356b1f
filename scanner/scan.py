"""One scan: collect from each provider, evaluate the selected checks, build the document."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from scanner import __version__
from scanner.check import AnyCheck, CheckContext
from scanner.config import PostureConfig
from scanner.document import Document, SpooledDocument
from scanner.engine import run_checks
from scanner.exit_codes import ExitCode
from scanner.identity.projection import run_inventory
from scanner.inventory.run import RUN_PROVIDER
from scanner.models.enums import Outcome, Severity
from scanner.models.findings import (
    FindingsDocument,
    ScanError,
    ScanHeader,
    ScanSummary,
    ScanTarget,
)
from scanner.models.inventory import Inventory
from scanner.progress import NullProgress, ProgressSink
from scanner.providers import CollectRequest, JobIO, load_adapter, spec
from scanner.spool import FindingsSpool

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class ScanPlan:
    providers: tuple[str, ...]
    checks: tuple[AnyCheck, ...]
    config: PostureConfig
    job: JobIO | None = None
    """A distributed job's inputs and outputs (its plan has the job's provider only)."""


def required_collections(checks: Sequence[AnyCheck]) -> frozenset[str]:
    return frozenset(c for check in checks for c in check.meta.reads)


def collect(
    plan: ScanPlan,
    now: datetime,
    progress: ProgressSink | None = None,
    earlier: Sequence[Inventory] = (),
) -> list[Inventory]:
    """The plan's inventories. `earlier` are inventories collected before (a distributed run's
    jobs, seen by a provider that reads the run); they are not returned."""
    inventories: list[Inventory] = list(earlier)
    progress = progress or NullProgress()
    # A provider that reads the run (the TLS probe of what the clouds found) goes last.
    for name in sorted(plan.providers, key=lambda n: spec(n).reads_run):
        checks = [c for c in plan.checks if c.meta.provider in (name, RUN_PROVIDER)]
        request = CollectRequest(
            config=plan.config,
            collections=required_collections(checks),
            now=now,
            progress=progress,
            inventories=tuple(inventories),
            job=plan.job,
        )
        waiting = f"{name}: waiting for {spec(name).waits_for}"
        log.info("%s", waiting)
        progress.phase(waiting)
        started = time.monotonic()
        collected = load_adapter(name, plan.config).collect(request)
        log.info("%s: collected in %.1f s", name, time.monotonic() - started)
        report_collection_errors(name, collected)
        inventories.extend(collected)
    progress.phase("evaluating the checks")
    return inventories[len(earlier) :]


def report_collection_errors(provider: str, inventories: Sequence[Inventory]) -> None:
    """One warning per cause, not one per collection: an unreachable org fails every
    collection the same way. Each failure is also logged as it happens (at -v) and listed in
    the scan header."""
    causes: dict[tuple[str, str, str], list[str]] = {}
    first: dict[tuple[str, str, str], str] = {}
    for inv in inventories:
        for o in inv.errors:
            key = (inv.account, o.outcome.value, o.message.rsplit(": ", 1)[-1])
            causes.setdefault(key, []).append(o.collection + (f" {o.scope}" if o.scope else ""))
            first.setdefault(key, o.describe())
    for key, names in causes.items():
        if len(names) == 1:
            log.warning("%s %s: %s", provider, key[0], first[key])
            continue
        shown = ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
        log.warning(
            "%s %s: %d collections failed the same way (%s): %s",
            provider,
            key[0],
            len(names),
            shown,
            first[key],
        )


def is_partial(plan: ScanPlan, inventories: Sequence[Inventory]) -> bool:
    """A failed collection makes the scan partial, except one that is only an optional read of
    the selected checks and is not available to the account (a licence the tenant does not
    hold), and a scope closed to the scan (out_of_scope: a region an SCP denies): no verdict
    rests on them, and the header's errors still list them."""
    required = {c for check in plan.checks for c in check.meta.requires}
    optional = {c for check in plan.checks for c in check.meta.optional} - required
    return any(
        o.outcome is not Outcome.OUT_OF_SCOPE
        and not (o.outcome is Outcome.NOT_AVAILABLE and o.collection in optional)
        for inv in inventories
        for o in inv.errors
    )


def scan_header(
    plan: ScanPlan,
    inventories: Sequence[Inventory],
    summary: ScanSummary,
    started: datetime,
    finished: datetime,
) -> ScanHeader:
    errors = tuple(
        ScanError.from_outcome(inv.provider, inv.account, o)
        for inv in inventories
        for o in inv.errors
    )
    return ScanHeader(
        id=str(uuid.uuid4()),
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
        partial=is_partial(plan, inventories),
        errors=errors,
        summary=summary,
    )


def scan_spooled(
    plan: ScanPlan, clock: Clock = utc_now, progress: ProgressSink | None = None
) -> SpooledDocument:
    """The scan, its findings written to a spool as the checks yield them (see scanner.spool)."""
    started = clock()
    inventories = collect(plan, started, progress)
    ctx = CheckContext(now=started, config=plan.config)
    evaluated = list(inventories)
    if any(c.meta.provider == RUN_PROVIDER for c in plan.checks):
        evaluated.append(run_inventory(inventories))
    spool = FindingsSpool(run_checks(evaluated, plan.checks, ctx))
    header = scan_header(plan, inventories, spool.summary(), started, clock())
    return SpooledDocument(scan=header, findings=spool)


def run_scan(
    plan: ScanPlan, clock: Clock = utc_now, progress: ProgressSink | None = None
) -> FindingsDocument:
    """The scan as one in-memory document (for library use and tests)."""
    return scan_spooled(plan, clock, progress).materialize()


def exit_code(doc: Document, fail_on: Severity) -> ExitCode:
    """OK clean, FINDINGS failing at or above fail_on, PARTIAL (wins over FINDINGS)."""
    if doc.scan.partial:
        return ExitCode.PARTIAL
    failed = doc.scan.summary.failed_by_severity
    if any(n and severity.rank >= fail_on.rank for severity, n in failed.items()):
        return ExitCode.FINDINGS
    return ExitCode.OK
