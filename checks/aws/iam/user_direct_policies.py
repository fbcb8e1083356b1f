"""Policies attached straight to users instead of groups or roles."""

from __future__ import annotations

from collections.abc import Iterator

from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws.identity import AUTHORIZATION_DETAILS
from scanner.models.enums import Category, Severity
from scanner.models.findings import Resource

META = CheckMeta(
    id="aws.iam.user_direct_policies",
    title="Policies attached directly to an IAM user",
    severity=Severity.LOW,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.3",),
    remediation="Move the permissions to a group or role and detach the policies from the user.",
    requires=(AUTHORIZATION_DETAILS,),
)


def evaluate(inventory: AwsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    for user in inventory.authorization.users:
        resource = Resource(uid=user.arn, type="AWS::IAM::User", name=user.name)
        managed = [p.name for p in user.attached_policies]
        inline = [p.name for p in user.inline_policies]
        evidence = {"managed_policies": managed, "inline_policies": inline}
        yield pass_or_fail(
            resource,
            not (managed or inline),
            f"{user.name} gets permissions only through groups.",
            f"IAM user {user.name} has {len(managed)} managed and {len(inline)} inline "
            "policies attached directly.",
            evidence=evidence,
        )


CHECK = Check(META, AwsInventory, evaluate)
