"""Active Google Workspace users not enrolled in 2-step verification.

A user who signs in through a third-party identity provider (a Cloud Identity inbound SSO
assignment of their org unit, always redirected) is not asked for Google 2SV: MFA is that
provider's, judged by its own checks (okta, azuread), so the verdict defers to them.
"""

from __future__ import annotations

from collections.abc import Iterator

from checks.gcp.resources import workspace_user
from checks.gcp.workspace.sso import sign_in
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, error, fail, passed
from scanner.inventory.gcp import (
    WORKSPACE_ORG_UNITS,
    WORKSPACE_SSO,
    WORKSPACE_USERS,
    GcpWorkspaceInventory,
)
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="gcp.workspace.user_without_2sv",
    title="Workspace user without 2-step verification",
    severity=Severity.HIGH,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.1",),
    remediation=(
        "Enforce 2-step verification for every organizational unit (Admin console > Security > "
        "2-step verification) and have the user enrol, preferably with a security key; for "
        "users who sign in through SSO, require MFA at the identity provider."
    ),
    requires=(WORKSPACE_USERS,),
    optional=(WORKSPACE_SSO, WORKSPACE_ORG_UNITS),
)


def _unread(inventory: GcpWorkspaceInventory) -> list[str]:
    """What is missing to tell who signs in through SSO: the lists that failed."""
    return [o.missing or o.collection for o in inventory.failures(META.optional)]


def evaluate(inventory: GcpWorkspaceInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    unread = _unread(inventory)
    for user in inventory.workspace_users:
        if user.suspended or user.archived:
            continue
        evidence: dict[str, object] = {
            "email": user.primary_email,
            "enrolled_2sv": user.enrolled_2sv,
            "enforced_2sv": user.enforced_2sv,
            "is_admin": user.is_admin,
            "org_unit": user.org_unit_path,
        }
        resource, account = workspace_user(user), user.customer_id
        if user.enrolled_2sv:
            yield passed(
                resource,
                f"{user.primary_email} is enrolled in 2-step verification.",
                evidence=evidence,
                account=account,
            )
            continue
        if unread:
            missing = "; ".join(unread)
            yield error(
                resource,
                f"Not evaluated: {user.primary_email} has no 2-step verification, and whether "
                f"they sign in through an SSO identity provider could not be read ({missing}).",
                evidence=evidence,
                account=account,
            )
            continue
        how = sign_in(inventory, user)
        if how.undecided_by:
            evidence["undecided_by"] = list(how.undecided_by)
            yield error(
                resource,
                f"Not evaluated: {user.primary_email} has no 2-step verification, and whether "
                "they sign in through SSO depends on group membership or org units not read "
                f"({', '.join(how.undecided_by)}).",
                evidence=evidence,
                account=account,
            )
            continue
        if how.through_idp and how.assignment is not None:
            label = how.assignment.profile_label
            evidence["sso_profile"] = how.assignment.profile_name or how.assignment.profile
            evidence["sso_mode"] = how.assignment.sso_mode
            yield passed(
                resource,
                f"{user.primary_email} signs in through {label}; MFA is the identity "
                "provider's, not Google 2-step verification (see the okta/azuread findings).",
                evidence=evidence,
                account=account,
            )
            continue
        role = "administrator " if user.is_admin else ""
        yield fail(
            resource,
            f"Workspace {role}{user.primary_email} is not enrolled in 2-step verification; "
            "enforce it for their organizational unit.",
            evidence=evidence,
            account=account,
        )


CHECK = Check(META, GcpWorkspaceInventory, evaluate)
