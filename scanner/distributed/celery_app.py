"""The Celery side: the app both ends build from (broker URL, history database), and the one
task, which carries a job id and nothing else (no plan, no credentials)."""

from __future__ import annotations

import functools
import logging
import os
from typing import Any

from celery import Celery, Task
from kombu.exceptions import OperationalError as KombuOperationalError

from scanner.distributed.execute import execute
from scanner.distributed.runs import QUEUED, RUNNING, RunStore
from scanner.endpoints import origin
from scanner.errors import UsageError
from scanner.history.location import StateLocation, parse_state

log = logging.getLogger(__name__)

QUEUE = "posture"
TASK = "posture.job"
JOB_HARD_LIMIT_SECONDS = 3 * 3600
"""A job (one account) past this is killed; its scope is then retried or failed."""
VISIBILITY_TIMEOUT_SECONDS = JOB_HARD_LIMIT_SECONDS + 1800
"""Above the hard limit: Redis never redelivers a job that is still legitimately running."""
BUSY_RETRY_SECONDS = 10
BROKER_CONNECT_RETRIES = 2
STATE_ENV = "POSTURE_STATE"


def make_app(broker: str, state: StateLocation) -> Celery:
    app = Celery("posture", broker=broker, set_as_current=False)
    app.conf.update(
        task_acks_late=True,  # a job is acknowledged once done: a dead worker's job is redone
        task_reject_on_worker_lost=True,
        task_acks_on_failure_or_timeout=True,
        worker_prefetch_multiplier=1,  # one account at a time per process: no hoarding
        task_time_limit=JOB_HARD_LIMIT_SECONDS,
        task_soft_time_limit=JOB_HARD_LIMIT_SECONDS - 60,
        task_ignore_result=True,  # results live in the database, not the broker
        task_default_queue=QUEUE,
        broker_transport_options={"visibility_timeout": VISIBILITY_TIMEOUT_SECONDS},
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
        posture_state=str(state) if not hasattr(state, "url") else _url(state),
    )
    app.task(name=TASK, bind=True, max_retries=None, acks_late=True)(run_job)
    return app


def _url(state: Any) -> str:
    # The worker needs the real URL (with password) in its own process config, never in logs.
    rendered: str = state.url.render_as_string(hide_password=False)
    return rendered


@functools.cache
def _store(state: str) -> RunStore:
    return RunStore(parse_state(state))


def enqueue(app: Celery, job_id: int, run_id: str) -> None:
    """The message: the job id and its run's id, never a plan or a credential. The run id lets
    a worker tell a job of another database (a --state that differs from the planner's)."""
    app.send_task(TASK, args=[job_id, run_id])


def check_broker(app: Celery, broker: str) -> None:
    """One clear line when the broker cannot be reached, before anything is planned."""
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=BROKER_CONNECT_RETRIES, timeout=5)
    except (OSError, KombuOperationalError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise UsageError(f"cannot reach the broker {origin(broker)}: {reason}") from None


def requeue_lost(store: RunStore, app: Celery) -> list[int]:
    """Workers reap too, so a dead worker's job comes back even when the planner is gone (it
    was stopped, and the run is finalized later with `posture finalize`)."""
    lost = store.reap()
    for job_id in lost:
        job = store.job(job_id)
        if job is not None:
            log.warning(
                "job %d (%s) lost its worker (no heartbeat): queued again", job_id, job.scope.key
            )
            enqueue(app, job_id, job.run_id)
    return lost


def run_job(task: Task, job_id: int, run_id: str | None = None) -> str:  # type: ignore[type-arg]
    """Effectively once: a job that is done (a redelivery) or running elsewhere is left alone;
    one whose scope another run is scanning comes back later."""
    store = _store(task.app.conf.posture_state)
    worker = f"{task.request.hostname or 'worker'}:{os.getpid()}"
    mine = store.job(job_id)
    if mine is None or (run_id is not None and mine.run_id != run_id):
        log.error(
            "job %d of run %s is not in this worker's database %s: the planner and the workers "
            "must share one --state",
            job_id,
            run_id or "?",
            parse_state(task.app.conf.posture_state),
        )
        return "missing"
    requeue_lost(store, task.app)
    if not store.claim(job_id, worker):
        job = store.job(job_id)
        if job is not None and job.status == QUEUED:
            raise task.retry(countdown=BUSY_RETRY_SECONDS)
        return job.status if job is not None else "missing"
    job = store.job(job_id)
    assert job is not None and job.status == RUNNING
    log.info("job %d (%s) started", job_id, job.scope.key)
    execute(store, job, worker, broker=task.app.conf.broker_url)
    return "done"
