"""A hung GCP endpoint cannot hang the scan: the deadline ends it, partial, exit code 3."""

from __future__ import annotations

import time

from checks.registry import all_checks, select_checks
from providers.demo.fakes.gcp import FakeGcp
from providers.demo.fakes.server import Fault
from scanner.config import PostureConfig
from scanner.config.gcp import GcpConfig
from scanner.inventory import gcp as inv
from scanner.models.enums import Severity, Status
from scanner.scan import ScanPlan, exit_code, run_scan

DEADLINE = "not finished within the scan deadline of 1.5 s"


def test_a_hung_endpoint_ends_at_the_scan_deadline_as_errors(fake: FakeGcp) -> None:
    fake.inject(Fault("/sqladmin/v1/projects/acme-prod/", 200, {}, delay_seconds=60))
    config = PostureConfig(
        gcp=GcpConfig.model_validate({"organization": "482019374651", "scan_timeout_seconds": 1.5})
    )
    checks = select_checks(all_checks(), ["gcp"])
    started = time.monotonic()
    doc = run_scan(ScanPlan(providers=("gcp",), checks=checks, config=config))
    assert time.monotonic() - started < 5
    assert doc.scan.partial and exit_code(doc, Severity.HIGH) == 3
    errors = {(e.account, e.collection, e.outcome, e.message) for e in doc.scan.errors}
    assert ("acme-prod", inv.SQL_INSTANCES, "error", DEADLINE) in errors
    # Nothing else: Cloud SQL disabled in acme-analytics is no gap (it holds no instances).
    assert {(a, c, o) for a, c, o, _ in errors} == {("acme-prod", inv.SQL_INSTANCES, "error")}
    sql_checks = {c.id for c in checks if inv.SQL_INSTANCES in c.meta.requires}
    prod_errors = {
        f.check_id for f in doc.findings if f.status is Status.ERROR and f.account == "acme-prod"
    }
    assert prod_errors == sql_checks
    assert any(f.status is Status.FAIL for f in doc.findings)  # everything else still ran


def test_a_hung_organization_search_ends_at_the_deadline(fake: FakeGcp) -> None:
    fake.inject(Fault("/cloudresourcemanager/v3/projects:search", 200, {}, delay_seconds=60))
    config = PostureConfig(
        gcp=GcpConfig.model_validate({"organization": "482019374651", "scan_timeout_seconds": 1.5})
    )
    checks = select_checks(all_checks(), ["gcp"])
    started = time.monotonic()
    doc = run_scan(ScanPlan(providers=("gcp",), checks=checks, config=config))
    assert time.monotonic() - started < 5
    assert doc.scan.partial and exit_code(doc, Severity.HIGH) == 3
    assert [(e.account, e.outcome, e.message) for e in doc.scan.errors] == [
        ("482019374651", "error", DEADLINE)
    ]
