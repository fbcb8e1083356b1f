"""The Okta collectors through the real SDK against the fake org: pages, 429, 403, secrets."""

from __future__ import annotations

import os
import time

import pytest

from fixtures import load
from providers.demo.fakes.okta import (
    FakeOktaOrg,
    feature_not_enabled,
    forbidden,
    rate_limited,
    server_error,
)
from providers.demo.fakes.server import Fault
from providers.okta.adapter import OktaProvider
from scanner.check import CheckContext
from scanner.config import PostureConfig
from scanner.config.okta import OktaConfig, OktaOrg
from scanner.engine import evaluate_check
from scanner.errors import CredentialsError
from scanner.inventory import okta as inv
from scanner.models.enums import Outcome, Status
from scanner.providers import CollectRequest
from tests.okta.builders import GROUP_ONLY_HOLDER, NOW, holder_only_a_group_names
from tests.okta.conftest import TOKEN_ENV

ALL = frozenset(
    {
        inv.USERS,
        inv.FACTORS,
        inv.ADMIN_ROLES,
        inv.GROUP_ROLES,
        inv.PASSWORD_POLICIES,
        inv.SESSION_POLICIES,
        inv.APP_ACCESS_POLICIES,
        inv.AUTHENTICATORS,
        inv.API_TOKENS,
        inv.LOG_STREAMS,
        inv.THREAT_INSIGHT,
        inv.NETWORK_ZONES,
    }
)


def config_for(fake: FakeOktaOrg, **settings: object) -> PostureConfig:
    org = OktaOrg(org_url=fake.url, token_env=TOKEN_ENV)
    return PostureConfig(okta=OktaConfig(orgs=(org,), **settings))  # type: ignore[arg-type]


def collect(
    fake: FakeOktaOrg, wanted: frozenset[str] = ALL, **settings: object
) -> inv.OktaInventory:
    config = config_for(fake, **settings)
    result = OktaProvider(config).collect(
        CollectRequest(config=config, collections=wanted, now=NOW)
    )
    assert len(result) == 1 and isinstance(result[0], inv.OktaInventory)
    return result[0]


def outcome(inventory: inv.OktaInventory, name: str) -> Outcome:
    return next(o.outcome for o in inventory.outcomes if o.collection == name)


def paths(fake: FakeOktaOrg, prefix: str) -> list[str]:
    return [p for _, p in fake.requests if p.split("?")[0] == prefix]


def test_collects_everything_to_the_last_page(fake_org: FakeOktaOrg) -> None:
    inventory = collect(fake_org)
    assert {o.collection for o in inventory.outcomes} == ALL
    assert all(o.ok for o in inventory.outcomes), inventory.errors
    assert inventory.account == "127.0.0.1"
    statuses = sorted(u.status for u in inventory.directory_users)
    assert len(inventory.directory_users) == 15
    assert {"SUSPENDED", "DEPROVISIONED", "STAGED", "LOCKED_OUT"} <= set(statuses)
    # 14 non-deprovisioned users in pages of 5: the third page is the last one.
    user_pages = [p for p in paths(fake_org, "/api/v1/users") if "search" not in p]
    assert len(user_pages) == 3 and "after=00u1mallory0000011" in user_pages[-1]
    # /iam/assignees/users pages in its body: two pages for nine admins.
    assert len(paths(fake_org, "/api/v1/iam/assignees/users")) == 2
    assert len(inventory.admin_roles) == 9
    assert {g.group_name for g in inventory.group_roles} == {
        "Okta Super Admins",
        "Help Desk",
        "Automation Admins",
    }
    # Factors are read for every user who can sign in, and only for them.
    factor_reads = [p for _, p in fake_org.requests if p.endswith("/factors")]
    assert len(factor_reads) == sum(1 for u in inventory.directory_users if u.active) == 12
    phone = next(a for a in inventory.authenticators if a.key == "phone_number")
    assert {(m.type, m.status) for m in phone.methods} == {("sms", "ACTIVE"), ("voice", "INACTIVE")}
    assert [p.app_name for p in inventory.app_access_policies] == ["saasure", "okta_enduser"]
    assert inventory.threat_insight == inv.ThreatInsight(
        action="audit", exclude_zones=("nzo1corpnetwork001",)
    )
    assert {z.type for z in inventory.network_zones} == {"IP", "DYNAMIC_V2"}
    assert os.environ.get("OKTA_TESTING_TESTINGDISABLEHTTPSCHECK") is None


