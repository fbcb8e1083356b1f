"""Privileged roles held by accounts synchronised from on-premises Active Directory."""

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
    id="azuread.roles.privileged_synced_account",
    title="Privileged role held by an on-premises synced account",
    severity=Severity.HIGH,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.3",),
    remediation="Give administrators separate cloud-only accounts for privileged roles, so a "
    "compromise of on-premises Active Directory does not reach the tenant.",
    requires=(USERS, ROLE_ASSIGNMENTS, ROLE_DEFINITIONS, GROUP_MEMBERS),
)


def evaluate(inventory: AzureAdInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    roles = ctx.config.azuread.thresholds.privileged_roles
    for user, held in privileged_holders(inventory, roles):
        evidence = {
            "roles": sorted({h.describe() for h in held}),
            "on_premises_sync_enabled": user.on_premises_sync_enabled,
        }
        name = user.user_principal_name
        yield pass_or_fail(
            user_resource(user),
            not user.on_premises_sync_enabled,
            f"{name} is a cloud-only account.",
            f"{name} is synced from on-premises and holds "
            f"{', '.join(sorted({h.role for h in held}))}.",
            evidence=evidence,
        )


CHECK = Check(META, AzureAdInventory, evaluate)
