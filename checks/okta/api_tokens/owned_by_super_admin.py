"""API tokens that act with super admin rights."""

from __future__ import annotations

from collections.abc import Iterator

from checks.okta.api_tokens._common import owner_login, token_resource
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.okta import (
    ADMIN_ROLES,
    API_TOKENS,
    GROUP_ROLES,
    SUPER_ADMIN,
    USERS,
    OktaInventory,
)
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="okta.api_tokens.owned_by_super_admin",
    title="Okta API token owned by a super administrator",
    severity=Severity.HIGH,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.1", "CC6.3"),
    remediation="Recreate the token under a service account with the narrowest admin role it "
    "needs (or move the integration to an OAuth service app with scoped grants), then revoke it.",
    requires=(API_TOKENS, ADMIN_ROLES, GROUP_ROLES, USERS),
    description="An API token carries all of its owner's admin rights.",
)


def evaluate(inventory: OktaInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    roles = inventory.roles_by_user()
    for token in inventory.api_tokens:
        owner_roles = sorted(roles.get(token.user_id or "", set()))
        evidence = {"owner": owner_login(inventory, token), "owner_roles": owner_roles}
        yield pass_or_fail(
            token_resource(inventory, token),
            SUPER_ADMIN not in owner_roles,
            f"API token {token.name!r} is not owned by a super admin.",
            f"Okta API token {token.name!r} belongs to super admin "
            f"{evidence['owner']}: reissue it under a least-privileged service account.",
            evidence=evidence,
        )


CHECK = Check(META, OktaInventory, evaluate)