def test_collects_only_what_the_checks_need(fake_org: FakeOktaOrg) -> None:
    inventory = collect(fake_org, frozenset({inv.LOG_STREAMS}))
    assert [o.collection for o in inventory.outcomes] == [inv.LOG_STREAMS]
    assert {p.split("?")[0] for _, p in fake_org.requests} == {"/api/v1/logStreams"}


def test_secrets_in_payloads_never_reach_the_inventory(fake_org: FakeOktaOrg) -> None:
    dumped = collect(fake_org).model_dump_json()
    assert "JBSWY3DPEHPK3PXPJBSWY3DP" not in dumped  # a pending TOTP factor's shared secret
    assert "11111111-2222-3333-4444-555555555555" not in dumped  # a Splunk log stream token


def test_a_429_is_waited_out_and_retried(fake_org: FakeOktaOrg) -> None:
    fake_org.inject(rate_limited("/api/v1/logStreams", times=2))
    started = time.monotonic()
    inventory = collect(fake_org, frozenset({inv.LOG_STREAMS}))
    assert outcome(inventory, inv.LOG_STREAMS) is Outcome.OK
    assert len(paths(fake_org, "/api/v1/logStreams")) == 3
    assert time.monotonic() - started >= 1.0  # X-Rate-Limit-Reset was honoured


def test_a_429_that_does_not_end_is_an_error_not_an_empty_list(fake_org: FakeOktaOrg) -> None:
    fake_org.inject(rate_limited("/api/v1/logStreams", times=10))
    inventory = collect(fake_org, frozenset({inv.LOG_STREAMS}), max_attempts=2)
    assert outcome(inventory, inv.LOG_STREAMS) is Outcome.ERROR
    assert inventory.log_streams == ()


def test_a_403_names_the_role_and_scope_and_its_checks_say_error(fake_org: FakeOktaOrg) -> None:
    from checks.okta.api_tokens import not_network_restricted

    fake_org.inject(forbidden("/api/v1/api-tokens"))
    inventory = collect(fake_org, frozenset({inv.API_TOKENS}))
    denied = next(o for o in inventory.outcomes if o.collection == inv.API_TOKENS)
    assert denied.outcome is Outcome.ACCESS_DENIED
    assert denied.missing == "Super Administrator role (OAuth scope okta.apiTokens.read)"
    assert "E0000006" in denied.message
    results = evaluate_check(
        not_network_restricted.CHECK, inventory, CheckContext(NOW, PostureConfig())
    )
    assert [r.status for r in results] == [Status.ERROR]
    assert "Super Administrator" in results[0].message


def test_an_error_on_a_later_page_fails_the_whole_collection(fake_org: FakeOktaOrg) -> None:
    fake_org.inject(server_error("after=00u1erin0000000005"))
    inventory = collect(fake_org, frozenset({inv.USERS, inv.FACTORS}), max_attempts=1)
    assert outcome(inventory, inv.USERS) is Outcome.ERROR
    assert outcome(inventory, inv.FACTORS) is Outcome.ERROR
    assert inventory.directory_users == ()


def test_a_next_link_to_another_host_is_not_followed(fake_org: FakeOktaOrg) -> None:
    fake_org.inject(
        Fault(
            "/api/v1/zones",
            200,
            [],
            {"Link": '<https://collector.example/api/v1/zones?after=x>; rel="next"'},
        )
    )
    inventory = collect(fake_org, frozenset({inv.NETWORK_ZONES}))
    assert outcome(inventory, inv.NETWORK_ZONES) is Outcome.ERROR
    assert len(fake_org.requests) == 1


