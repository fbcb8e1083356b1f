"""One job: collect one scope, evaluate its checks, stream the findings into the database.

The inventory lives only while its checks run: the job returns nothing, so a worker's memory
stays flat however many accounts pass through it.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import threading
from collections.abc import Iterator
from typing import Any

from scanner.check import CheckContext
from scanner.distributed.parts import needs_parts, pack_part, run_part
from scanner.distributed.plan import job_plan, own_checks, plan_from
from scanner.distributed.prerequisites import HANDED_DOWN, received
from scanner.distributed.runs import Job, RunStore, lease_seconds
from scanner.engine import run_checks
from scanner.errors import PostureError
from scanner.models.findings import ScanError, ScanTarget
from scanner.providers import JobIO
from scanner.scan import collect, is_partial

log = logging.getLogger(__name__)


@contextlib.contextmanager
def heartbeating(store: RunStore, job_id: int, worker: str) -> Iterator[threading.Event]:
    """Renews the job's lease in the background; the event is set if the job was reaped."""
    stop, lost = threading.Event(), threading.Event()

    def beat() -> None:
        while not stop.wait(lease_seconds() / 5):
            try:
                if not store.heartbeat(job_id, worker):
                    lost.set()
                    return
            except Exception:
                log.warning("job %d: heartbeat failed", job_id, exc_info=True)

    thread = threading.Thread(target=beat, name=f"posture-heartbeat-{job_id}", daemon=True)
    thread.start()
    try:
        yield lost
    finally:
        stop.set()
        thread.join(5)


def job_result(full: Any, inventories: Any) -> dict[str, Any]:
    """What the header needs from a job: its targets, its collection errors, partial or not."""
    targets = [
        ScanTarget(
            provider=inv.provider,
            account=inv.account,
            account_name=inv.account_name,
            regions=inv.scopes,
        ).model_dump(mode="json")
        for inv in inventories
    ]
    errors = [
        ScanError.from_outcome(inv.provider, inv.account, o).model_dump(mode="json")
        for inv in inventories
        for o in inv.errors
    ]
    return {"targets": targets, "errors": errors, "partial": is_partial(full, inventories)}


def execute(store: RunStore, job: Job, worker: str, broker: str | None = None) -> bool:
    """Runs a claimed job to its done mark. False when it was no longer this worker's.
    `broker` is the brokered run's: providers share client-side rate limits there."""
    run = store.run(job.run_id)
    assert run is not None
    full = plan_from(run.plan)
    with heartbeating(store, job.id, worker) as lost:
        try:
            before = received(store, job, worker, functools.partial(execute, broker=broker))
            io = JobIO(job.scope.detail or {}, before, broker=broker)
            plan = job_plan(full, job.scope, io)
            inventories = collect(plan, run.started_at)
            ctx = CheckContext(now=run.started_at, config=plan.config)
            result = job_result(full, inventories)
            if io.hand_down:
                result[HANDED_DOWN] = io.hand_down
            findings = run_checks(inventories, own_checks(plan, job.scope.provider), ctx)
            part = pack_part(run_part(full, inventories)) if needs_parts(full) else None
            if lost.is_set():
                return False
            return store.complete(job.id, worker, findings, result, part)
        except PostureError as exc:
            store.release(job.id, worker, str(exc))
            raise
        except Exception as exc:
            store.release(job.id, worker, type(exc).__name__)
            raise
