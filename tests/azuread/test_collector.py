"""The real GraphServiceClient against the fake Graph: pages, throttling, 403s, licences."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from providers.azuread.adapter import AzureAdProvider
from providers.demo.fakes.graph import DENIED, FakeGraph, denied_body, throttled
from providers.demo.fakes.server import FakeServer, Fault
from scanner.config import PostureConfig
from scanner.errors import UsageError
from scanner.inventory import azuread as inv
from scanner.models.enums import Outcome
from scanner.providers import CollectRequest

from .builders import ALL_COLLECTIONS

Graph = tuple[FakeServer, FakeGraph]


def collect(
    server: FakeServer, collections: tuple[str, ...] = ALL_COLLECTIONS, **azuread: object
) -> inv.AzureAdInventory:
    config = PostureConfig.model_validate({"azuread": {"graph_endpoint": server.url, **azuread}})
    request = CollectRequest(
        config=config, collections=frozenset(collections), now=datetime.now(UTC)
    )
    (result,) = AzureAdProvider(config).collect(request)
    assert isinstance(result, inv.AzureAdInventory)
    return result


def outcome(inventory: inv.AzureAdInventory, collection: str) -> object:
    (o,) = [o for o in inventory.outcomes if o.collection == collection]
    return o


def pages(server: FakeServer, path: str) -> int:
    return sum(1 for _, p in server.requests if p.split("?")[0] == f"/v1.0{path}")


@pytest.mark.usefixtures("insecure_env")
def test_every_page_of_every_list_is_read(graph: Graph) -> None:
    server, fake = graph
    result = collect(server)
    tenant = fake.tenant
    assert result.account == tenant.tenant_id and result.account_name == "Contoso Demo"
    assert all(o.ok for o in result.outcomes), result.errors
    assert len(result.users) == len(tenant.users) == 18
    assert len(result.mfa_registrations) == len(tenant.registrations)
    assert len(result.role_assignments) == len(tenant.role_assignments)
    assert len(result.role_definitions) == len(tenant.role_definitions)
    assert len(result.applications) == len(tenant.applications)
    assert len(result.service_principals) == len(tenant.service_principals)
    # Pages of 4: 18 users take 5 requests, 12 assignments 3, 13 definitions 4.
    assert pages(server, "/users") == 5
    assert pages(server, "/roleManagement/directory/roleAssignments") == 3
    assert pages(server, "/roleManagement/directory/roleDefinitions") == 4
    # Principals arrive typed through @odata.type; the group holding GA is expanded.
    kinds = {a.principal_type for a in result.role_assignments}
    assert kinds == {"user", "group", "servicePrincipal"}
    assert {g.id for g in result.groups} == set(tenant.groups)
    ivan = next(u for u in result.users if u.user_principal_name.startswith("ivan@"))
    assert ivan.last_sign_in is not None and ivan.last_non_interactive_sign_in is not None
    # Members (not guests) as people, for the cross-provider identity checks.
    assert {d.login for d in result.directory_users} == {
        u.user_principal_name for u in result.users if not u.is_guest
    }
    # The anonymous provider: no token was ever sent to the loopback endpoint.
    assert fake.authorization_headers == 0


@pytest.mark.usefixtures("insecure_env")
def test_throttling_honours_retry_after_zero_and_finishes_the_list(graph: Graph) -> None:
    server, _ = graph
    server.inject(Fault("skiptoken", 429, throttled(), {"Retry-After": "0"}, times=3))
    started = time.monotonic()
    result = collect(server, (inv.USERS,))
    elapsed = time.monotonic() - started
    assert outcome(result, inv.USERS).ok  # type: ignore[attr-defined]
    assert len(result.users) == 18
    assert elapsed < 3, "Retry-After: 0 must not cost the SDK's ~4 s default backoff"
    # 5 pages plus 3 retried requests.
    assert pages(server, "/users") == 8


@pytest.mark.usefixtures("insecure_env")
def test_throttling_that_outlasts_the_budget_fails_the_whole_collection(graph: Graph) -> None:
    server, _ = graph
    server.inject(Fault("/users?", 429, throttled(), {"Retry-After": "1"}, times=50))
    result = collect(server, (inv.USERS,), max_retry_wait_seconds=1.5)
    o = outcome(result, inv.USERS)
    assert o.outcome is Outcome.ERROR and "throttled" in o.message  # type: ignore[attr-defined]
    assert result.users == ()


@pytest.mark.usefixtures("insecure_env")
def test_error_on_a_later_page_is_an_error_not_a_short_list(graph: Graph) -> None:
    server, _ = graph
    server.inject(
        Fault("skiptoken", 500, {"error": {"code": "UnknownError", "message": "boom"}}, times=1)
    )
    result = collect(server, (inv.APPLICATIONS,))
    o = outcome(result, inv.APPLICATIONS)
    assert o.outcome is Outcome.ERROR  # type: ignore[attr-defined]
    assert result.applications == ()


@pytest.mark.usefixtures("insecure_env")
@pytest.mark.parametrize("graph", [{"denied": ("/applications",)}], indirect=True)
def test_403_names_the_missing_permission(graph: Graph) -> None:
    server, _ = graph
    result = collect(server, (inv.APPLICATIONS, inv.SERVICE_PRINCIPALS))
    o = outcome(result, inv.APPLICATIONS)
    assert o.outcome is Outcome.ACCESS_DENIED  # type: ignore[attr-defined]
    assert o.missing == "Application.Read.All"  # type: ignore[attr-defined]
    assert DENIED[0] in o.message  # type: ignore[attr-defined]
    assert outcome(result, inv.SERVICE_PRINCIPALS).ok  # type: ignore[attr-defined]


@pytest.mark.usefixtures("insecure_env")
def test_injected_403_on_a_policy(graph: Graph) -> None:
    server, _ = graph
    server.inject(Fault("/identity/conditionalAccess", 403, denied_body()))
    result = collect(server, (inv.CONDITIONAL_ACCESS,))
    o = outcome(result, inv.CONDITIONAL_ACCESS)
    assert (o.outcome, o.missing) == (Outcome.ACCESS_DENIED, "Policy.Read.All")  # type: ignore[attr-defined]


@pytest.mark.usefixtures("insecure_env")
@pytest.mark.parametrize("graph", [{"premium": False, "p2": False}], indirect=True)
def test_licence_gated_sign_in_activity_falls_back_to_users(graph: Graph) -> None:
    server, _ = graph
    result = collect(server)
    sign_in = outcome(result, inv.SIGN_IN_ACTIVITY)
    assert sign_in.outcome is Outcome.NOT_AVAILABLE  # type: ignore[attr-defined]
    assert "P1" in (sign_in.missing or "")  # type: ignore[attr-defined]
    assert outcome(result, inv.USERS).ok  # type: ignore[attr-defined]
    assert len(result.users) == 18
    assert all(u.last_successful_sign_in is None for u in result.users)
    assert all(u.last_sign_in_attempt is None for u in result.users)
    eligibility = outcome(result, inv.ROLE_ELIGIBILITY)
    assert (eligibility.outcome, eligibility.missing) == (  # type: ignore[attr-defined]
        Outcome.NOT_AVAILABLE,
        "Microsoft Entra ID P2 licence",
    )


@pytest.mark.usefixtures("insecure_env")
@pytest.mark.parametrize("graph", [{"premium": False, "p2": False}], indirect=True)
def test_a_licence_error_says_the_tenant_has_no_enabled_plan(graph: Graph) -> None:
    server, _ = graph
    registrations = outcome(collect(server), inv.MFA_REGISTRATION)
    assert registrations.outcome is Outcome.NOT_AVAILABLE  # type: ignore[attr-defined]
    assert registrations.missing == "Microsoft Entra ID P1 licence"  # type: ignore[attr-defined]
    assert "lists no enabled plan" in registrations.message  # type: ignore[attr-defined]


@pytest.mark.usefixtures("insecure_env")
@pytest.mark.parametrize("graph", [{"flaky_premium_check": True}], indirect=True)
def test_a_licence_error_on_a_licensed_tenant_is_an_error_not_a_missing_licence(
    graph: Graph,
) -> None:
    """Graph is known to answer Authentication_RequestFromNonPremiumTenantOrB2CTenant now and
    then on tenants that hold P1; /organization's assignedPlans tell the two apart."""
    server, _ = graph
    registrations = outcome(collect(server), inv.MFA_REGISTRATION)
    assert registrations.outcome is Outcome.ERROR  # type: ignore[attr-defined]
    assert registrations.missing is None  # type: ignore[attr-defined]
    assert "lists an enabled Microsoft Entra ID P1 licence plan" in registrations.message  # type: ignore[attr-defined]


