"""Privileged roles held by guest (external) users."""

from __future__ import annotations

from collections.abc import Iterator

from checks.azuread.access import privileged_holders
from checks.azuread.resources import user as user_resource
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.azuread import (
    GROUP_MEMBERS,
    ROLE_ASSIGNMENTS,
    ROLE_DEFINITIONS,
    USERS,
    AzureAdInventory,
)
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="azuread.roles.privileged_guest",
    title="Privileged role held by a guest user",
    severity=Severity.HIGH,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.3",),
    remediation="Remove privileged roles from guests; if an external person must administer "
    "the tenant, give them a member account under your own controls.",
    requires=(USERS, ROLE_ASSIGNMENTS, ROLE_DEFINITIONS, GROUP_MEMBERS),
)


def evaluate(inventory: AzureAdInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    roles = ctx.config.azuread.thresholds.privileged_roles
    for user, held in privileged_holders(inventory, roles):
        evidence = {"roles": sorted({h.describe() for h in held}), "user_type": user.user_type}
        name = user.user_principal_name
        yield pass_or_fail(
            user_resource(user),
            not user.is_guest,
            f"{name} is a member account.",
            f"Guest {name} holds {', '.join(sorted({h.role for h in held}))}.",
            evidence=evidence,
        )


CHECK = Check(META, AzureAdInventory, evaluate)
