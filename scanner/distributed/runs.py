"""Runs and jobs in the history database: the source of truth every shard and worker shares.

A job is one (provider, scope) of a run. Its findings and its `done` mark are written in one
transaction, findings with `INSERT ... ON CONFLICT (run, fingerprint) DO NOTHING`: a job
delivered twice, or re-run after its worker died, leaves exactly one copy, and a redelivered
job that is already done does nothing.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, func, select, update
from sqlalchemy.exc import DatabaseError, IntegrityError

from scanner.errors import UsageError
from scanner.history import database
from scanner.history.location import StateLocation
from scanner.history.schema import job_parts, jobs, run_findings, runs
from scanner.history.store import (
    BATCH,
    BUSY_TIMEOUT_MS,
    database_reason,
    pack,
    unpack,
    upsert,
)
from scanner.models.findings import Finding

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
COLLECTING, FINALIZING, FINALIZED = "collecting", "finalizing", "finalized"
LEASE_SECONDS = 120.0
"""A running job whose heartbeat is older than this belongs to a dead worker (beats come every
fifth of it, so a live worker misses four in a row before it is taken for dead)."""
LEASE_ENV = "POSTURE_JOB_LEASE_SECONDS"


def seconds_from_env(name: str, default: float) -> float:
    """A duration in seconds from the environment (at least 1), else `default`."""
    try:
        return max(1.0, float(os.environ.get(name, default)))
    except ValueError:
        return default


def lease_seconds() -> float:
    """The lease (POSTURE_JOB_LEASE_SECONDS, for tests and slow networks); beats come 5 a lease."""
    return seconds_from_env(LEASE_ENV, LEASE_SECONDS)


MAX_ATTEMPTS = 3
FINALIZE_JOB = 0
"""The job id of the findings finalize evaluates itself (job ids start at 1)."""


@dataclass(frozen=True)
class Scope:
    provider: str
    scope: str
    """The account, project, tenant or org; "*" for a provider scanned as one job."""
    name: str | None = None
    """The account's name where the listing gives one (the header's account_name)."""
    detail: Mapping[str, Any] | None = field(default=None, compare=False, hash=False)
    """What the listing learnt of the scope, for its job (scanner.plugin.PlannedScope)."""

    @property
    def key(self) -> str:
        return f"{self.provider}:{self.scope}"


@dataclass(frozen=True)
class Job:
    id: int
    run_id: str
    scope: Scope
    status: str
    attempts: int
    max_attempts: int
    worker: str | None
    error: str | None
    result: dict[str, Any] | None


@dataclass(frozen=True)
class Run:
    id: str
    started_at: datetime
    status: str
    mode: str
    shards: int | None
    plan: dict[str, Any]
    exit_code: int | None


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _job(row: Any) -> Job:
    return Job(
        id=int(row.id),
        run_id=row.run_id,
        scope=Scope(
            row.provider, row.scope, row.name, json.loads(row.detail) if row.detail else None
        ),
        status=row.status,
        attempts=int(row.attempts),
        max_attempts=int(row.max_attempts),
        worker=row.worker,
        error=row.error,
        result=json.loads(row.result) if row.result else None,
    )


class RunStore:
    """The runs/jobs tables of the history at `location` (migrated to the current schema)."""

    def __init__(self, location: StateLocation, clock: Any = time.time) -> None:
        self.location = location
        self.clock = clock
        try:
            self.engine: Engine = database.open_engine(location, BUSY_TIMEOUT_MS, read_only=False)
            with self.write() as conn:
                database.upgrade(conn, location)
        except DatabaseError as exc:
            raise UsageError(f"history store {location}: {database_reason(exc)}") from None

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> RunStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def write(self) -> Any:
        """A write transaction (SQLite: BEGIN IMMEDIATE)."""
        return _WriteTransaction(self.engine)

    # -- planning -----------------------------------------------------------------------

    def create_run(
        self,
        run_id: str,
        started: datetime,
        plan: dict[str, Any],
        scopes: Sequence[Scope],
        mode: str,
        shards: int | None = None,
        shard_of: Any = None,
        max_attempts: int = MAX_ATTEMPTS,
    ) -> Run:
        """The run and one job per scope, in one transaction. A second shard planning the same
        run id finds it there and keeps the first plan (every shard plans the same scopes)."""
        with self.write() as conn:
            found = conn.execute(select(runs).where(runs.c.id == run_id)).first()
            if found is None:
                conn.execute(
                    runs.insert().values(
                        id=run_id,
                        created_at=_now(),
                        started_at=started.isoformat(),
                        status=COLLECTING,
                        mode=mode,
                        shards=shards,
                        plan=json.dumps(plan, sort_keys=True),
                    )
                )
                if scopes:
                    conn.execute(
                        jobs.insert(),
                        [
                            {
                                "run_id": run_id,
                                "provider": s.provider,
                                "scope": s.scope,
                                "name": s.name,
                                "detail": json.dumps(s.detail, sort_keys=True)
                                if s.detail is not None
                                else None,
                                "shard": shard_of(s) if shard_of else None,
                                "status": QUEUED,
                                "max_attempts": max_attempts,
                            }
                            for s in scopes
                        ],
                    )
            elif found.mode != mode or found.shards != shards:
                raise UsageError(
                    f"run {run_id} exists as a {found.mode} run"
                    + (f" of {found.shards} shards" if found.shards else "")
                )
        run = self.run(run_id)
        assert run is not None
        return run

    def run(self, run_id: str) -> Run | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(runs).where(runs.c.id == run_id)).first()
        if row is None:
            return None
        return Run(
            id=row.id,
            started_at=datetime.fromisoformat(row.started_at),
            status=row.status,
            mode=row.mode,
            shards=row.shards,
            plan=json.loads(row.plan),
            exit_code=row.exit_code,
        )

    def jobs(self, run_id: str, shard: int | None = None) -> list[Job]:
        query = select(jobs).where(jobs.c.run_id == run_id).order_by(jobs.c.id)
        if shard is not None:
            query = query.where(jobs.c.shard == shard)
        with self.engine.connect() as conn:
            return [_job(r) for r in conn.execute(query)]

    def job_of(self, run_id: str, provider: str, scope: str) -> Job | None:
        """The run's job for one scope."""
        query = select(jobs).where(
            jobs.c.run_id == run_id, jobs.c.provider == provider, jobs.c.scope == scope
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return _job(row) if row else None

    def job(self, job_id: int) -> Job | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(jobs).where(jobs.c.id == job_id)).first()
        return _job(row) if row else None

    # -- executing ----------------------------------------------------------------------

    def claim(self, job_id: int, worker: str) -> bool:
        """Marks a queued job running for `worker`. False when it is not queued (done, failed,
        running elsewhere) or when another run is scanning the same scope right now."""
        now = self.clock()
        try:
            with self.write() as conn:
                claimed = conn.execute(
                    update(jobs)
                    .where(jobs.c.id == job_id, jobs.c.status == QUEUED)
                    .values(
                        status=RUNNING,
                        worker=worker,
                        attempts=jobs.c.attempts + 1,
                        heartbeat_at=now,
                        lease_until=now + lease_seconds(),
                    )
                ).rowcount
        except IntegrityError:
            return False  # jobs_one_running: the scope is being scanned by another run
        return bool(claimed)

    def heartbeat(self, job_id: int, worker: str) -> bool:
        """Extends the lease; False when the job is no longer this worker's (reaped)."""
        now = self.clock()
        with self.write() as conn:
            return bool(
                conn.execute(
                    update(jobs)
                    .where(jobs.c.id == job_id, jobs.c.worker == worker, jobs.c.status == RUNNING)
                    .values(heartbeat_at=now, lease_until=now + lease_seconds())
                ).rowcount
            )

    def complete(
        self,
        job_id: int,
        worker: str,
        findings: Iterable[Finding],
        result: dict[str, Any],
        part: bytes | None = None,
    ) -> bool:
        """The job's findings, its part of the run (scanner.distributed.parts) and its done mark,
        in one transaction. False (and nothing written) when the job was not this worker's to
        finish: done already, or reaped."""
        with self.write() as conn:
            row = conn.execute(
                select(jobs.c.run_id, jobs.c.status, jobs.c.worker).where(jobs.c.id == job_id)
            ).first()
            if row is None or row.status != RUNNING or row.worker != worker:
                return False
            _insert_findings(conn, row.run_id, job_id, findings)
            if part is not None:
                conn.execute(job_parts.insert().values(job_id=job_id, run_id=row.run_id, body=part))
            conn.execute(
                update(jobs)
                .where(jobs.c.id == job_id)
                .values(
                    status=DONE,
                    result=json.dumps(result, sort_keys=True),
                    finished_at=_now(),
                    lease_until=None,
                )
            )
        return True

    def release(self, job_id: int, worker: str, error: str) -> None:
        """A job that raised: back to the queue while attempts remain, else failed."""
        with self.write() as conn:
            self._requeue_or_fail(conn, [job_id], error, worker)

    def reap(self) -> list[int]:
        """Jobs whose worker stopped heart-beating: requeued (bounded attempts) or failed.
        Returns the requeued job ids (to be enqueued again)."""
        now = self.clock()
        with self.write() as conn:
            dead = list(
                conn.execute(
                    select(jobs.c.id).where(jobs.c.status == RUNNING, jobs.c.lease_until < now)
                ).scalars()
            )
            return self._requeue_or_fail(conn, dead, "worker lost (no heartbeat)")

    @staticmethod
    def _requeue_or_fail(
        conn: Connection, job_ids: Sequence[int], error: str, worker: str | None = None
    ) -> list[int]:
        requeued = []
        for job_id in job_ids:
            query = select(jobs).where(jobs.c.id == job_id, jobs.c.status == RUNNING)
            if worker is not None:
                query = query.where(jobs.c.worker == worker)
            row = conn.execute(query).first()
            if row is None:
                continue
            retry = row.attempts < row.max_attempts
            # The status in the WHERE: of two reapers racing, only one requeues the job.
            changed = conn.execute(
                update(jobs)
                .where(jobs.c.id == job_id, jobs.c.status == RUNNING)
                .values(
                    status=QUEUED if retry else FAILED,
                    worker=None,
                    lease_until=None,
                    error=f"attempt {row.attempts}: {error}",
                    finished_at=None if retry else _now(),
                )
            )
            if retry and changed.rowcount:
                requeued.append(job_id)
        return requeued

    # -- finalizing ---------------------------------------------------------------------

    def begin_finalize(self, run_id: str) -> Run:
        """Takes the run for finalizing, once: a compare-and-set on the run's row (its row
        lock), so two finalizers never both deliver."""
        with self.write() as conn:
            taken = conn.execute(
                update(runs)
                .where(runs.c.id == run_id, runs.c.status == COLLECTING)
                .values(status=FINALIZING)
            ).rowcount
            status = conn.execute(select(runs.c.status).where(runs.c.id == run_id)).scalar()
        if status is None:
            raise UsageError(f"no run {run_id} in {self.location}")
        if not taken:
            raise UsageError(f"run {run_id} is {status} already: it is finalized once")
        run = self.run(run_id)
        assert run is not None
        return run

    def abandon_finalize(self, run_id: str) -> None:
        with self.write() as conn:
            conn.execute(
                update(runs)
                .where(runs.c.id == run_id, runs.c.status == FINALIZING)
                .values(status=COLLECTING)
            )

    def end_finalize(self, run_id: str, exit_code: int, scan_id: int | None) -> None:
        with self.write() as conn:
            conn.execute(
                update(runs)
                .where(runs.c.id == run_id)
                .values(status=FINALIZED, exit_code=exit_code, scan_id=scan_id, finalized_at=_now())
            )

    def parts(self, run_id: str) -> dict[int, bytes]:
        """The stored parts of the run's done jobs, by job id."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(job_parts.c.job_id, job_parts.c.body).where(job_parts.c.run_id == run_id)
            ).all()
        return {int(r.job_id): bytes(r.body) for r in rows}

    def finalize_findings(self, run_id: str, findings: Iterable[Finding]) -> None:
        """The findings finalize itself evaluates (the run checks, the providers that read the
        run), under the job id FINALIZE_JOB; a finalize retried after a failure replaces them."""
        with self.write() as conn:
            conn.execute(
                run_findings.delete().where(
                    run_findings.c.run_id == run_id, run_findings.c.job_id == FINALIZE_JOB
                )
            )
            _insert_findings(conn, run_id, FINALIZE_JOB, findings)

    def findings(self, run_id: str) -> Iterator[Finding]:
        """The run's findings, read in batches (a run's findings can be millions)."""
        last = ""
        while True:
            with self.engine.connect() as conn:
                rows = conn.execute(
                    select(run_findings.c.fingerprint, run_findings.c.body)
                    .where(run_findings.c.run_id == run_id, run_findings.c.fingerprint > last)
                    .order_by(run_findings.c.fingerprint)
                    .limit(BATCH)
                ).all()
            if not rows:
                return
            for r in rows:
                yield unpack(r.body)
            last = rows[-1].fingerprint

    def count_findings(self, run_id: str) -> int:
        with self.engine.connect() as conn:
            query = select(func.count()).where(run_findings.c.run_id == run_id)
            return int(conn.execute(query).scalar_one())


def _insert_findings(
    conn: Connection, run_id: str, job_id: int, findings: Iterable[Finding]
) -> None:
    for batch in _batches(findings):
        conn.execute(
            upsert(conn, run_findings).on_conflict_do_nothing(),
            [
                {"run_id": run_id, "fingerprint": f.fingerprint, "job_id": job_id, "body": pack(f)}
                for f in batch
            ],
        )


def _batches(findings: Iterable[Finding]) -> Iterator[list[Finding]]:
    batch: list[Finding] = []
    for f in findings:
        batch.append(f)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


class _WriteTransaction:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def __enter__(self) -> Connection:
        self.conn = self.engine.connect()
        self.conn.info[database.WRITE_FLAG] = True
        self.tx = self.conn.begin()
        return self.conn

    def __exit__(self, exc_type: object, *rest: object) -> None:
        try:
            if exc_type is None:
                self.tx.commit()
            else:
                self.tx.rollback()
        finally:
            self.conn.info.pop(database.WRITE_FLAG, None)
            self.conn.close()
