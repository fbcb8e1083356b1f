"""Which policies and rules are in force: only ACTIVE ones decide anything."""

from __future__ import annotations

from collections.abc import Iterator

from checks.okta import resources
from scanner.inventory.okta import (
    ADMIN_CONSOLE_APP,
    AccessRule,
    AppAccessPolicy,
    OktaInventory,
    PasswordPolicy,
    SignOnPolicy,
    SignOnRule,
)
from scanner.models.findings import Resource


def okta_password_policies(inventory: OktaInventory) -> Iterator[PasswordPolicy]:
    """Active policies for Okta-mastered passwords (AD/LDAP policies defer to the directory)."""
    for policy in inventory.password_policies:
        if policy.status == "ACTIVE" and policy.auth_provider == "OKTA":
            yield policy


def session_rules(inventory: OktaInventory) -> Iterator[tuple[SignOnPolicy, SignOnRule]]:
    """Active rules of active global session policies that grant a session."""
    for policy in inventory.session_policies:
        if policy.status != "ACTIVE":
            continue
        for rule in policy.rules:
            if rule.status == "ACTIVE" and rule.access == "ALLOW":
                yield policy, rule


def admin_console_rules(
    inventory: OktaInventory,
) -> Iterator[tuple[AppAccessPolicy, AccessRule]]:
    for policy in inventory.app_access_policies:
        if policy.app_name != ADMIN_CONSOLE_APP:
            continue
        for rule in policy.rules:
            if rule.status == "ACTIVE":
                yield policy, rule


def password_policy(inventory: OktaInventory, policy: PasswordPolicy) -> Resource:
    return resources.obj(inventory, "policies", "Okta::PasswordPolicy", policy.id, policy.name)


def session_rule(inventory: OktaInventory, policy: SignOnPolicy, rule: SignOnRule) -> Resource:
    return resources.obj(
        inventory,
        f"policies/{policy.id}/rules",
        "Okta::GlobalSessionPolicyRule",
        rule.id,
        f"{policy.name} / {rule.name}",
    )


def access_rule(inventory: OktaInventory, policy: AppAccessPolicy, rule: AccessRule) -> Resource:
    return resources.obj(
        inventory,
        f"policies/{policy.policy_id}/rules",
        "Okta::AuthenticationPolicyRule",
        rule.id,
        f"{policy.policy_name} / {rule.name}",
    )
