"""Legacy authentication (no MFA possible) is not blocked by conditional access."""

from __future__ import annotations

from collections.abc import Iterator

from checks.azuread.access import blocks_legacy_auth
from checks.azuread.resources import tenant_setting
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, fail, passed
from scanner.inventory.azuread import CONDITIONAL_ACCESS, SECURITY_DEFAULTS, AzureAdInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="azuread.conditional_access.legacy_auth_not_blocked",
    title="Legacy authentication is not blocked",
    severity=Severity.HIGH,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.1",),
    remediation="Enable a conditional access policy for All users and All cloud apps with the "
    "client apps 'Exchange ActiveSync' and 'Other clients' and the grant 'Block access'.",
    requires=(CONDITIONAL_ACCESS, SECURITY_DEFAULTS),
)


def evaluate(inventory: AzureAdInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    resource = tenant_setting(inventory, "identity/conditionalAccess/legacyAuthentication")
    blocking = [p for p in inventory.conditional_access_policies if blocks_legacy_auth(p)]
    report_only = [
        p.display_name
        for p in inventory.conditional_access_policies
        if p.state != "enabled" and "block" in {c.casefold() for c in p.built_in_controls}
    ]
    evidence = {
        "security_defaults_enabled": inventory.security_defaults_enabled,
        "blocking_policies": [p.display_name for p in blocking],
        "block_policies_not_enforced": report_only,
    }
    if inventory.security_defaults_enabled:
        yield passed(resource, "Security defaults block legacy authentication.", evidence=evidence)
    elif blocking:
        names = ", ".join(p.display_name for p in blocking)
        yield passed(resource, f"Legacy authentication is blocked by {names}.", evidence=evidence)
    else:
        yield fail(
            resource,
            "No enforced conditional access policy blocks legacy authentication for all users, "
            "and security defaults are off.",
            evidence=evidence,
        )


CHECK = Check(META, AzureAdInventory, evaluate)
