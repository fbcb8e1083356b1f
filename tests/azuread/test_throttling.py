"""A quarter of all Graph requests throttled: the scan retries and finds exactly the same."""

from __future__ import annotations

import time

import pytest

from checks.registry import all_checks, select_checks
from providers.demo.fakes.graph import throttled
from providers.demo.fakes.server import FakeServer
from scanner.config import PostureConfig
from scanner.scan import ScanPlan, run_scan

from .test_collector import Graph

pytestmark = pytest.mark.usefixtures("insecure_env")


def _scan(server: FakeServer) -> set[tuple[str, str]]:
    config = PostureConfig.model_validate({"azuread": {"graph_endpoint": server.url}})
    checks = select_checks(all_checks(), ["azuread"])
    doc = run_scan(ScanPlan(providers=("azuread",), checks=checks, config=config))
    assert not doc.scan.partial, doc.scan.errors
    assert doc.findings
    return {(f.fingerprint, f.status.value) for f in doc.findings}


def test_throttled_scan_finds_exactly_what_a_clean_scan_finds(graph: Graph) -> None:
    server, _ = graph
    clean = _scan(server)
    server.throttle(0.25, 429, {"Retry-After": "1"}, throttled(), seed=9)
    started = time.monotonic()
    found = _scan(server)
    assert server.throttled > 0, "nothing was throttled"
    assert found == clean
    assert time.monotonic() - started < 20
