"""`posture scan --broker URL --state PGURL`: plan the run, enqueue job ids, wait, finalize."""

from __future__ import annotations

import logging
import time
import uuid

from scanner import logs
from scanner.commands.distributed import finalize_run
from scanner.commands.finish import NightlyOptions
from scanner.config import PostureConfig
from scanner.distributed.celery_app import TASK, make_app
from scanner.distributed.finalize import unfinished
from scanner.distributed.plan import job_scopes, plan_data
from scanner.distributed.runs import DONE, FAILED, QUEUED, RUNNING, RunStore, lease_seconds
from scanner.errors import UsageError
from scanner.exit_codes import ExitCode
from scanner.history.location import StateLocation
from scanner.models.enums import Severity
from scanner.output import Format, parse_format
from scanner.progress import NullProgress, ProgressSink
from scanner.scan import ScanPlan, utc_now

log = logging.getLogger(__name__)

POLL_SECONDS = 1.0


def dispatch_and_wait(
    plan: ScanPlan,
    broker: str,
    run_id: str | None,
    state: StateLocation | None,
    quiet: bool,
    progress: ProgressSink | None = None,
) -> str:
    """Plans the run, enqueues its job ids and waits for every job to end; returns the run id
    (finalize_brokered then writes the document, once the progress display is gone)."""
    if state is None:
        raise UsageError("--broker needs --state postgresql://... (the database workers share)")
    progress = progress or NullProgress()
    run_id = run_id or f"run-{uuid.uuid4().hex[:12]}"
    data = plan_data(plan)
    with RunStore(state) as store:
        if store.run(run_id) is not None:
            raise UsageError(f"run {run_id} exists already in {state}")
        scopes = job_scopes(plan)
        store.create_run(run_id, utc_now(), data, scopes, mode="brokered")
        app = make_app(broker, state)
        for job in store.jobs(run_id):
            app.send_task(TASK, args=[job.id])  # the job id only: no plan, no credentials
        if not quiet:
            logs.notice(f"posture: run {run_id}: {len(scopes)} job(s) queued")
        progress.planned(len(scopes))
        progress.phase(f"run {run_id}: waiting for the workers")
        shown: dict[int, str] = {}
        sent = dict.fromkeys((j.id for j in store.jobs(run_id)), time.monotonic())
        while True:
            reaped = store.reap()
            for job_id in reaped:
                app.send_task(TASK, args=[job_id])
                sent[job_id] = time.monotonic()
            jobs = store.jobs(run_id)
            for job in jobs:
                if job.id in reaped and not quiet:
                    logs.notice(
                        f"posture: {job.scope.key}: its worker stopped answering (no heartbeat "
                        f"for {lease_seconds():.0f} s); queued again (attempt {job.attempts + 1} "
                        f"of {job.max_attempts})"
                    )
            for job in jobs:
                # A message a dead worker had reserved comes back only after the broker's
                # visibility timeout: send a job still waiting a lease later again (a second
                # delivery of a claimed job is a no-op).
                if job.status == QUEUED and time.monotonic() - sent[job.id] > lease_seconds():
                    app.send_task(TASK, args=[job.id])
                    sent[job.id] = time.monotonic()
            for job in jobs:
                before = shown.get(job.id)
                if job.status == RUNNING and before != RUNNING:
                    progress.started(job.scope.key)
                elif job.status in (DONE, FAILED) and before == RUNNING:
                    progress.finished(job.scope.key)
                shown[job.id] = job.status
            if not unfinished(jobs):
                return run_id
            time.sleep(POLL_SECONDS)


def finalize_brokered(
    state: StateLocation,
    run_id: str,
    config: PostureConfig,
    nightly: NightlyOptions,
    fmt: str | None,
    threshold: Severity,
    quiet: bool,
) -> ExitCode:
    out_format = parse_format(fmt or Format.TABLE.value)
    with RunStore(state) as store:
        return finalize_run(
            store, run_id, config, nightly, out_format, fmt is not None, threshold, quiet
        )
