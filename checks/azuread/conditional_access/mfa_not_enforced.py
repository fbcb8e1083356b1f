"""No enforced conditional access policy requires MFA for all users and apps, and security
defaults are off."""

from __future__ import annotations

from collections.abc import Iterator

from checks.azuread.access import excluded_principals, mfa_for_everyone, requires_mfa
from checks.azuread.resources import tenant_setting
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, fail, passed
from scanner.inventory.azuread import CONDITIONAL_ACCESS, SECURITY_DEFAULTS, AzureAdInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="azuread.conditional_access.mfa_not_enforced",
    title="MFA is not enforced for all users",
    severity=Severity.HIGH,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.1",),
    remediation="Enable a conditional access policy that requires MFA for All users and All "
    "cloud apps (exclude only break-glass accounts), or turn on security defaults.",
    requires=(CONDITIONAL_ACCESS, SECURITY_DEFAULTS),
)


def evaluate(inventory: AzureAdInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    resource = tenant_setting(inventory, "identity/conditionalAccess")
    covering = [p for p in inventory.conditional_access_policies if mfa_for_everyone(p)]
    not_enforced = [
        p.display_name
        for p in inventory.conditional_access_policies
        if requires_mfa(p) and not p.enforced
    ]
    evidence = {
        "security_defaults_enabled": inventory.security_defaults_enabled,
        "mfa_for_all_policies": [p.display_name for p in covering],
        "excluded_principals": {p.display_name: excluded_principals(p) for p in covering},
        "mfa_policies_not_enforced": not_enforced,
    }
    if inventory.security_defaults_enabled:
        yield passed(resource, "Security defaults require MFA of every user.", evidence=evidence)
    elif covering:
        names = ", ".join(p.display_name for p in covering)
        yield passed(
            resource, f"Conditional access requires MFA for all users: {names}.", evidence=evidence
        )
    else:
        yield fail(
            resource,
            "No enforced conditional access policy requires MFA for all users and all apps, "
            "and security defaults are off.",
            evidence=evidence,
        )


CHECK = Check(META, AzureAdInventory, evaluate)
