"""Guest access to directory data, or who may invite guests, is not restricted."""

from __future__ import annotations

from collections.abc import Iterator

from checks.azuread.resources import tenant_setting
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, fail, passed
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
    "own directory objects' and guest invitations to admins and Guest Inviters only.",
    requires=(AUTHORIZATION_POLICY,),
)

GUEST_ACCESS = {
    GUEST_ROLE_SAME_AS_MEMBERS: "the same access as members",
    GUEST_ROLE_LIMITED: "limited access (can read other users and groups)",
    GUEST_ROLE_RESTRICTED: "restricted access",
}
OPEN_INVITES = {"everyone", "adminsguestinvitersandallmembers"}


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
    problems = []
    if role != GUEST_ROLE_RESTRICTED:
        problems.append(f"guests have {GUEST_ACCESS.get(role or '', 'unrestricted access')}")
    if (invites or "").casefold() in OPEN_INVITES:
        problems.append(f"guest invitations are allowed from {invites}")
    if problems:
        yield fail(
            resource, f"Guest access is not restricted: {'; '.join(problems)}.", evidence=evidence
        )
    else:
        yield passed(resource, "Guest access and invitations are restricted.", evidence=evidence)


CHECK = Check(META, AzureAdInventory, evaluate)
