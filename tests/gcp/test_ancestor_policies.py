"""Folder and organization allow policies: read once, judged where they are set.

The policies follow the Resource Manager v3 discovery document's Policy schema (bindings of
role, members, condition) as `organizations.getIamPolicy` / `folders.getIamPolicy` return it;
the fake serves fixtures/gcp/organization.json `iamPolicies`. Before, only their audit
configs were kept and an Owner granted on the organization was never judged.
"""

from __future__ import annotations

from typing import Any

from checks.gcp.iam import (
    basic_role_granted_to_user,
    duties_not_separated,
    personal_account_access,
    project_public_access,
    service_account_admin_role,
    user_can_impersonate_service_accounts,
)
from providers.demo.fakes.gcp import FakeGcp, permission_denied_fault
from scanner.inventory import gcp as inv
from scanner.models.enums import Outcome
from scanner.models.inventory import CollectionOutcome
from tests.gcp.helpers import ctx, fails, passes, policy, verdicts
from tests.gcp.test_collect import collect

ORG = "organizations/482019374651"
FOLDER = "folders/730194628105"


def ancestor(account: str, **fields: Any) -> inv.GcpAncestorInventory:
    read = (inv.ANCESTOR_IAM_POLICY, inv.ORG_CUSTOM_ROLES)
    return inv.GcpAncestorInventory(
        account=account,
        scopes=(account,),
        outcomes=tuple(CollectionOutcome(collection=c) for c in read),
        **fields,
    )


def test_each_project_check_judges_organization_and_folder_bindings() -> None:
    risky = policy(
        ("roles/owner", ["user:alice@acme.example", "group:admins@acme.example"]),
        ("roles/viewer", ["allAuthenticatedUsers", "user:mallory@gmail.com"]),
        ("roles/iam.serviceAccountUser", ["user:bob@acme.example"]),
        ("roles/iam.serviceAccountAdmin", ["user:bob@acme.example"]),
        ("roles/editor", ["serviceAccount:ci@tools-prj.iam.gserviceaccount.com"]),
        # an organization custom role carrying getAccessToken counts as Token Creator
        (f"{ORG}/roles/tokenMinter", ["user:dana@acme.example"]),
    )
    minter = inv.CustomRole(
        name=f"{ORG}/roles/tokenMinter",
        stage="GA",
        included_permissions=("iam.serviceAccounts.getAccessToken",),
    )
    org = ancestor(ORG, iam_policy=risky, org_custom_roles=(minter,))
    assert fails(project_public_access.CHECK, org) == {ORG}
    assert fails(basic_role_granted_to_user.CHECK, org) == {
        "user:alice@acme.example",
        "group:admins@acme.example",
    }
    assert fails(personal_account_access.CHECK, org) == {"user:mallory@gmail.com"}
    assert fails(user_can_impersonate_service_accounts.CHECK, org) == {
        "user:bob@acme.example",
        "user:dana@acme.example",
    }
    assert fails(duties_not_separated.CHECK, org) == {"user:bob@acme.example"}
    assert fails(service_account_admin_role.CHECK, org) == {
        "serviceAccount:ci@tools-prj.iam.gserviceaccount.com"
    }
    # The finding names the organization, not a project below it.
    (result,) = [
        r
        for r in user_can_impersonate_service_accounts.CHECK.evaluate(org, ctx())
        if r.resource.name == "user:dana@acme.example"
    ]
    assert result.resource.uid == (
        f"//cloudresourcemanager.googleapis.com/{ORG}/members/user:dana@acme.example"
    )
    assert "on organization 482019374651" in result.message
    assert "every project below the organization" in result.message
    folder = ancestor(FOLDER, iam_policy=policy(("roles/editor", ["user:grace@acme.example"])))
    (public,) = project_public_access.CHECK.evaluate(folder, ctx())
    assert public.resource.type == "cloudresourcemanager.googleapis.com/Folder"
    assert passes(project_public_access.CHECK, folder) == {FOLDER}
    assert fails(basic_role_granted_to_user.CHECK, folder) == {"user:grace@acme.example"}


def test_an_unread_organization_role_is_an_error_not_a_pass() -> None:
    held = policy((f"{ORG}/roles/mystery", ["user:erin@acme.example"]))
    denied = CollectionOutcome(
        collection=inv.ORG_CUSTOM_ROLES, outcome=Outcome.ACCESS_DENIED, missing="iam.roles.list"
    )
    org = inv.GcpAncestorInventory(
        account=ORG,
        outcomes=(CollectionOutcome(collection=inv.ANCESTOR_IAM_POLICY), denied),
        iam_policy=held,
    )
    found = verdicts(user_can_impersonate_service_accounts.CHECK, org)
    assert found == {"error": {"user:erin@acme.example"}}


def test_the_organization_and_folder_policies_are_inventories_of_their_own(
    fake: FakeGcp,
) -> None:
    found = collect()
    org, folder = found[ORG], found[FOLDER]
    assert isinstance(org, inv.GcpAncestorInventory) and org.kind == "organization"
    assert isinstance(folder, inv.GcpAncestorInventory) and folder.kind == "folder"
    assert org.iam_policy is not None and folder.iam_policy is not None
    assert org.iam_policy.members_with("roles/iam.serviceAccountTokenCreator") == {
        "group:sre@acme.example"
    }
    assert folder.iam_policy.members_with("roles/editor") == {"user:grace@acme.example"}
    # The folder's bindings may name the organization's custom roles.
    assert [r.name for r in folder.org_custom_roles] == [f"{ORG}/roles/policyEditor"]
    assert all(o.ok for o in (*org.outcomes, *folder.outcomes))
    # One getIamPolicy per ancestor serves the policy and the audit configs handed down.
    reads = sorted(
        p.split("?", 1)[0]
        for _, p in fake.requests
        if p.startswith(("/cloudresourcemanager/v3/folders/", "/cloudresourcemanager/v3/org"))
        and ":getIamPolicy" in p
    )
    assert reads == [
        f"/cloudresourcemanager/v3/{FOLDER}:getIamPolicy",
        f"/cloudresourcemanager/v3/{ORG}:getIamPolicy",
    ]


def test_a_denied_folder_policy_is_an_error_there_and_for_the_projects_below(
    fake: FakeGcp,
) -> None:
    fake.inject(
        permission_denied_fault(f"{FOLDER}:getIamPolicy", "resourcemanager.folders.getIamPolicy")
    )
    found = collect()
    folder = found[FOLDER]
    assert isinstance(folder, inv.GcpAncestorInventory) and folder.iam_policy is None
    (failed,) = folder.failures([inv.ANCESTOR_IAM_POLICY])
    assert failed.outcome is Outcome.ACCESS_DENIED
    assert failed.missing is not None and "resourcemanager.folders.getIamPolicy" in failed.missing
    assert verdicts(basic_role_granted_to_user.CHECK, folder) == {
        "error": {inv.ANCESTOR_IAM_POLICY}
    }
    analytics = found["acme-analytics"]
    (handed,) = analytics.failures([inv.INHERITED_AUDIT_CONFIGS])
    assert handed.outcome is Outcome.ACCESS_DENIED and handed.message.startswith(FOLDER)
