"""Jobs that start after others of their run: a GCP project's job needs what the job of the
folders and organization above it read (their audit configs, sinks and custom roles), read
once for the whole run.

A job's detail names them under "after". The waiting job runs a prerequisite itself when it
is still queued (a shard never waits for a shard that has not started), waits while another
worker runs it, and reaps a dead worker's lease meanwhile, so the wait always ends: done (its
hand-down is received), or failed after its attempts (nothing is received; the waiting job's
collections that needed it say so).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from scanner.distributed.runs import DONE, FAILED, QUEUED, Job, RunStore
from scanner.plugin import AFTER

log = logging.getLogger(__name__)

HANDED_DOWN = "handed_down"
"""The key of a job's result that holds what it hands down to the jobs waiting for it."""
POLL_SECONDS = 1.0

Execute = Callable[[RunStore, Job, str], bool]


def received(store: RunStore, job: Job, worker: str, execute: Execute) -> dict[str, Any]:
    """What each prerequisite of `job` handed down, by scope; a failed one is left out."""
    out: dict[str, Any] = {}
    for scope in (job.scope.detail or {}).get(AFTER, ()):
        handed = _await(store, job, str(scope), worker, execute)
        if handed is not None:
            out[str(scope)] = handed
    return out


def _await(store: RunStore, job: Job, scope: str, worker: str, execute: Execute) -> Any:
    while True:
        found = store.job_of(job.run_id, job.scope.provider, scope)
        if found is None or found.status == FAILED:
            log.warning(
                "%s: %s:%s did not end well: going on without it",
                job.scope.key,
                job.scope.provider,
                scope,
            )
            return None
        if found.status == DONE:
            return (found.result or {}).get(HANDED_DOWN, {})
        if found.status == QUEUED and store.claim(found.id, worker):
            claimed = store.job(found.id)
            assert claimed is not None
            log.info("%s: running %s first", job.scope.key, claimed.scope.key)
            try:
                execute(store, claimed, worker)
            except Exception:
                log.warning("%s failed", claimed.scope.key, exc_info=True)
            continue
        store.reap()
        time.sleep(POLL_SECONDS)
