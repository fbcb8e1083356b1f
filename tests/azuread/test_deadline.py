"""A hung Graph endpoint cannot hang the scan: the deadline ends it, partial, exit code 3."""

from __future__ import annotations

import time

import pytest

from checks.registry import all_checks, select_checks
from providers.demo.fakes.server import Fault
from scanner.config import PostureConfig
from scanner.inventory import azuread as inv
from scanner.models.enums import Severity, Status
from scanner.scan import ScanPlan, exit_code, run_scan

from .test_collector import Graph

pytestmark = pytest.mark.usefixtures("insecure_env")


def test_a_hung_endpoint_ends_at_the_scan_deadline_as_errors(graph: Graph) -> None:
    server, _ = graph
    server.inject(Fault("/identity/conditionalAccess/policies", 200, {}, delay_seconds=60))
    config = PostureConfig.model_validate(
        {"azuread": {"graph_endpoint": server.url, "scan_timeout_seconds": 1.5}}
    )
    checks = select_checks(all_checks(), ["azuread"])
    started = time.monotonic()
    doc = run_scan(ScanPlan(providers=("azuread",), checks=checks, config=config))
    assert time.monotonic() - started < 5
    assert doc.scan.partial and exit_code(doc, Severity.HIGH) == 3
    # Group members wait for the policies (they name groups), so they did not finish either.
    assert sorted((e.collection, e.outcome, e.message) for e in doc.scan.errors) == [
        (name, "error", "not finished within the scan deadline of 1.5 s")
        for name in sorted((inv.CONDITIONAL_ACCESS, inv.GROUP_MEMBERS))
    ]
    hung = {
        c.id for c in checks if {inv.CONDITIONAL_ACCESS, inv.GROUP_MEMBERS} & set(c.meta.requires)
    }
    errored = {f.check_id for f in doc.findings if f.status is Status.ERROR}
    assert errored and errored <= hung
    assert any(f.status is Status.FAIL for f in doc.findings)  # everything else still ran
