"""A throttled GCP call waits on its own API's lane, without a request slot: the rest goes on."""

from __future__ import annotations

import time

from checks.registry import all_checks, select_checks
from providers.demo.fakes.gcp import FakeGcp, rate_limit_fault
from scanner.config import PostureConfig
from scanner.config.gcp import GcpConfig
from scanner.scan import ScanPlan, run_scan

SLOTS = 2
WAIT = 2
PROJECTS = 3
THROTTLED = ("/aggregated/sslPolicies", "/instances")  # Compute Engine and Cloud SQL


def test_throttled_calls_wait_without_taking_capacity_from_other_apis(fake: FakeGcp) -> None:
    fake.server.latency_seconds = 0.05  # requests overlap, so the peaks below mean something
    for path in THROTTLED:  # the first call of each project's task, once
        fake.inject(rate_limit_fault(path, times=PROJECTS, retry_after=WAIT))
    settings = {
        "organization": "482019374651",
        "max_requests_in_flight": SLOTS,
        "retry_initial_seconds": 0.01,
    }
    config = PostureConfig(gcp=GcpConfig.model_validate(settings))
    checks = select_checks(all_checks(), ["gcp"])
    started = time.monotonic()
    doc = run_scan(ScanPlan(providers=("gcp",), checks=checks, config=config))
    elapsed = time.monotonic() - started
    errors = {(e.account, e.collection, e.outcome) for e in doc.scan.errors}
    assert errors == set()  # Cloud SQL disabled in acme-analytics is no gap
    throttled_calls = len(THROTTLED) * PROJECTS
    # Waits holding a thread of one shared pool would take at least 6 * 2 s / 2 = 6 s.
    assert elapsed < 0.75 * throttled_calls * WAIT / SLOTS, elapsed
    sql = [t for t, p in fake.server.arrivals if p.startswith("/sqladmin/")]
    first_429, last_retry = sql[0], sql[-1]
    assert last_retry - first_429 >= WAIT - 0.1
    others = ("/iam/", "/storage/", "/cloudkms/", "/logging/")
    meanwhile = [p for t, p in fake.server.arrivals if first_429 < t < last_retry]
    assert len([p for p in meanwhile if p.startswith(others)]) >= 20, meanwhile
    peaks = fake.server.peak_in_flight
    assert max(peaks.values()) == SLOTS, peaks
