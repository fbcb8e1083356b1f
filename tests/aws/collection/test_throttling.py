"""Throttling: the scan retries through one policy and finds the same; posture's in-flight limit
backs off the throttled service alone and never holds a slot through a retry's backoff."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import botocore.endpoint
import pytest

from checks.registry import all_checks, select_checks
from providers.aws.demo import seed_all
from providers.aws.session import AwsClients
from providers.demo.fakes.moto_server import MotoServer
from scanner.config import PostureConfig
from scanner.config.aws import AwsConfig
from scanner.endpoints import ALLOW_INSECURE_ENV
from scanner.scan import ScanPlan, run_scan

pytestmark = pytest.mark.usefixtures("aws_env")


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[MotoServer]:
    with MotoServer() as moto:
        monkeypatch.setenv("AWS_ENDPOINT_URL", moto.url)
        monkeypatch.setenv(ALLOW_INSECURE_ENV, "1")
        seed_all()
        yield moto


def _scan() -> set[tuple[str, str]]:
    config = PostureConfig(aws=AwsConfig(regions=("us-east-1", "eu-west-1")))
    plan = ScanPlan(providers=("aws",), checks=select_checks(all_checks(), ["aws"]), config=config)
    doc = run_scan(plan)
    assert not doc.scan.partial, doc.scan.errors
    return {(f.fingerprint, f.status.value) for f in doc.findings}


def test_throttled_scan_finds_exactly_what_a_clean_scan_finds(
    server: MotoServer, caplog: pytest.LogCaptureFixture
) -> None:
    clean = _scan()
    server.reset_counts()
    server.throttle = 0.25
    caplog.set_level(logging.INFO, logger="providers.aws.adapter")
    throttled = _scan()
    assert sum(server.throttled.values()) > 0, "nothing was throttled"
    assert throttled == clean
    assert any("in-flight limit went down to" in r.getMessage() for r in caplog.records)


@pytest.fixture
def bare_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[MotoServer]:
    with MotoServer() as moto:
        monkeypatch.setenv("AWS_ENDPOINT_URL", moto.url)
        monkeypatch.setenv(ALLOW_INSECURE_ENV, "1")
        yield moto


@pytest.fixture
def short_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """botocore's retry backoff, capped at 20 ms so these tests stay fast."""
    monkeypatch.setattr(
        botocore.endpoint, "time", SimpleNamespace(sleep=lambda s: time.sleep(min(s, 0.02)))
    )


def _in_parallel(threads: int, calls: int, call: Callable[[], object]) -> None:
    with ThreadPoolExecutor(threads) as pool:
        for future in [pool.submit(call) for _ in range(calls)]:
            future.result()


@pytest.mark.usefixtures("short_backoff")
def test_throttling_cuts_the_in_flight_limit_which_recovers_and_is_never_exceeded(
    bare_server: MotoServer,
) -> None:
    server = bare_server
    clients = AwsClients(AwsConfig(max_workers=8, max_attempts=21))
    s3 = clients.client("s3", "us-east-1")
    assert clients.slots is not None
    limit = clients.slots.limit("s3", "us-east-1")
    assert limit.ceiling == 8
    server.reset_counts()
    server.latency = 0.005
    server.throttle = 0.3
    server.throttle_only = frozenset({"s3"})
    _in_parallel(16, 80, s3.list_buckets)
    assert clients.counter.throttles["s3"] == sum(server.throttled.values()) > 0
    assert limit.lowest < limit.ceiling
    assert clients.slots.pushed_back() == {("s3", "us-east-1"): limit.lowest}
    assert server.peak_in_flight[("s3", "us-east-1")] <= limit.ceiling

    server.throttle = 0.0
    _in_parallel(16, 80, s3.list_buckets)
    assert limit.limit == limit.ceiling
    assert server.peak_in_flight[("s3", "us-east-1")] <= limit.ceiling
    assert limit.in_flight == 0


@pytest.mark.usefixtures("short_backoff")
def test_a_throttled_call_retries_without_holding_up_other_requests(
    bare_server: MotoServer,
) -> None:
    server = bare_server
    # One slot per service and region: if a retrying call kept it through its backoff, no
    # other IAM request could go out until that call ended.
    clients = AwsClients(AwsConfig(max_workers=1, max_attempts=31))
    iam = clients.client("iam")
    ec2 = clients.client("ec2", "us-east-1")
    assert clients.slots is not None
    assert clients.slots.limit("iam", "us-east-1").ceiling == 1
    iam.list_roles()  # moto builds its backends on first use: not while the clock runs
    ec2.describe_regions()
    server.reset_counts()
    server.throttle = 1.0
    server.throttle_only = frozenset({"iam.ListUsers"})
    with ThreadPoolExecutor(1) as pool:
        throttled = pool.submit(iam.list_users)
        deadline = time.monotonic() + 10
        while not server.throttled["iam.ListUsers"] and time.monotonic() < deadline:
            time.sleep(0.005)
        for _ in range(5):
            iam.list_roles()
            ec2.describe_regions()
        assert not throttled.done()
        server.throttle = 0.0
        assert "Users" in throttled.result(timeout=10)
    assert server.calls["iam.ListRoles"] == 5 and server.calls["ec2.DescribeRegions"] == 5
