"""Shard mode: three shards and a finalize give exactly the in-process scan of the organisation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scanner.distributed.plan import shard_of
from scanner.distributed.runs import DONE, LEASE_ENV, QUEUED, RunStore, Scope
from scanner.history.location import parse_state
from tests.distributed.support import comparable, organization, posture, scan_args

pytestmark = pytest.mark.slow


def test_three_shards_and_finalize_equal_one_in_process_scan(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with organization(monkeypatch, members=5) as org:
        inproc = tmp_path / "inproc.json"
        expected = posture(
            *scan_args(), "--state", str(tmp_path / "h.db"), "--output", f"json={inproc}", "-q"
        )
        for k in (1, 2, 3):
            code = posture(
                *scan_args(), "--shard", f"{k}/3", "--run-id", "night-1", "--state", pg_url, "-q"
            )
            assert code == 0
        merged = tmp_path / "merged.json"
        code = posture(
            "finalize", "--run-id", "night-1", "--state", pg_url, "--output", f"json={merged}", "-q"
        )
        assert code == expected == 1
        assert comparable(merged) == comparable(inproc)
        accounts = {t["account"] for t in json.loads(merged.read_text())["scan"]["targets"]}
        assert set(org.members) <= accounts
        fps = [f["fingerprint"] for f in json.loads(merged.read_text())["findings"]]
        assert len(fps) == len(set(fps))
        # Finalized once: a second finalize is refused, the history holds the run once.
        assert posture("finalize", "--run-id", "night-1", "--state", pg_url, "-q") == 2
        assert posture("history", "--state", pg_url, "--format", "json") == 0


def test_a_scope_always_lands_in_the_same_shard() -> None:
    scopes = [Scope("aws", f"{n:012d}") for n in range(300)]
    first = [shard_of(s, 3) for s in scopes]
    assert first == [shard_of(s, 3) for s in scopes]
    assert set(first) == {1, 2, 3}
    assert all(first.count(k) > 60 for k in (1, 2, 3))


def test_finalize_waits_for_every_shard(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with organization(monkeypatch, members=3):
        assert (
            posture(*scan_args(), "--shard", "1/2", "--run-id", "r", "--state", pg_url, "-q") == 0
        )
        code = posture("finalize", "--run-id", "r", "--state", pg_url, "-q")
        assert code == 2  # shard 2's jobs are not in: nothing delivered, the run stays open
        assert (
            posture(*scan_args(), "--shard", "2/2", "--run-id", "r", "--state", pg_url, "-q") == 0
        )
        assert posture("finalize", "--run-id", "r", "--state", pg_url, "-q") in (0, 1)


def test_a_rerun_shard_takes_over_the_job_its_killed_copy_held(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A shard killed mid-job leaves that job running under a dead worker; the re-run (the
    Indexed Job's retry) waits out the lease, reaps it and finishes the shard's work."""
    monkeypatch.setenv(LEASE_ENV, "2")
    with organization(monkeypatch, members=3):
        args = (*scan_args(), "--run-id", "r", "--state", pg_url, "-q")
        assert posture(*args, "--shard", "1/2") == 0  # plans the run, runs shard 1
        with RunStore(parse_state(pg_url)) as store:
            held = next(j for j in store.jobs("r", shard=2) if j.status == QUEUED)
            assert store.claim(held.id, "killed-shard:1")
        assert posture(*args, "--shard", "2/2") == 0
        with RunStore(parse_state(pg_url)) as store:
            job = store.job(held.id)
            assert job is not None and job.status == DONE and job.attempts == 2
        assert posture("finalize", "--run-id", "r", "--state", pg_url, "-q") == 1
