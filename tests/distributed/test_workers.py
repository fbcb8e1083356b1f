"""Two real Celery workers (real Redis, real PostgreSQL) against a moto organisation; one is
killed with SIGKILL mid-job. The run completes with the in-process findings, no duplicate
fingerprint, the same exit code."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from scanner.history.location import parse_state
from tests.distributed.support import (
    LEASE,
    brokered_with_a_killed_worker,
    comparable,
    organization,
    posture,
    scan_args,
)
from tests.servers import Redis

pytestmark = pytest.mark.slow


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
        out = tmp_path / "brokered.json"
        code, killed = brokered_with_a_killed_worker(
            scan_args(), redis.url, pg_url, "night", out, workers, org.env
        )
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
