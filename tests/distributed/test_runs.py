"""Run and job semantics on the database alone (SQLite and PostgreSQL): effectively-once
writes, one running job per scope, the reaper, finalize once."""

from __future__ import annotations

import base64
import json
from datetime import timedelta
from pathlib import Path

import pytest
from redis import StrictRedis

from scanner.distributed.celery_app import QUEUE, TASK, make_app, requeue_lost
from scanner.distributed.runs import DONE, FAILED, QUEUED, RunStore, Scope
from scanner.errors import UsageError
from scanner.history.location import StateLocation, parse_state
from tests.nightly.documents import T0, finding
from tests.servers import Redis

MFA = "aws.iam.user_console_without_mfa"
PLAN = {"providers": ["aws"], "check_ids": [MFA], "config": {}}


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(params=["sqlite", "postgresql"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> StateLocation:
    if request.param == "sqlite":
        return tmp_path / "h.db"
    return parse_state(request.getfixturevalue("pg_url"))


def _run(store: RunStore, run_id: str = "r1", attempts: int = 2) -> list[int]:
    scopes = [Scope("aws", "111111111111", "prod"), Scope("aws", "222222222222")]
    store.create_run(run_id, T0, PLAN, scopes, mode="brokered", max_attempts=attempts)
    return [j.id for j in store.jobs(run_id)]


def test_a_redelivered_job_writes_nothing_twice(location: StateLocation) -> None:
    with RunStore(location) as store:
        first, _ = _run(store)
        assert store.claim(first, "w1")
        findings = [finding(MFA, "alice"), finding(MFA, "bob")]
        assert store.complete(
            first, "w1", findings, {"targets": [], "errors": [], "partial": False}
        )
        # The same message again (a redelivery): not claimable, and completing is refused.
        assert not store.claim(first, "w2")
        assert not store.complete(first, "w2", findings, {})
        assert store.count_findings("r1") == 2
        assert store.job(first).status == DONE  # type: ignore[union-attr]


def test_one_running_job_per_scope_across_runs(location: StateLocation) -> None:
    with RunStore(location) as store:
        a, _ = _run(store, "night-1")
        b, _ = _run(store, "night-2")
        assert store.claim(a, "w1")
        assert not store.claim(b, "w2")  # the same account, another run: it waits
        assert store.job(b).status == QUEUED  # type: ignore[union-attr]
        store.complete(a, "w1", [], {"targets": [], "errors": [], "partial": False})
        assert store.claim(b, "w2")


def test_the_reaper_requeues_a_dead_workers_job_then_fails_it(location: StateLocation) -> None:
    clock = Clock()
    with RunStore(location, clock=clock) as store:
        job, _ = _run(store, attempts=2)
        assert store.claim(job, "dead-1")
        clock.now += 60
        assert store.heartbeat(job, "dead-1")
        assert store.reap() == []  # alive: its lease was just renewed
        clock.now += 10_000
        assert store.reap() == [job]
        assert store.job(job).status == QUEUED  # type: ignore[union-attr]
        assert not store.heartbeat(job, "dead-1")  # a worker that wakes up learns it lost it
        assert store.claim(job, "dead-2")
        clock.now += 10_000
        assert store.reap() == []  # attempts used up
        failed = store.job(job)
        assert failed is not None and failed.status == FAILED and failed.attempts == 2
        assert "worker lost" in (failed.error or "")
        assert not store.complete(job, "dead-2", [finding(MFA, "x")], {})


def test_finalize_happens_once(location: StateLocation) -> None:
    with RunStore(location) as store:
        _run(store)
        store.begin_finalize("r1")
        with pytest.raises(UsageError, match="finalized once"):
            store.begin_finalize("r1")
        with pytest.raises(UsageError, match="no run"):
            store.begin_finalize("missing")


def test_a_shard_planning_an_existing_run_keeps_its_plan(location: StateLocation) -> None:
    with RunStore(location) as store:
        _run(store)
        again = store.create_run("r1", T0 + timedelta(hours=1), PLAN, [], mode="brokered")
        assert again.started_at == T0 and len(store.jobs("r1")) == 2
        assert [j.status for j in store.jobs("r1")] == [QUEUED, QUEUED]


def test_a_scope_whose_job_failed_resolves_nothing(tmp_path: Path) -> None:
    """Its earlier open findings are 'not evaluated' in the history's diff, never resolved."""
    from scanner.distributed.finalize import run_document
    from scanner.history import HistoryStore
    from tests.nightly.documents import document

    clock = Clock()
    location = tmp_path / "h.db"
    with HistoryStore(location) as history:
        history.record(
            document(
                [finding(MFA, "alice", account="111111111111")],
                accounts=("111111111111", "222222222222"),
                check_ids=(MFA,),
            )
        )
    with RunStore(location, clock=clock) as store:
        first, second = _run(store, attempts=1)
        for job in (first, second):
            assert store.claim(job, "w")
        clock.now += 10_000
        store.reap()  # both jobs fail: no data arrived from either account
        run = store.run("r1")
        assert run is not None
        doc = run_document(store, run)
        try:
            assert doc.scan.partial
            assert {e.account for e in doc.scan.errors} == {"111111111111", "222222222222"}
            assert [t.account_name for t in doc.scan.targets] == ["prod", None]
            with HistoryStore(location) as history:
                recorded = history.record(doc)
        finally:
            doc.close()
    assert recorded.previous is not None  # the same scope: the diff is with that scan
    assert recorded.diff.resolved == ()
    assert [f.resource.name for f in recorded.diff.not_evaluated] == ["alice"]


def test_a_worker_requeues_a_dead_workers_job_on_the_broker(pg_url: str, redis: Redis) -> None:
    """Without the planner (stopped, or a run finalized later), the next job a worker takes
    reaps first: the lost job goes back on the real Redis queue, once."""
    clock = Clock()
    with RunStore(parse_state(pg_url), clock=clock) as store:
        job, _ = _run(store)
        assert store.claim(job, "dead-1")
        clock.now += 10_000
        app = make_app(redis.url, parse_state(pg_url))
        queue = StrictRedis.from_url(redis.url)
        before = int(queue.llen(QUEUE))  # type: ignore[arg-type]
        assert requeue_lost(store, app) == [job]
        assert requeue_lost(store, app) == []  # a second reaper finds nothing to requeue
        assert queue.llen(QUEUE) == before + 1
        message = json.loads(queue.lindex(QUEUE, 0))  # type: ignore[arg-type]
        assert message["headers"]["task"] == TASK
        # The job id and its run's id, nothing else (no plan, no credentials).
        assert json.loads(base64.b64decode(message["body"]))[0] == [job, "r1"]
        assert store.job(job).status == QUEUED  # type: ignore[union-attr]
