"""A quarter of all calls throttled: the scan retries through one policy and finds the same."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from checks.registry import all_checks, select_checks
from fakes.moto_server import MotoServer
from providers.aws.demo import seed_all
from scanner.config import PostureConfig
from scanner.config.aws import AwsConfig
from scanner.scan import ScanPlan, run_scan

pytestmark = pytest.mark.usefixtures("aws_env")


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[MotoServer]:
    with MotoServer() as moto:
        monkeypatch.setenv("AWS_ENDPOINT_URL", moto.url)
        seed_all()
        yield moto


def _scan() -> set[tuple[str, str]]:
    config = PostureConfig(aws=AwsConfig(regions=("us-east-1", "eu-west-1")))
    plan = ScanPlan(providers=("aws",), checks=select_checks(all_checks(), ["aws"]), config=config)
    doc = run_scan(plan)
    assert not doc.scan.partial, doc.scan.errors
    return {(f.fingerprint, f.status.value) for f in doc.findings}


def test_throttled_scan_finds_exactly_what_a_clean_scan_finds(server: MotoServer) -> None:
    clean = _scan()
    server.reset_counts()
    server.throttle = 0.25
    throttled = _scan()
    assert sum(server.throttled.values()) > 0, "nothing was throttled"
    assert throttled == clean
