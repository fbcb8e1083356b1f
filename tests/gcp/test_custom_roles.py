"""Custom roles are judged as the predefined roles carrying the same permissions.

The roles are iam v1 Role resources (discovery document: name, includedPermissions, stage,
deleted) as projects.roles.list and organizations.roles.list return them with view=FULL.
"""

from __future__ import annotations

from checks.gcp.iam import (
    duties_not_separated,
    service_account_admin_role,
    user_can_impersonate_service_accounts,
)
from providers.demo.fakes.gcp import FakeGcp
from providers.demo.fakes.server import Fault
from scanner.inventory import gcp as inv
from scanner.inventory.gcp import CustomRole
from scanner.models.enums import Outcome
from tests.gcp.helpers import ctx, fails, passes, policy, project, verdicts
from tests.gcp.test_collect import collect, outcomes
from tests.gcp.test_collect import project as collected

DANA, ERIN = "user:dana@acme.example", "user:erin@acme.example"
APP_SA = "serviceAccount:app@proj-a.iam.gserviceaccount.com"
RELEASE = "projects/proj-a/roles/releaseManager"
MINTER = "projects/proj-a/roles/tokenMinter"
OFF = "projects/proj-a/roles/retired"
GONE = "projects/proj-a/roles/deletedOne"
POLICY_EDITOR = "organizations/482019374651/roles/policyEditor"
KEY_CUSTODIAN = "organizations/482019374651/roles/keyCustodian"

ROLES = (
    CustomRole(name=RELEASE, stage="GA", included_permissions=("iam.serviceAccounts.actAs",)),
    CustomRole(name=MINTER, included_permissions=("iam.serviceAccounts.signJwt",)),
    CustomRole(
        name=OFF, stage="DISABLED", included_permissions=("iam.serviceAccounts.getAccessToken",)
    ),
    CustomRole(
        name=GONE, deleted=True, included_permissions=("iam.serviceAccounts.getAccessToken",)
    ),
)
ORG_ROLES = (
    CustomRole(
        name=POLICY_EDITOR,
        stage="GA",
        included_permissions=("resourcemanager.projects.setIamPolicy",),
    ),
    CustomRole(
        name=KEY_CUSTODIAN,
        stage="GA",
        included_permissions=(
            "cloudkms.cryptoKeys.setIamPolicy",
            "cloudkms.cryptoKeyVersions.useToDecrypt",
        ),
    ),
)


def test_a_custom_role_with_act_as_or_token_minting_is_impersonation() -> None:
    inv_ = project(
        iam_policy=policy(
            (RELEASE, [DANA]),
            (MINTER, [ERIN]),
            (OFF, ["user:x@acme.example"]),
            (GONE, ["user:y@acme.example"]),
        ),
        custom_roles=ROLES,
    )
    check = user_can_impersonate_service_accounts.CHECK
    assert fails(check, inv_) == {DANA, ERIN}
    # A DISABLED role contributes no permissions; a deleted role's bindings have no effect.
    assert passes(check, inv_) == {"user:x@acme.example", "user:y@acme.example"}
    [dana] = [r for r in check.evaluate(inv_, ctx()) if r.resource.name == DANA]
    assert f"{RELEASE} (as roles/iam.serviceAccountUser)" in dana.message


def test_an_unread_custom_role_is_an_error_never_a_pass() -> None:
    inv_ = project(iam_policy=policy((RELEASE, [DANA]), (POLICY_EDITOR, [APP_SA])))
    assert verdicts(user_can_impersonate_service_accounts.CHECK, inv_) == {"error": {DANA}}
    assert verdicts(service_account_admin_role.CHECK, inv_) == {"error": {APP_SA}}
    # A named role that already fails stands, whatever the unread role holds.
    named = project(iam_policy=policy((RELEASE, [DANA]), ("roles/iam.serviceAccountUser", [DANA])))
    assert fails(user_can_impersonate_service_accounts.CHECK, named) == {DANA}


def test_set_iam_policy_makes_a_custom_role_administrative() -> None:
    inv_ = project(
        iam_policy=policy((POLICY_EDITOR, [APP_SA]), (RELEASE, ["serviceAccount:b@p.iam"])),
        custom_roles=ROLES,
        org_custom_roles=ORG_ROLES,
    )
    assert fails(service_account_admin_role.CHECK, inv_) == {APP_SA}
    assert passes(service_account_admin_role.CHECK, inv_) == {"serviceAccount:b@p.iam"}


def test_duties_are_judged_through_custom_roles() -> None:
    inv_ = project(
        iam_policy=policy(
            (KEY_CUSTODIAN, [DANA]),
            ("roles/iam.serviceAccountAdmin", [ERIN]),
            (RELEASE, [ERIN]),
        ),
        custom_roles=ROLES,
        org_custom_roles=ORG_ROLES,
    )
    assert fails(duties_not_separated.CHECK, inv_) == {DANA, ERIN}


def test_project_and_organization_roles_are_collected_in_full(fake: FakeGcp) -> None:
    prod = collected(collect(), "acme-prod")
    assert outcomes(prod)[inv.CUSTOM_ROLES] is Outcome.OK
    assert outcomes(prod)[inv.ORG_CUSTOM_ROLES] is Outcome.OK
    by_name = {r.name: r for r in prod.custom_roles}
    release = by_name["projects/acme-prod/roles/releaseManager"]
    assert "iam.serviceAccounts.actAs" in release.included_permissions
    assert by_name["projects/acme-prod/roles/oldDeployer"].deleted  # showDeleted=true
    assert by_name["projects/acme-prod/roles/legacyTokenMinter"].grants_nothing
    [editor] = prod.org_custom_roles
    assert editor.name == "organizations/482019374651/roles/policyEditor"
    assert editor.included_permissions
    reads = [p for _, p in fake.requests if "/roles?" in p]
    assert reads and all("view=FULL" in p and "showDeleted=true" in p for p in reads)
    assert any("/iam/v1/organizations/482019374651/roles?" in p for p in reads)
    assert not any("/iam/v1/folders/" in p for p in reads)


def test_a_failed_role_read_errors_only_who_holds_custom_roles(fake: FakeGcp) -> None:
    fake.inject(Fault("/iam/v1/projects/acme-prod/roles", 403, {"error": {"code": 403}}, times=10))
    prod = collected(collect(), "acme-prod")
    assert outcomes(prod)[inv.CUSTOM_ROLES] is Outcome.ACCESS_DENIED
    seen = verdicts(user_can_impersonate_service_accounts.CHECK, prod)
    assert seen["error"] == {
        "user:dana@acme.example",
        "user:carol@acme.example",
        "user:alice@acme.example",
    }
    assert "user:bob@acme.example" in seen["fail"]
