"""A hung Okta endpoint cannot hang the scan: the deadline ends it, partial, exit code 3."""

from __future__ import annotations

import time

import pytest

from checks.registry import all_checks, select_checks
from providers.demo.fakes.okta import FakeOktaOrg
from providers.demo.fakes.server import Fault
from scanner.config import PostureConfig
from scanner.config.okta import OktaConfig, OktaOrg
from scanner.endpoints import ALLOW_INSECURE_ENV
from scanner.inventory import okta as inv
from scanner.models.enums import Outcome, Severity, Status
from scanner.scan import ScanPlan, exit_code, run_scan
from tests.okta.builders import GROUP_ONLY_HOLDER, holder_only_a_group_names
from tests.okta.conftest import TOKEN, TOKEN_ENV
from tests.okta.test_collect import collect


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


def test_users_not_completed_with_their_role_holders_by_the_deadline_are_errors(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The listing and the factors arrived, but a role holder it missed was still being read."""
    monkeypatch.setenv(ALLOW_INSECURE_ENV, "1")
    monkeypatch.setenv(TOKEN_ENV, TOKEN)
    wanted = frozenset({inv.USERS, inv.FACTORS, inv.GROUP_ROLES, inv.LOG_STREAMS})
    overrides = holder_only_a_group_names()
    # A server that ignores `search` leaves deprovisioned holders out of the listing.
    with FakeOktaOrg(token=TOKEN, honour_search=False, overrides=overrides) as fake:
        fake.inject(Fault(f"/api/v1/users/{GROUP_ONLY_HOLDER}", 200, {}, delay_seconds=60))
        started = time.monotonic()
        inventory = collect(fake, wanted, scan_timeout_seconds=1.5)
        assert time.monotonic() - started < 5
    late = "not finished within the scan deadline of 1.5 s"
    assert [(o.collection, o.outcome, o.message) for o in inventory.outcomes] == [
        (inv.USERS, Outcome.ERROR, late),
        (inv.FACTORS, Outcome.ERROR, late),
        (inv.ADMIN_ROLES, Outcome.OK, ""),  # read first: it names the groups that hold roles
        (inv.GROUP_ROLES, Outcome.OK, ""),
        (inv.LOG_STREAMS, Outcome.OK, ""),
    ]
    assert inventory.directory_users == () and inventory.factors == ()
    assert inventory.group_roles