@pytest.mark.usefixtures("insecure_env")
def test_pim_eligibility_can_be_switched_off(graph: Graph) -> None:
    server, _ = graph
    result = collect(server, (inv.ROLE_ASSIGNMENTS,), collect_pim_eligibility=False)
    assert [o.collection for o in result.outcomes] == [inv.ORGANIZATION, inv.ROLE_ASSIGNMENTS]
    assert pages(server, "/roleManagement/directory/roleEligibilitySchedules") == 0


@pytest.mark.usefixtures("insecure_env")
def test_only_the_requested_collections_are_read(graph: Graph) -> None:
    server, _ = graph
    collect(server, (inv.AUTHORIZATION_POLICY,))
    assert {p.split("?")[0] for _, p in server.requests} == {
        "/v1.0/organization",
        "/v1.0/policies/authorizationPolicy",
    }


def test_plain_http_is_refused_without_the_opt_in(
    graph: Graph, monkeypatch: pytest.MonkeyPatch
) -> None:
    server, _ = graph
    monkeypatch.delenv("POSTURE_ALLOW_INSECURE_ENDPOINTS", raising=False)
    with pytest.raises(UsageError, match="plain http"):
        collect(server)
    assert server.requests == []


@pytest.mark.usefixtures("insecure_env")
@pytest.mark.parametrize(
    "graph",
    [{"expand_principal": False, "unified_rbac": False, "link_host": "localhost"}],
    indirect=True,
)
def test_without_expand_unified_rbac_or_one_host_spelling(graph: Graph) -> None:
    """Principals are typed from what was collected; roles come from /directoryRoles; group
    members from /members; nextLinks on another loopback spelling are still followed."""
    server, fake = graph
    result = collect(server, graph_endpoint=f"{server.url}/v1.0")
    assert all(o.ok for o in result.outcomes), result.errors
    by_id = {a.principal_id: a.principal_type for a in result.role_assignments}
    assert set(by_id.values()) == {"user", "group", "servicePrincipal"}
    assert len(result.users) == 18
    assert {g.id for g in result.groups} == {
        "0a0a0a0a-2222-4c3d-9e8f-000000000001",
        "0a0a0a0a-2222-4c3d-9e8f-000000000002",
    }
    names = {d.display_name for d in result.role_definitions}
    assert "Global Administrator" in names
    # No member listing was attempted for principals known to be users or service principals.
    assert not any("/groups/" in p and "-1111-" in p for _, p in server.requests), (
        "users are not probed as groups"
    )
    assert fake.authorization_headers == 0


