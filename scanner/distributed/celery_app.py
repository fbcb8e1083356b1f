"""The Celery side: the app both ends build from (broker URL, history database), and the one
task, which carries a job id and nothing else (no plan, no credentials)."""

from __future__ import annotations

import functools
import logging
import os
from typing import Any

from celery import Celery, Task

from scanner.distributed.execute import execute
from scanner.distributed.runs import QUEUED, RUNNING, RunStore
from scanner.history.location import StateLocation, parse_state

log = logging.getLogger(__name__)

QUEUE = "posture"
TASK = "posture.job"
JOB_HARD_LIMIT_SECONDS = 3 * 3600
"""A job (one account) past this is killed; its scope is then retried or failed."""
VISIBILITY_TIMEOUT_SECONDS = JOB_HARD_LIMIT_SECONDS + 1800
"""Above the hard limit: Redis never redelivers a job that is still legitimately running."""
BUSY_RETRY_SECONDS = 10
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


def run_job(task: Task, job_id: int) -> str:  # type: ignore[type-arg]
    """Effectively once: a job that is done (a redelivery) or running elsewhere is left alone;
    one whose scope another run is scanning comes back later."""
    store = _store(task.app.conf.posture_state)
    worker = f"{task.request.hostname or 'worker'}:{os.getpid()}"
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
