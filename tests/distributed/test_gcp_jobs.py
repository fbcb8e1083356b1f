"""GCP in a distributed run: one job per project, one for the folders and organization above
them, one for the Workspace directory. Three shards + finalize give exactly the in-process
scan of the fake organization, with the same API calls (nothing read twice, nothing lost)."""

from __future__ import annotations

import json
import subprocess
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis as redis_client

from providers.demo.fakes.gcp import FakeGcp, permission_denied_fault
from providers.gcp.clients import ENDPOINT_ENV
from scanner.distributed.runs import RunStore
from scanner.endpoints import ALLOW_INSECURE_ENV
from scanner.history.location import parse_state
from tests.distributed.support import (
    LEASE,
    brokered_with_a_killed_worker,
    comparable,
    posture,
    sharded_run,
)
from tests.gcp.conftest import quick_config, serving
from tests.servers import Redis

pytestmark = pytest.mark.slow
ORG = "482019374651"
ORGANIZATION = ("--organization", ORG, "--workspace-admin", "admin@acme.example")


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGcp]:
    with serving(monkeypatch) as server:
        yield server


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    return quick_config(tmp_path)


def gcp_args(config_file: Path, *scope: str) -> list[str]:
    return ["scan", "--provider", "gcp", "--config", str(config_file), *scope]


def calls(fake: FakeGcp, since: int = 0) -> Counter[tuple[str, str]]:
    return Counter(fake.requests[since:])


def in_process(
    fake: FakeGcp, tmp_path: Path, args: list[str]
) -> tuple[int, Path, Counter[tuple[str, str]]]:
    out = tmp_path / "inproc.json"
    before = len(fake.requests)
    code = posture(*args, "--state", str(tmp_path / "h.db"), "--output", f"json={out}", "-q")
    return code, out, calls(fake, before)


def sharded(pg_url: str, tmp_path: Path, args: list[str], run_id: str) -> tuple[int, Path]:
    return sharded_run([*args, "-q"], pg_url, tmp_path, run_id, shards=3)


def test_an_organization_runs_as_one_job_per_project_and_equals_the_in_process_scan(
    fake: FakeGcp, pg_url: str, tmp_path: Path, config_file: Path
) -> None:
    args = gcp_args(config_file, *ORGANIZATION)
    expected, inproc, inproc_calls = in_process(fake, tmp_path, args)
    before = len(fake.requests)
    code, merged = sharded(pg_url, tmp_path, args, "gcp-night")
    assert code == expected == 1
    assert comparable(merged) == comparable(inproc)
    # The in-process scan's calls, each ancestor's policy read once in the run. One more: a
    # project job reads the bucket its sink writes to in another project (buckets.get), which
    # the in-process scan took from that project's bucket list.
    extra = calls(fake, before) - inproc_calls
    assert extra == Counter({("GET", "/storage/storage/v1/b/acme-secure-log-archive?alt=json"): 1})
    assert not inproc_calls - calls(fake, before)
    policies = [p.split("?")[0] for _, p in fake.requests[before:] if ":getIamPolicy" in p]
    assert sorted(p for p in policies if "/folders/" in p or "/organizations/" in p) == [
        "/cloudresourcemanager/v3/folders/730194628105:getIamPolicy",
        f"/cloudresourcemanager/v3/organizations/{ORG}:getIamPolicy",
    ]
    with RunStore(parse_state(pg_url)) as store:
        jobs = [j.scope.key for j in store.jobs("gcp-night")]
    assert jobs == [
        "gcp:acme-analytics",
        "gcp:acme-prod",
        "gcp:acme-secure",
        f"gcp:organizations/{ORG}",
        "gcp:my_customer",
    ]
    fps = [f["fingerprint"] for f in json.loads(merged.read_text())["findings"]]
    assert len(fps) == len(set(fps))


def test_a_project_list_runs_as_one_job_per_project(
    fake: FakeGcp, pg_url: str, tmp_path: Path, config_file: Path
) -> None:
    args = gcp_args(config_file, "--project", "acme-secure", "--project", "acme-prod")
    expected, inproc, inproc_calls = in_process(fake, tmp_path, args)
    before = len(fake.requests)
    code, merged = sharded(pg_url, tmp_path, args, "gcp-list")
    assert code == expected == 1
    assert comparable(merged) == comparable(inproc)
    assert calls(fake, before) == inproc_calls
    with RunStore(parse_state(pg_url)) as store:
        assert [j.scope.scope for j in store.jobs("gcp-list")] == ["acme-secure", "acme-prod"]


def test_an_organization_that_cannot_be_listed_runs_as_one_job_reporting_it(
    fake: FakeGcp, pg_url: str, tmp_path: Path, config_file: Path
) -> None:
    fake.inject(permission_denied_fault("projects:search", "resourcemanager.projects.get", 3))
    args = gcp_args(config_file, *ORGANIZATION)
    expected, inproc, _ = in_process(fake, tmp_path, args)
    code, merged = sharded(pg_url, tmp_path, args, "gcp-denied")
    assert code == expected == 3  # partial: the organization's projects are unknown
    assert comparable(merged) == comparable(inproc)
    with RunStore(parse_state(pg_url)) as store:
        assert [j.scope.key for j in store.jobs("gcp-denied")] == ["gcp:*", "gcp:my_customer"]


def test_two_workers_one_killed_mid_job_give_the_in_process_scan(
    workers: list[subprocess.Popen[bytes]],
    fake: FakeGcp,
    redis: Redis,
    pg_url: str,
    tmp_path: Path,
    config_file: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    args = gcp_args(config_file, *ORGANIZATION)
    expected, inproc, _ = in_process(fake, tmp_path, args)
    fake.server.latency_seconds = 0.03  # jobs long enough to be caught running
    monkeypatch.setenv("POSTURE_JOB_LEASE_SECONDS", LEASE)
    env = {ENDPOINT_ENV: fake.url, ALLOW_INSECURE_ENV: "1"}
    out = tmp_path / "brokered.json"
    code, killed = brokered_with_a_killed_worker(args, redis.url, pg_url, "gcp", out, workers, env)
    assert killed, "no job was seen running"
    assert code == expected == 1
    assert comparable(out) == comparable(inproc)
    fps = [f["fingerprint"] for f in json.loads(out.read_text())["findings"]]
    assert len(fps) == len(set(fps))
    with RunStore(parse_state(pg_url)) as store:
        attempts = {j.scope.scope: j.attempts for j in store.jobs("gcp")}
    assert attempts[killed[0]] == 2  # the killed job ran again, once
    # The workers drew the client-based calls (Cloud KMS, Resource Manager, the Directory)
    # from one limiter in the broker's Redis, keyed by quota project and API.
    keys = {k.decode() for k in redis_client.from_url(redis.url).keys("*posture-gcp-quota*")}
    assert {k.split("/")[3] for k in keys} >= {"cloudkms", "cloudresourcemanager", "admin"}