@pytest.mark.usefixtures("insecure_env")
def test_a_next_link_to_another_host_is_refused(graph: Graph) -> None:
    server, fake = graph
    fake.link_host = "graph.attacker.example"
    result = collect(server, (inv.USERS,))
    o = outcome(result, inv.USERS)
    assert o.outcome is Outcome.ERROR and "ForeignNextLink" in o.message  # type: ignore[attr-defined]
    assert result.users == ()


@pytest.mark.usefixtures("insecure_env")
def test_sign_in_activity_denied_names_audit_log_and_users_still_arrive(graph: Graph) -> None:
    server, _ = graph
    server.inject(Fault("signInActivity", 403, denied_body()))
    result = collect(server, (inv.USERS, inv.SIGN_IN_ACTIVITY))
    sign_in = outcome(result, inv.SIGN_IN_ACTIVITY)
    assert (sign_in.outcome, sign_in.missing) == (Outcome.ACCESS_DENIED, "AuditLog.Read.All")  # type: ignore[attr-defined]
    assert outcome(result, inv.USERS).ok and len(result.users) == 18  # type: ignore[attr-defined]


@pytest.mark.usefixtures("insecure_env")
def test_users_denied_outright_names_user_read_all_for_both(graph: Graph) -> None:
    server, _ = graph
    server.inject(Fault("/users?", 403, denied_body(), times=2))
    result = collect(server, (inv.USERS, inv.SIGN_IN_ACTIVITY))
    for name in (inv.USERS, inv.SIGN_IN_ACTIVITY):
        o = outcome(result, name)
        assert (o.outcome, o.missing) == (Outcome.ACCESS_DENIED, "User.Read.All")  # type: ignore[attr-defined]
