"""Workforce Identity Federation members are people (IAM "Principal identifiers", allow
policies): the identifiers below are the formats that page gives, with its example values."""

from __future__ import annotations

from checks.gcp import principals
from checks.gcp.iam import (
    basic_role_granted_to_user,
    duties_not_separated,
    personal_account_access,
    user_can_impersonate_service_accounts,
)
from scanner.identity.projection import gcp_member_identities
from scanner.inventory.gcp import workforce_member
from tests.gcp.helpers import fails, passes, policy, project

POOL = "principal://iam.googleapis.com/locations/global/workforcePools/altostrat-contractors"
SET = "principalSet://iam.googleapis.com/locations/global/workforcePools/altostrat-contractors"
RAHA = f"{POOL}/subject/raha@altostrat.com"
ADMINS = f"{SET}/group/administrators-group@altostrat.com"
BY_ATTRIBUTE = f"{SET}/attribute.costcenter/34"
EVERYONE = f"{SET}/*"
WORKLOAD = (
    "principal://iam.googleapis.com/projects/123456789012/locations/global/"
    "workloadIdentityPools/my-pool/subject/system:serviceaccount:ns:sa"
)
WORKLOAD_SET = (
    "principalSet://iam.googleapis.com/projects/123456789012/locations/global/"
    "workloadIdentityPools/my-pool/*"
)


def test_the_workforce_identifier_forms_are_recognised() -> None:
    raha = workforce_member(RAHA)
    assert raha is not None and (raha.pool, raha.subject) == (
        "altostrat-contractors",
        "raha@altostrat.com",
    )
    for member in (ADMINS, BY_ATTRIBUTE, EVERYONE):
        found = workforce_member(member)
        assert found is not None and found.subject is None, member
    for member in (WORKLOAD, WORKLOAD_SET, f"{POOL}/group/x", f"{SET}/subject/x", "user:a@b.c"):
        assert workforce_member(member) is None, member
    assert principals.is_human(RAHA) and principals.is_human(EVERYONE)
    assert not principals.is_human(WORKLOAD) and not principals.is_human(WORKLOAD_SET)


def test_basic_roles_and_impersonation_flag_workforce_people_and_sets() -> None:
    inv = project(
        iam_policy=policy(
            ("roles/owner", [RAHA, ADMINS]),
            ("roles/iam.serviceAccountTokenCreator", [EVERYONE]),
            ("roles/editor", [WORKLOAD]),
            ("roles/viewer", [BY_ATTRIBUTE]),
        )
    )
    assert fails(basic_role_granted_to_user.CHECK, inv) == {RAHA, ADMINS}
    assert passes(basic_role_granted_to_user.CHECK, inv) == {EVERYONE, BY_ATTRIBUTE}
    assert fails(user_can_impersonate_service_accounts.CHECK, inv) == {EVERYONE}
    assert RAHA in passes(user_can_impersonate_service_accounts.CHECK, inv)


def test_duties_separation_judges_a_workforce_subject() -> None:
    inv = project(
        iam_policy=policy(
            ("roles/iam.serviceAccountAdmin", [RAHA]), ("roles/iam.serviceAccountUser", [RAHA])
        )
    )
    assert fails(duties_not_separated.CHECK, inv) == {RAHA}


def test_a_workforce_subject_is_a_managed_account_not_a_personal_one() -> None:
    inv = project(iam_policy=policy(("roles/viewer", [RAHA, EVERYONE, "user:x@gmail.com"])))
    assert fails(personal_account_access.CHECK, inv) == {"user:x@gmail.com"}
    assert passes(personal_account_access.CHECK, inv) == {RAHA}


def test_the_identity_projection_makes_a_workforce_subject_a_console_user() -> None:
    identities = {
        i.uid: i
        for i in gcp_member_identities(
            "acme-prod", [("roles/owner", [RAHA, ADMINS]), ("roles/editor", [WORKLOAD])]
        )
    }
    assert set(identities) == {RAHA, ADMINS}
    raha = identities[RAHA]
    assert (raha.kind, raha.email, raha.login, raha.console_access) == (
        "user",
        "raha@altostrat.com",
        "raha@altostrat.com",
        True,
    )
    assert raha.grants == ("roles/owner",)
    assert identities[ADMINS].kind == "group" and not identities[ADMINS].console_access
