"""Two real Celery workers (real Redis, real PostgreSQL) against a moto organisation; one is
killed with SIGKILL mid-job. The run completes with the in-process findings, no duplicate
fingerprint, the same exit code."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import ProgrammingError

from scanner.history.location import parse_state
from tests.distributed.support import comparable, organization, posture, scan_args, worker_argv
from tests.servers import Redis

pytestmark = pytest.mark.slow
ROOT = Path(__file__).parents[2]
LEASE = "4"


def start_worker(broker: str, state: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        worker_argv(broker, state),
        cwd=ROOT,
        env={**os.environ, **env, "PYTHONPATH": str(ROOT), "POSTURE_JOB_LEASE_SECONDS": LEASE},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: SIGKILL takes its pool children too
    )


@pytest.fixture
def workers(
    redis: Redis, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for proc in started:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


def kill_the_worker_of_a_running_job(
    pg_url: str, procs: list[subprocess.Popen[bytes]], killed: list[str]
) -> None:
    engine = create_engine(parse_state(pg_url).url)  # type: ignore[union-attr]
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and not killed:
        try:
            with engine.connect() as conn:
                row = conn.execute(
                    text("SELECT worker, scope FROM jobs WHERE status = 'running' LIMIT 1")
                ).first()
        except ProgrammingError:  # the workers have not created the tables yet
            row = None
        if row is not None:
            pid = int(row.worker.rsplit(":", 1)[1])
            group = os.getpgid(pid)
            os.killpg(group, signal.SIGKILL)
            killed.append(row.scope)
            return
        time.sleep(0.05)
    engine.dispose()


def test_a_worker_killed_mid_job_changes_nothing(
    workers: list[subprocess.Popen[bytes]],
    redis: Redis,
    pg_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("POSTURE_JOB_LEASE_SECONDS", LEASE)
    with organization(monkeypatch, members=6) as org:
        inproc = tmp_path / "inproc.json"
        expected = posture(
            *scan_args(), "--state", str(tmp_path / "h.db"), "--output", f"json={inproc}", "-q"
        )
        workers.extend(start_worker(redis.url, pg_url, org.env) for _ in range(2))
        killed: list[str] = []
        killer = threading.Thread(
            target=kill_the_worker_of_a_running_job, args=(pg_url, workers, killed)
        )
        killer.start()
        out = tmp_path / "brokered.json"
        code = posture(
            *scan_args(),
            "--broker",
            redis.url,
            "--state",
            pg_url,
            "--run-id",
            "night",
            "--output",
            f"json={out}",
            "-q",
        )
        killer.join()
        assert killed, "no job was seen running"
        assert code == expected == 1
        assert comparable(out) == comparable(inproc)
        fps = [f["fingerprint"] for f in json.loads(out.read_text())["findings"]]
        assert len(fps) == len(set(fps))
        engine = create_engine(parse_state(pg_url).url)  # type: ignore[union-attr]
        with engine.connect() as conn:
            attempts = dict(conn.execute(text("SELECT scope, attempts FROM jobs")).all())
            stored = conn.execute(
                text("SELECT count(*), count(DISTINCT fingerprint) FROM run_findings")
            ).one()
        engine.dispose()
        assert attempts[killed[0]] == 2  # the killed job ran again, once
        assert stored[0] == stored[1] == len(fps)
