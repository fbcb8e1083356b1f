"""Users may consent to applications on their own (user consent is not turned off)."""

from __future__ import annotations

from collections.abc import Iterator

from checks.azuread.resources import tenant_setting
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, fail, passed
from scanner.inventory.azuread import AUTHORIZATION_POLICY, AzureAdInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="azuread.authorization.users_can_consent_to_apps",
    title="Users can consent to applications on their own",
    severity=Severity.HIGH,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.3", "CC9.2"),
    remediation="Set user consent to 'Do not allow user consent' and turn on the admin consent "
    "workflow, so third-party apps get data access only after review.",
    requires=(AUTHORIZATION_POLICY,),
)

SELF_CONSENT_PREFIX = "managepermissiongrantsforself."
LEGACY = "managepermissiongrantsforself.microsoft-user-default-legacy"


def evaluate(inventory: AzureAdInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    policy = inventory.authorization_policy
    if policy is None:
        return
    resource = tenant_setting(
        inventory, "policies/authorizationPolicy/permissionGrantPoliciesAssigned"
    )
    self_consent = [
        p
        for p in policy.permission_grant_policies_assigned
        if p.casefold().startswith(SELF_CONSENT_PREFIX)
    ]
    evidence = {
        "permission_grant_policies_assigned": list(policy.permission_grant_policies_assigned)
    }
    if any(p.casefold() == LEGACY for p in self_consent):
        yield fail(
            resource,
            "Users can consent to any application accessing company data on their behalf.",
            evidence=evidence,
        )
    elif self_consent:
        yield fail(
            resource,
            f"Users can consent to applications on their own ({', '.join(self_consent)}).",
            evidence=evidence,
        )
    else:
        yield passed(resource, "User consent to applications is turned off.", evidence=evidence)


CHECK = Check(META, AzureAdInventory, evaluate)
