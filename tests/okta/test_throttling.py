"""A quarter of all Okta requests throttled: the scan retries and finds exactly the same."""

from __future__ import annotations

import time

from checks.registry import all_checks, select_checks
from fakes.okta import RATE_LIMIT, FakeOktaOrg, okta_error
from scanner.config import PostureConfig
from scanner.config.okta import OktaConfig, OktaOrg
from scanner.scan import ScanPlan, run_scan
from tests.okta.conftest import TOKEN_ENV


def _rate_limit_headers() -> dict[str, str]:
    """Okta's 429 headers; the window resets now, so the SDK waits about a second."""
    return {
        "X-Rate-Limit-Limit": str(RATE_LIMIT),
        "X-Rate-Limit-Remaining": "0",
        "X-Rate-Limit-Reset": str(int(time.time())),
    }


def _scan(fake: FakeOktaOrg) -> set[tuple[str, str]]:
    org = OktaOrg(org_url=fake.url, token_env=TOKEN_ENV)
    config = PostureConfig(okta=OktaConfig(orgs=(org,)))
    plan = ScanPlan(
        providers=("okta",), checks=select_checks(all_checks(), ["okta"]), config=config
    )
    doc = run_scan(plan)
    assert not doc.scan.partial, doc.scan.errors
    assert doc.findings
    return {(f.fingerprint, f.status.value) for f in doc.findings}


def test_throttled_scan_finds_exactly_what_a_clean_scan_finds(fake_org: FakeOktaOrg) -> None:
    clean = _scan(fake_org)
    fake_org.server.throttle(
        0.25,
        429,
        _rate_limit_headers,
        okta_error("E0000047", "API call exceeded rate limit due to too many requests."),
        seed=9,
    )
    started = time.monotonic()
    throttled = _scan(fake_org)
    assert fake_org.server.throttled > 0, "nothing was throttled"
    assert throttled == clean
    assert time.monotonic() - started < 20
