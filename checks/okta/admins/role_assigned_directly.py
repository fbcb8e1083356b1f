"""Admin roles assigned to individual users instead of through groups."""

from __future__ import annotations

from collections.abc import Iterator

from checks.okta import resources
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, fail, passed
from scanner.inventory.okta import ADMIN_ROLES, USERS, OktaInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="okta.admins.role_assigned_directly",
    title="Okta admin role assigned directly to a user",
    severity=Severity.LOW,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.3",),
    remediation="Assign admin roles to groups that are reviewed in access reviews, and remove "
    "the direct assignment from the user.",
    requires=(USERS, ADMIN_ROLES),
)


def evaluate(inventory: OktaInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    by_user: dict[str, list[str]] = {}
    for role in inventory.admin_roles:
        direct = by_user.setdefault(role.user_id, [])
        if role.assignment_type == "USER":
            direct.append(role.role_type)
    for user_id, direct in sorted(by_user.items()):
        user = inventory.user(user_id)
        resource = (
            resources.user(inventory, user) if user else resources.unknown_user(inventory, user_id)
        )
        name = user.login if user else user_id
        if not direct:
            yield passed(resource, f"{name} holds admin roles only through groups.")
            continue
        for role_type in sorted(set(direct)):
            yield fail(
                resource,
                f"Okta user {name} holds {role_type} by direct assignment: grant it through a "
                "reviewed group instead.",
                evidence={"role": role_type, "assignment_type": "USER"},
                sub_key=role_type,
            )


CHECK = Check(META, OktaInventory, evaluate)