def test_admin_console_policy_is_the_one_its_app_links_to(fake_org: FakeOktaOrg) -> None:
    inventory = collect(fake_org, frozenset({inv.APP_ACCESS_POLICIES}))
    assert all(o.ok for o in inventory.outcomes)
    assert [(p.app_name, p.policy_id) for p in inventory.app_access_policies] == [
        ("saasure", "rst1adminconsole01"),
        ("okta_enduser", "rst1dashboard00002"),
    ]
    # Never looked up by the default policy name.
    assert not [p for _, p in fake_org.requests if "type=ACCESS_POLICY" in p]


def test_admin_console_hidden_from_the_role_is_an_error_not_a_pass(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from checks.okta.policy import admin_console_without_mfa

    monkeypatch.setenv("POSTURE_ALLOW_INSECURE_ENDPOINTS", "1")
    monkeypatch.setenv(TOKEN_ENV, "t0k")
    # A read-only admin: the listing leaves saasure out, while a policy named "Okta Admin
    # Console" whose rules all require 2FA is there to be found by name.
    policies = load("okta/acme/policies.json")
    rules = load("okta/acme/policy_rules.json")
    decoy = {**next(p for p in policies if p["id"] == "rst1adminconsole01"), "id": "rst1decoy"}
    rules["rst1decoy"] = [r for r in rules["rst1adminconsole01"] if "2FA" in str(r)]
    overrides = {"policies": [*policies, decoy], "policy_rules": rules}
    with FakeOktaOrg(token="t0k", super_admin=False, overrides=overrides) as fake:
        inventory = collect(fake, frozenset({inv.APP_ACCESS_POLICIES}))
    failed = inventory.outcomes[0]
    assert failed.outcome is Outcome.ACCESS_DENIED
    assert failed.missing == (
        "Super Administrator role (OAuth scope okta.apps.read and okta.policies.read)"
    )
    assert inventory.app_access_policies == ()
    results = evaluate_check(
        admin_console_without_mfa.CHECK, inventory, CheckContext(NOW, PostureConfig())
    )
    assert [r.status for r in results] == [Status.ERROR]
    assert "Super Administrator" in results[0].message


def test_an_admin_console_without_a_policy_link_is_not_available(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("POSTURE_ALLOW_INSECURE_ENDPOINTS", "1")
    monkeypatch.setenv(TOKEN_ENV, "t0k")
    # A Classic Engine org: the app is listed but carries no `_links.accessPolicy`.
    apps = load("okta/acme/apps.json")
    for app in apps:
        app["_links"].pop("accessPolicy", None)
    with FakeOktaOrg(token="t0k", overrides={"apps": apps}) as fake:
        inventory = collect(fake, frozenset({inv.APP_ACCESS_POLICIES}))
    failed = inventory.outcomes[0]
    assert failed.outcome is Outcome.NOT_AVAILABLE
    assert failed.missing == "Identity Engine authentication policies"


def test_a_feature_the_org_lacks_is_not_available_for_that_collection_only(
    fake_org: FakeOktaOrg,
) -> None:
    fake_org.inject(feature_not_enabled("/api/v1/threats/configuration"))
    inventory = collect(fake_org, frozenset({inv.THREAT_INSIGHT, inv.LOG_STREAMS}))
    lacking = next(o for o in inventory.outcomes if o.collection == inv.THREAT_INSIGHT)
    assert lacking.outcome is Outcome.NOT_AVAILABLE
    assert lacking.missing == "ThreatInsight"
    assert "E0000015" in lacking.message
    assert outcome(inventory, inv.LOG_STREAMS) is Outcome.OK


ALICE = "00u1alice0000000001"


def test_a_user_who_leaves_during_the_scan_is_skipped_not_the_collection(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("POSTURE_ALLOW_INSECURE_ENDPOINTS", "1")
    monkeypatch.setenv(TOKEN_ENV, "t0k")
    # Alice is in the user and role-holder listings, then her own endpoints answer 404.
    with FakeOktaOrg(token="t0k", left_mid_scan=frozenset({ALICE})) as fake:
        inventory = collect(fake, frozenset({inv.USERS, inv.FACTORS, inv.ADMIN_ROLES}))
        assert ("GET", f"/api/v1/users/{ALICE}") in fake.requests
    assert all(o.ok for o in inventory.outcomes), inventory.errors
    assert inventory.factors_of(ALICE) == ()
    assert not [r for r in inventory.admin_roles if r.user_id == ALICE]
    assert {r.user_id for r in inventory.admin_roles} and inventory.factors


def test_a_404_for_a_user_who_is_still_there_fails_the_collection(fake_org: FakeOktaOrg) -> None:
    fake_org.inject(
        Fault(f"/api/v1/users/{ALICE}/roles", 404, {"errorCode": "E0000007", "errorSummary": "x"})
    )
    inventory = collect(fake_org, frozenset({inv.ADMIN_ROLES}))
    assert not inventory.outcomes[0].ok
    assert inventory.admin_roles == ()


def test_a_rejected_token_is_a_credentials_error(
    fake_org: FakeOktaOrg, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(TOKEN_ENV, "not-the-right-token")
    with pytest.raises(CredentialsError, match="rejected the credentials") as caught:
        collect(fake_org)
    assert "not-the-right-token" not in str(caught.value)


def test_role_holders_missing_from_the_listing_are_read_one_by_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("POSTURE_ALLOW_INSECURE_ENDPOINTS", "1")
    monkeypatch.setenv(TOKEN_ENV, "t0k")
    # A server that ignores `search` returns only the plain list: no deprovisioned users.
    with FakeOktaOrg(token="t0k", honour_search=False) as fake:
        inventory = collect(fake, frozenset({inv.USERS, inv.FACTORS, inv.ADMIN_ROLES}))
        assert ("GET", "/api/v1/users/00u1grace000000007") in fake.requests
    assert all(o.ok for o in inventory.outcomes)
    grace = inventory.user("00u1grace000000007")
    assert grace is not None and grace.status == "DEPROVISIONED"
    assert len(inventory.directory_users) == 15


def test_a_failed_lookup_of_a_missing_holder_fails_the_users_collection(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("POSTURE_ALLOW_INSECURE_ENDPOINTS", "1")
    monkeypatch.setenv(TOKEN_ENV, "t0k")
    overrides = holder_only_a_group_names()
    with FakeOktaOrg(token="t0k", honour_search=False, overrides=overrides) as fake:
        fake.inject(forbidden(f"/api/v1/users/{GROUP_ONLY_HOLDER}"))
        inventory = collect(fake, frozenset({inv.USERS, inv.GROUP_ROLES}))
    assert outcome(inventory, inv.USERS) is Outcome.ACCESS_DENIED
    assert outcome(inventory, inv.GROUP_ROLES) is Outcome.OK
    assert inventory.directory_users == ()


def test_a_429_without_rate_limit_headers_is_backed_off_and_retried(
    fake_org: FakeOktaOrg,
) -> None:
    bare = Fault("/api/v1/logStreams", 429, {"errorCode": "E0000047", "errorSummary": "Too many"})
    fake_org.inject(bare)
    inventory = collect(fake_org, frozenset({inv.LOG_STREAMS}))
    assert outcome(inventory, inv.LOG_STREAMS) is Outcome.OK
    assert len(paths(fake_org, "/api/v1/logStreams")) == 2


def test_only_the_groups_that_role_assignments_name_are_read(fake_org: FakeOktaOrg) -> None:
    """Okta 5: a large org's every group is not asked for its roles; the role holders'
    `assignmentType: GROUP` assignments name the groups (Okta management OpenAPI,
    ListAssignedRolesForUser, `_links.assignee`)."""
    inventory = collect(fake_org, frozenset({inv.GROUP_ROLES}))
    assert outcome(inventory, inv.GROUP_ROLES) is Outcome.OK
    asked = {p.split("?")[0] for _, p in fake_org.requests if p.startswith("/api/v1/groups")}
    named = {"00g1superadmins0001", "00g1helpdesk0000002", "00g1automation00003"}
    assert "/api/v1/groups" not in asked
    assert {p.split("/")[4] for p in asked} == named
    assert {(r.group_id, r.group_name, r.role_type) for r in inventory.group_roles} >= {
        ("00g1superadmins0001", "Okta Super Admins", "SUPER_ADMIN"),
    }
