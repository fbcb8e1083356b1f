"""Finalize: once every job of a run is in, the run becomes one findings document, and the
same code as an in-process scan (waivers, history, outputs, sinks, exit code) takes it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from scanner import __version__
from scanner.check import CheckContext
from scanner.diff import SCOPE_NOT_SCANNED
from scanner.distributed.execute import job_result
from scanner.distributed.parts import (
    RunPart,
    failed_part,
    joined,
    needs_parts,
    reads_run,
    run_checks_of,
    unpack_part,
)
from scanner.distributed.plan import plan_from
from scanner.distributed.runs import DONE, FAILED, Job, Run, RunStore
from scanner.document import SpooledDocument
from scanner.engine import run_checks
from scanner.errors import UsageError
from scanner.identity.projection import project
from scanner.inventory.run import RUN_PROVIDER, build_run_inventory
from scanner.models.enums import Outcome
from scanner.models.findings import ScanError, ScanHeader, ScanTarget
from scanner.models.inventory import Inventory
from scanner.scan import ScanPlan, collect
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


def stored_parts(store: RunStore, run: Run, plan: ScanPlan, jobs: list[Job]) -> RunPart:
    """Every job's part of the run, in plan order; a job with none (failed) stands in as the
    errors of the collections the run checks read from its provider."""
    stored = store.parts(run.id)
    parts = []
    for job in jobs:
        body = stored.get(job.id)
        if job.status == DONE and body is not None:
            parts.append(unpack_part(body))
        else:
            reason = f"{job.scope.key} was not scanned: {job.error or 'job failed'}"
            parts.append(failed_part(plan, job.scope.provider, job.scope.scope, reason))
    return joined(parts)


def finalize_phase(store: RunStore, run: Run, plan: ScanPlan, jobs: list[Job]) -> dict[str, Any]:
    """What an in-process scan does after the cloud collections, over the jobs' stored parts:
    the providers that read the run are collected (the TLS probe of every endpoint the clouds
    found, one target as in-process), then the cross-provider checks evaluate the one
    RunInventory. Their findings join the run's; the new inventories' targets and errors are
    returned, as a job's result."""
    if not needs_parts(plan):
        return job_result(plan, [])
    part = stored_parts(store, run, plan, jobs)
    later = reads_run(plan)
    collected: list[Inventory] = []
    if later:
        collected = collect(
            ScanPlan(providers=later, checks=plan.checks, config=plan.config),
            run.started_at,
            earlier=part.members,
        )
    evaluated = list(collected)
    if run_checks_of(plan):
        identities, accounts = project(collected)
        evaluated.append(
            build_run_inventory(
                (*part.members, *collected),
                (*part.identities, *identities),
                (*part.accounts, *accounts),
            )
        )
    checks = tuple(c for c in plan.checks if c.meta.provider in (*later, RUN_PROVIDER))
    ctx = CheckContext(now=run.started_at, config=plan.config)
    store.finalize_findings(run.id, run_checks(evaluated, checks, ctx))
    return job_result(plan, collected)


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
    later = finalize_phase(store, run, plan, jobs)
    targets.extend(ScanTarget.model_validate(t) for t in later["targets"])
    errors.extend(ScanError.model_validate(e) for e in later["errors"])
    partial = partial or bool(later["partial"])
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
