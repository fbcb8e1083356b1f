"""Workspace 2SV under third-party SSO: users whose org unit signs in through an identity
provider are not asked for Google 2SV; the check defers to the provider's MFA findings.

Shapes follow the Cloud Identity API v1 discovery document (InboundSsoAssignment: customer,
targetOrgUnit "orgUnits/ID" or targetGroup "groups/ID" with rank, ssoMode SSO_OFF | SAML_SSO |
OIDC_SSO | DOMAIN_WIDE_SAML_IF_ENABLED, samlSsoInfo.inboundSamlSsoProfile, signInBehavior.
redirectCondition) and the Directory API directory_v1 document (OrgUnit orgUnitId "id:ID",
orgUnitPath); the fake serves fixtures/gcp/workspace_sso.json.
"""

from __future__ import annotations

from typing import Any

from checks.gcp.workspace import user_without_2sv
from providers.demo.fakes.gcp import FakeGcp, permission_denied_fault
from scanner.inventory import gcp as inv
from scanner.models.enums import Outcome
from scanner.models.inventory import CollectionOutcome
from tests.gcp.helpers import ctx, verdicts
from tests.gcp.test_collect import collect

ROOT, ENG, EMEA = "03ph8a2z23yjui6", "03ph8a2z1enx4lx", "03ph8a2z9emea00"
UNITS = (
    inv.OrgUnit(id=ENG, path="/Engineering", parent_id=ROOT),
    inv.OrgUnit(id=EMEA, path="/Engineering/EMEA", parent_id=ENG),
)
OKTA = inv.SsoAssignment(
    name="inboundSsoAssignments/a1",
    target_org_unit=f"orgUnits/{ENG}",
    sso_mode="SAML_SSO",
    profile="inboundSamlSsoProfiles/okta",
    profile_name="Okta",
)
READ = tuple(
    CollectionOutcome(collection=c)
    for c in (inv.WORKSPACE_USERS, inv.WORKSPACE_SSO, inv.WORKSPACE_ORG_UNITS)
)


def user(name: str, unit: str, enrolled: bool = False) -> inv.WorkspaceUser:
    return inv.WorkspaceUser(
        id=name,
        primary_email=f"{name}@acme.example",
        customer_id="C03az79cb",
        enrolled_2sv=enrolled,
        org_unit_path=unit,
    )


def workspace(*assignments: inv.SsoAssignment, **kw: Any) -> inv.GcpWorkspaceInventory:
    users = (
        user("root", "/"),
        user("eng", "/Engineering"),
        user("emea", "/Engineering/EMEA"),
        user("keyed", "/Engineering", enrolled=True),
    )
    kw.setdefault("outcomes", READ)
    return inv.GcpWorkspaceInventory(
        account="C03az79cb",
        workspace_users=users,
        org_units=UNITS,
        sso_assignments=assignments,
        **kw,
    )


def test_users_of_an_sso_org_unit_and_below_defer_to_the_identity_provider() -> None:
    found = verdicts(user_without_2sv.CHECK, workspace(OKTA))
    assert found == {
        "fail": {"root@acme.example"},
        "pass": {"eng@acme.example", "emea@acme.example", "keyed@acme.example"},
    }
    results = {r.resource.name: r for r in user_without_2sv.CHECK.evaluate(workspace(OKTA), ctx())}
    deferred = results["emea@acme.example"]
    assert "signs in through SSO profile Okta" in deferred.message
    assert "okta/azuread" in deferred.message
    assert deferred.evidence["sso_mode"] == "SAML_SSO"


