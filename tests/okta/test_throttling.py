"""A quarter of all Okta requests throttled: the scan retries and finds exactly the same."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from checks.registry import all_checks, select_checks
from providers.demo.fakes.okta import RATE_LIMIT, FakeOktaOrg, okta_error, rate_limited
from providers.okta.adapter import OktaProvider
from scanner.config import PostureConfig
from scanner.config.okta import OktaConfig, OktaOrg
from scanner.inventory import okta as inv
from scanner.providers import CollectRequest
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


def test_a_throttled_request_waits_without_holding_a_slot(fake_org: FakeOktaOrg) -> None:
    """With one request in flight at most, other collections go on while a 429 is waited out."""
    fake_org.inject(rate_limited("/api/v1/logStreams", times=1))
    org = OktaOrg(org_url=fake_org.url, token_env=TOKEN_ENV)
    config = PostureConfig(okta=OktaConfig(orgs=(org,), max_requests_in_flight=1))
    wanted = frozenset({inv.LOG_STREAMS, inv.NETWORK_ZONES, inv.API_TOKENS})
    (inventory,) = OktaProvider(config).collect(
        CollectRequest(config=config, collections=wanted, now=datetime.now(UTC))
    )
    assert all(o.ok for o in inventory.outcomes)
    paths = [p.split("?")[0] for _, p in fake_org.requests]
    first, retry = (i for i, p in enumerate(paths) if p == "/api/v1/logStreams")
    others = [i for i, p in enumerate(paths) if p in ("/api/v1/zones", "/api/v1/api-tokens")]
    assert any(first < i < retry for i in others), paths
