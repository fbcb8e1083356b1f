"""A hung Okta endpoint cannot hang the scan: the deadline ends it, partial, exit code 3."""

from __future__ import annotations

import time

from checks.registry import all_checks, select_checks
from providers.demo.fakes.okta import FakeOktaOrg
from providers.demo.fakes.server import Fault
from scanner.config import PostureConfig
from scanner.config.okta import OktaConfig, OktaOrg
from scanner.inventory import okta as inv
from scanner.models.enums import Severity, Status
from scanner.scan import ScanPlan, exit_code, run_scan
from tests.okta.conftest import TOKEN_ENV


def test_a_hung_endpoint_ends_at_the_scan_deadline_as_errors(fake_org: FakeOktaOrg) -> None:
    fake_org.inject(Fault("/api/v1/logStreams", 200, [], times=1, delay_seconds=60))
    org = OktaOrg(org_url=fake_org.url, token_env=TOKEN_ENV)
    config = PostureConfig(okta=OktaConfig(orgs=(org,), scan_timeout_seconds=1.5))
    checks = select_checks(all_checks(), ["okta"])
    started = time.monotonic()
    doc = run_scan(ScanPlan(providers=("okta",), checks=checks, config=config))
    assert time.monotonic() - started < 5
    assert doc.scan.partial and exit_code(doc, Severity.HIGH) == 3
    assert [(e.collection, e.outcome, e.message) for e in doc.scan.errors] == [
        (inv.LOG_STREAMS, "error", "not finished within the scan deadline of 1.5 s")
    ]
    hung = {c.id for c in checks if inv.LOG_STREAMS in c.meta.requires}
    assert hung
    assert {f.check_id for f in doc.findings if f.status is Status.ERROR} == hung
    assert any(f.status is Status.FAIL for f in doc.findings)  # everything else still ran
