"""IAM users holding full administrative privileges, directly or through a group."""

from __future__ import annotations

from collections.abc import Iterator

from checks.aws.policy import grants_full_admin
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, fail, passed
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws.identity import AUTHORIZATION_DETAILS, AttachedPolicy, InlinePolicy
from scanner.models.enums import Category, Severity
from scanner.models.findings import Resource

META = CheckMeta(
    id="aws.iam.user_has_admin",
    title="IAM user with administrative privileges",
    severity=Severity.HIGH,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.3",),
    remediation=(
        "Grant least privilege: replace full admin with scoped policies, and have the few "
        "administrators assume an admin role with MFA instead of holding it permanently."
    ),
    requires=(AUTHORIZATION_DETAILS,),
)


def evaluate(inventory: AwsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    groups = {g.name: g for g in inventory.authorization.groups}
    admin_names = set(ctx.config.aws.thresholds.admin_policy_names)
    documents = {p.arn: p.document for p in inventory.authorization.policies}

    def sources(
        attached: tuple[AttachedPolicy, ...], inline: tuple[InlinePolicy, ...], how: str
    ) -> list[str]:
        found = [
            f"{how}managed policy {p.name}"
            for p in attached
            if p.name in admin_names or grants_full_admin(documents.get(p.arn, {}))
        ]
        return found + [
            f"{how}inline policy {p.name}" for p in inline if grants_full_admin(p.document)
        ]

    for user in inventory.authorization.users:
        via = sources(user.attached_policies, user.inline_policies, "")
        for group_name in user.groups:
            group = groups.get(group_name)
            if group is not None:
                via += sources(
                    group.attached_policies, group.inline_policies, f"group {group_name}: "
                )
        resource = Resource(uid=user.arn, type="AWS::IAM::User", name=user.name)
        if via:
            yield fail(
                resource,
                f"IAM user {user.name} holds administrative privileges ({via[0]}).",
                evidence={"granted_by": via},
            )
        else:
            yield passed(
                resource, f"{user.name} holds no full-admin policy.", evidence={"granted_by": []}
            )


CHECK = Check(META, AwsInventory, evaluate)
