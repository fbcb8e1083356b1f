"""Any user may register applications."""

from __future__ import annotations

from collections.abc import Iterator

from checks.azuread.resources import tenant_setting
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.azuread import AUTHORIZATION_POLICY, AzureAdInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="azuread.authorization.users_can_register_apps",
    title="Users can register applications",
    severity=Severity.MEDIUM,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.3", "CC9.2"),
    remediation="Set 'Users can register applications' to No (authorization policy "
    "allowedToCreateApps = false) and grant the Application Developer role where needed.",
    requires=(AUTHORIZATION_POLICY,),
)


def evaluate(inventory: AzureAdInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    policy = inventory.authorization_policy
    if policy is None:
        return
    resource = tenant_setting(inventory, "policies/authorizationPolicy/allowedToCreateApps")
    evidence = {"allowed_to_create_apps": policy.allowed_to_create_apps}
    yield pass_or_fail(
        resource,
        not policy.allowed_to_create_apps,
        "Only delegated roles can register applications.",
        "Every user can register applications in the tenant.",
        evidence=evidence,
    )


CHECK = Check(META, AzureAdInventory, evaluate)
