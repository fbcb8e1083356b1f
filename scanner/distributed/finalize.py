"""Finalize: once every job of a run is in, the run becomes one findings document, and the
same code as an in-process scan (waivers, history, outputs, sinks, exit code) takes it."""

from __future__ import annotations

from datetime import UTC, datetime

from scanner import __version__
from scanner.diff import SCOPE_NOT_SCANNED
from scanner.distributed.plan import plan_from
from scanner.distributed.runs import DONE, FAILED, Job, Run, RunStore
from scanner.document import SpooledDocument
from scanner.errors import UsageError
from scanner.models.enums import Outcome
from scanner.models.findings import ScanError, ScanHeader, ScanTarget
from scanner.spool import FindingsSpool


def unfinished(jobs: list[Job]) -> list[Job]:
    return [j for j in jobs if j.status not in (DONE, FAILED)]


def _failed_target(job: Job) -> tuple[ScanTarget, ScanError]:
    target = ScanTarget(
        provider=job.scope.provider,
        account=job.scope.scope,
        account_name=job.scope.name,
        regions=(),
    )
    error = ScanError(
        provider=job.scope.provider,
        account=job.scope.scope,
        collection=SCOPE_NOT_SCANNED,
        scope=None,
        outcome=Outcome.ERROR.value,
        missing=None,
        message=f"{job.scope.key} was not scanned: {job.error or 'job failed'} "
        f"({job.attempts} attempts)",
    )
    return target, error


def run_document(store: RunStore, run: Run) -> SpooledDocument:
    """The run's document: targets in plan order, every error, findings in document order."""
    plan = plan_from(run.plan)
    jobs = store.jobs(run.id)
    waiting = unfinished(jobs)
    if waiting:
        names = ", ".join(j.scope.key for j in waiting[:5])
        more = f" and {len(waiting) - 5} more" if len(waiting) > 5 else ""
        raise UsageError(f"run {run.id}: {len(waiting)} job(s) not finished ({names}{more})")
    targets: list[ScanTarget] = []
    errors: list[ScanError] = []
    partial = False
    for job in jobs:
        if job.status == FAILED or job.result is None:
            target, error = _failed_target(job)
            targets.append(target)
            errors.append(error)
            partial = True
            continue
        for t in job.result["targets"]:
            target = ScanTarget.model_validate(t)
            if target.account_name is None and job.scope.name is not None:
                target = target.model_copy(update={"account_name": job.scope.name})
            targets.append(target)
        errors.extend(ScanError.model_validate(e) for e in job.result["errors"])
        partial = partial or bool(job.result["partial"])
    spool = FindingsSpool(store.findings(run.id))
    header = ScanHeader(
        tool_version=__version__,
        started_at=run.started_at,
        finished_at=datetime.now(UTC),
        providers=plan.providers,
        targets=tuple(targets),
        checks_run=len(plan.checks),
        check_ids=tuple(sorted(c.id for c in plan.checks)),
        partial=partial,
        errors=tuple(errors),
        summary=spool.summary(),
    )
    return SpooledDocument(scan=header, findings=spool)