def test_a_nearer_sso_off_a_never_redirect_or_a_root_assignment_decide() -> None:
    off = inv.SsoAssignment(
        name="inboundSsoAssignments/a2", target_org_unit=f"orgUnits/{EMEA}", sso_mode="SSO_OFF"
    )
    found = verdicts(user_without_2sv.CHECK, workspace(OKTA, off))
    assert found["fail"] == {"root@acme.example", "emea@acme.example"}
    # redirectCondition NEVER: a sign-in that prompts for an identity stays with Google.
    never = OKTA.model_copy(update={"redirect_never": True})
    assert verdicts(user_without_2sv.CHECK, workspace(never))["fail"] == {
        "root@acme.example",
        "eng@acme.example",
        "emea@acme.example",
    }
    # The root is not listed; its id is the top-level units' parent.
    root = OKTA.model_copy(update={"target_org_unit": f"orgUnits/{ROOT}"})
    assert "fail" not in verdicts(user_without_2sv.CHECK, workspace(root))
    domain_wide = root.model_copy(
        update={"sso_mode": "DOMAIN_WIDE_SAML_IF_ENABLED", "profile": None, "profile_name": None}
    )
    results = list(user_without_2sv.CHECK.evaluate(workspace(domain_wide), ctx()))
    assert all(
        "the domain-wide SAML SSO profile" in r.message
        for r in results
        if not r.evidence["enrolled_2sv"]
    )


def test_group_assignments_or_unreadable_lists_are_errors_not_verdicts() -> None:
    group = inv.SsoAssignment(
        name="inboundSsoAssignments/g1",
        target_group="groups/01abc",
        rank=1,
        sso_mode="SSO_OFF",
    )
    found = verdicts(user_without_2sv.CHECK, workspace(OKTA, group))
    # Membership of groups/01abc is not read: it could turn SSO off for the Okta users.
    assert found["error"] == {"eng@acme.example", "emea@acme.example"}
    assert found["fail"] == {"root@acme.example"}
    denied = CollectionOutcome(
        collection=inv.WORKSPACE_SSO,
        outcome=Outcome.ACCESS_DENIED,
        missing="OAuth scope cloud-identity.inboundsso.readonly via domain-wide delegation",
    )
    outcomes = (*READ[:1], READ[2], denied)
    found = verdicts(user_without_2sv.CHECK, workspace(OKTA, outcomes=outcomes))
    assert found == {
        "error": {"root@acme.example", "eng@acme.example", "emea@acme.example"},
        "pass": {"keyed@acme.example"},
    }
    (result,) = [
        r
        for r in user_without_2sv.CHECK.evaluate(workspace(OKTA, outcomes=outcomes), ctx())
        if r.resource.name == "root@acme.example"
    ]
    assert "cloud-identity.inboundsso.readonly" in result.message


def test_the_assignments_and_org_units_are_read_with_their_own_scopes(fake: FakeGcp) -> None:
    found = collect()
    directory = found["C03az79cb"]
    assert isinstance(directory, inv.GcpWorkspaceInventory)
    assert {u.path for u in directory.org_units} == {"/Engineering", "/Finance"}
    (okta,) = [a for a in directory.sso_assignments if a.sso_mode == "SAML_SSO"]
    assert okta.profile_name == "Okta" and okta.target_org_unit == f"orgUnits/{ENG}"
    grace = [u for u in directory.workspace_users if u.primary_email == "grace@acme.example"]
    assert grace[0].org_unit_path == "/Engineering"
    assert verdicts(user_without_2sv.CHECK, directory)["pass"] >= {"grace@acme.example"}
    assert {o.collection for o in directory.outcomes if o.ok} == {
        inv.WORKSPACE_USERS,
        inv.WORKSPACE_SSO,
        inv.WORKSPACE_ORG_UNITS,
    }


def test_a_denied_assignment_list_names_the_scope(fake: FakeGcp) -> None:
    fake.inject(
        permission_denied_fault("/cloudidentity/v1/inboundSsoAssignments", "inboundsso", times=5)
    )
    directory = collect()["C03az79cb"]
    (failed,) = directory.failures([inv.WORKSPACE_SSO])
    assert failed.outcome is Outcome.ACCESS_DENIED
    assert failed.missing == (
        "OAuth scope cloud-identity.inboundsso.readonly via domain-wide delegation"
    )
    found = verdicts(user_without_2sv.CHECK, directory)
    # Without the assignments, nobody lacking 2SV passes or fails.
    assert "fail" not in found and "grace@acme.example" in found["error"]
