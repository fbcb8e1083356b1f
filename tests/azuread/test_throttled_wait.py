"""A throttled Graph call waits with its request slot released: the rest of the scan goes on."""

from __future__ import annotations

import time

import pytest

from checks.registry import all_checks, select_checks
from providers.demo.fakes.graph import throttled
from providers.demo.fakes.server import Fault
from scanner.config import PostureConfig
from scanner.scan import ScanPlan, run_scan

from .test_collector import Graph

pytestmark = pytest.mark.usefixtures("insecure_env")

SLOTS = 2
WAIT = 2.0
THROTTLED = (
    "/applications",
    "/servicePrincipals",
    "/roleManagement/directory/roleDefinitions",
    "/identity/conditionalAccess/policies",
)


def test_throttled_calls_wait_without_holding_a_slot(graph: Graph) -> None:
    server, _ = graph
    server.latency_seconds = 0.05  # requests overlap, so the peak below means something
    for path in THROTTLED:
        server.inject(Fault(path, 429, throttled(), {"Retry-After": f"{WAIT:g}"}))
    config = PostureConfig.model_validate(
        {"azuread": {"graph_endpoint": server.url, "max_requests_in_flight": SLOTS}}
    )
    checks = select_checks(all_checks(), ["azuread"])
    started = time.monotonic()
    doc = run_scan(ScanPlan(providers=("azuread",), checks=checks, config=config))
    elapsed = time.monotonic() - started
    assert not doc.scan.partial, doc.scan.errors
    # Waits holding slots would take at least len(THROTTLED) * WAIT / SLOTS = 4 s.
    assert elapsed < 0.9 * len(THROTTLED) * WAIT / SLOTS, elapsed
    throttled_at = [t for t, p in server.arrivals if p.startswith(f"/v1.0{THROTTLED[0]}")]
    first_429, retried = throttled_at[0], throttled_at[1]
    assert retried - first_429 >= WAIT - 0.1
    meanwhile = [
        p
        for t, p in server.arrivals
        if first_429 < t < retried and not any(x in p for x in THROTTLED)
    ]
    assert len(meanwhile) >= 5, meanwhile  # users, reports, policies... served during the wait
    assert server.peak_in_flight["v1.0"] == SLOTS
