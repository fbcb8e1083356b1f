"""IAM users who can sign in to the console without MFA."""

from __future__ import annotations

from collections.abc import Iterator

from checks.aws.resources import iam_user
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, fail, passed
from scanner.inventory.aws import CREDENTIAL_REPORT, AwsInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="aws.iam.user_console_without_mfa",
    title="IAM user with a console password and no MFA",
    severity=Severity.HIGH,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.1",),
    remediation="Require MFA for the user, or remove the console password if it is not needed.",
    requires=(CREDENTIAL_REPORT,),
)


def evaluate(inventory: AwsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    for user in inventory.credential_report:
        if not user.password_enabled:
            continue
        evidence = {"password_enabled": True, "mfa_active": user.mfa_active}
        if user.mfa_active:
            yield passed(iam_user(user), f"{user.name} signs in with MFA.", evidence=evidence)
        else:
            yield fail(
                iam_user(user),
                f"IAM user {user.name} has a console password and no MFA device.",
                evidence=evidence,
            )


CHECK = Check(META, AwsInventory, evaluate)
