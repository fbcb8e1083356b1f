"""A quarter of all GCP requests throttled: the scan retries and finds exactly the same."""

from __future__ import annotations

import time

from checks.registry import all_checks, select_checks
from providers.demo.fakes.gcp import FakeGcp, rate_limit_fault
from scanner.config import PostureConfig
from scanner.config.gcp import GcpConfig
from scanner.scan import ScanPlan, run_scan


def _scan() -> tuple[set[tuple[str, str]], set[tuple[str, str, str]]]:
    """Findings (fingerprint, status), and the collections that did not end OK."""
    settings = {
        "organization": "482019374651",
        "workspace_admin": "admin@acme.example",
        "retry_initial_seconds": 0.25,  # the backoff's first step; the test stays short
    }
    config = PostureConfig(gcp=GcpConfig.model_validate(settings))
    checks = select_checks(all_checks(), ["gcp"])
    doc = run_scan(ScanPlan(providers=("gcp",), checks=checks, config=config))
    assert doc.findings
    errors = {(e.account, e.collection, e.outcome) for e in doc.scan.errors}
    return {(f.fingerprint, f.status.value) for f in doc.findings}, errors


def test_throttled_scan_finds_exactly_what_a_clean_scan_finds(fake: FakeGcp) -> None:
    clean, clean_errors = _scan()
    # Cloud SQL disabled in acme-analytics is no gap: that project holds no instances.
    assert clean_errors == set()
    quota = rate_limit_fault("", retry_after=0)  # Google's RESOURCE_EXHAUSTED body
    fake.server.throttle(0.25, 429, quota.headers, quota.body, seed=9)
    started = time.monotonic()
    found, errors = _scan()
    assert fake.server.throttled > 0, "nothing was throttled"
    assert found == clean
    assert errors == clean_errors  # nothing partial
    assert time.monotonic() - started < 20
