"""`posture scan --broker URL --state PGURL`: plan the run, enqueue job ids, wait, finalize."""

from __future__ import annotations

import logging
import time
import uuid

from scanner import logs
from scanner.commands.distributed import finalize_run
from scanner.commands.finish import NightlyOptions
from scanner.config import PostureConfig
from scanner.distributed.celery_app import check_broker, enqueue, make_app
from scanner.distributed.finalize import unfinished
from scanner.distributed.plan import job_scopes, plan_data
from scanner.distributed.runs import (
    DONE,
    FAILED,
    QUEUED,
    RUNNING,
    Job,
    RunStore,
    lease_seconds,
    seconds_from_env,
)
from scanner.errors import RunNotFinishedError, UsageError
from scanner.exit_codes import ExitCode
from scanner.history.location import DatabaseUrl, StateLocation
from scanner.models.enums import Severity
from scanner.output import Format, parse_format
from scanner.progress import NullProgress, ProgressSink
from scanner.scan import ScanPlan, utc_now

log = logging.getLogger(__name__)

POLL_SECONDS = 1.0
NO_WORKER_NOTICE_SECONDS = 60.0
RUN_WAIT_SECONDS = 24 * 3600.0
"""How long `scan --broker` waits for the workers (POSTURE_RUN_WAIT_SECONDS) before it leaves
the run open for a later `posture finalize`."""
RUN_WAIT_ENV = "POSTURE_RUN_WAIT_SECONDS"


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
    if not isinstance(state, DatabaseUrl):
        raise UsageError(
            "--broker needs --state postgresql://... (POSTURE_STATE): the database the workers "
            "share; a SQLite file is for one machine"
        )
    progress = progress or NullProgress()
    run_id = run_id or f"run-{uuid.uuid4().hex[:12]}"
    data = plan_data(plan)
    with RunStore(state) as store:
        if store.run(run_id) is not None:
            raise UsageError(f"run {run_id} exists already in {state}")
        app = make_app(broker, state)
        check_broker(app, broker)
        scopes = job_scopes(plan)
        store.create_run(run_id, utc_now(), data, scopes, mode="brokered")
        for job in store.jobs(run_id):
            enqueue(app, job.id, run_id)
        if not quiet:
            logs.notice(f"posture: run {run_id}: {len(scopes)} job(s) queued")
        progress.planned(len(scopes))
        progress.phase(f"run {run_id}: waiting for the workers")
        shown: dict[int, str] = {}
        waiting = RunWait(run_id, time.monotonic(), quiet)
        sent = dict.fromkeys((j.id for j in store.jobs(run_id)), time.monotonic())
        while True:
            reaped = store.reap()
            for job_id in reaped:
                enqueue(app, job_id, run_id)
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
                    enqueue(app, job.id, run_id)
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
            waiting.check(jobs, state)
            time.sleep(POLL_SECONDS)


class RunWait:
    """The planner's patience: a notice when no worker has taken a job for a while, and a total
    deadline after which it stops waiting (the run stays open, to be finalized later)."""

    def __init__(self, run_id: str, started: float, quiet: bool) -> None:
        self.run_id, self.started, self.quiet = run_id, started, quiet
        self.deadline = started + run_wait_seconds()
        self.warned = False

    def check(self, jobs: list[Job], state: DatabaseUrl) -> None:
        now = time.monotonic()
        idle = all(j.status == QUEUED and j.attempts == 0 for j in jobs)
        if idle and not self.warned and now - self.started > NO_WORKER_NOTICE_SECONDS:
            self.warned = True
            if not self.quiet:
                logs.notice(
                    f"posture: run {self.run_id}: no worker has taken a job in "
                    f"{NO_WORKER_NOTICE_SECONDS:.0f} s: is `posture worker` running against this "
                    "broker and this --state?"
                )
        if now > self.deadline:
            left = len(unfinished(jobs))
            raise RunNotFinishedError(
                f"run {self.run_id}: {left} job(s) not finished after {run_wait_seconds():.0f} s "
                f"({RUN_WAIT_ENV}); the run stays open: `posture finalize --run-id {self.run_id} "
                f"--state {state}` once the workers are done"
            )


def run_wait_seconds() -> float:
    return seconds_from_env(RUN_WAIT_ENV, RUN_WAIT_SECONDS)


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
