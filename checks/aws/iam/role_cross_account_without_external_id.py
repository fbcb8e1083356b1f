"""Roles another AWS account can assume without an sts:ExternalId condition."""

from __future__ import annotations

from collections.abc import Iterator

from checks.aws.policy import (
    has_external_id_condition,
    principal_account,
    statements,
    trusted_aws_principals,
)
from checks.aws.resources import iam_role
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, fail, passed
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws.identity import AUTHORIZATION_DETAILS
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="aws.iam.role_cross_account_without_external_id",
    title="Role trusts another AWS account without an external id",
    severity=Severity.HIGH,
    category=Category.ACCESS_CONTROL,
    soc2=("CC9.2", "CC6.1"),
    remediation=(
        "Add a Condition requiring sts:ExternalId (agreed with the third party) to the trust "
        "policy, or remove the trust if the vendor no longer needs access."
    ),
    requires=(AUTHORIZATION_DETAILS,),
)


def evaluate(inventory: AwsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    for role in inventory.authorization.roles:
        foreign: list[str] = []
        for statement in statements(role.trust_policy):
            if statement.get("Effect") != "Allow" or has_external_id_condition(statement):
                continue
            for principal in trusted_aws_principals(statement):
                account = principal_account(principal)
                if account is not None and account != inventory.account:
                    foreign.append(principal)
        if foreign:
            yield fail(
                iam_role(role),
                f"Role {role.name} can be assumed from {', '.join(sorted(set(foreign)))} "
                "without an sts:ExternalId condition.",
                evidence={"trusted_principals": sorted(set(foreign))},
            )
        elif any(trusted_aws_principals(s) for s in statements(role.trust_policy)):
            yield passed(iam_role(role), f"Role {role.name}'s cross-account trust is guarded.")


CHECK = Check(META, AwsInventory, evaluate)
