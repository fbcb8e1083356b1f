"""Guest access to directory data is not restricted to the guests' own objects."""

from __future__ import annotations

from collections.abc import Iterator

from checks.azuread.resources import tenant_setting
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.azuread import (
    AUTHORIZATION_POLICY,
    GUEST_ROLE_LIMITED,
    GUEST_ROLE_RESTRICTED,
    GUEST_ROLE_SAME_AS_MEMBERS,
    AzureAdInventory,
)
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="azuread.authorization.guest_access_unrestricted",
    title="Guest access is not restricted",
    severity=Severity.MEDIUM,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.3",),
    remediation="Set guest user access to 'restricted to properties and memberships of their "
    "own directory objects' (and limit guest invitations to admins and Guest Inviters).",
    requires=(AUTHORIZATION_POLICY,),
)

GUEST_ACCESS = {
    GUEST_ROLE_SAME_AS_MEMBERS: "the same access as members",
    GUEST_ROLE_LIMITED: "limited access (can read other users and groups)",
    GUEST_ROLE_RESTRICTED: "restricted access",
}


def evaluate(inventory: AzureAdInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    policy = inventory.authorization_policy
    if policy is None:
        return
    resource = tenant_setting(inventory, "policies/authorizationPolicy/guestAccess")
    role = policy.guest_user_role_id
    invites = policy.allow_invites_from
    evidence = {
        "guest_user_role_id": role,
        "guest_access": GUEST_ACCESS.get(role or "", "unknown"),
        "allow_invites_from": invites,
    }
    # Who may invite guests is evidence, not the verdict: it is a separate tenant setting.
    access = GUEST_ACCESS.get(role or "", "unrestricted access")
    yield pass_or_fail(
        resource,
        role == GUEST_ROLE_RESTRICTED,
        "Guests can see only their own directory objects.",
        f"Guest access is not restricted: guests have {access}.",
        evidence=evidence,
    )


CHECK = Check(META, AzureAdInventory, evaluate)
