"""IAM users who can sign in to the console without MFA."""

from __future__ import annotations

from collections.abc import Iterator

from checks.aws.credential_report import as_of, removed_since_report, report_evidence
from checks.aws.resources import iam_user
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws.identity import AUTHORIZATION_DETAILS, CREDENTIAL_REPORT
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="aws.iam.user_console_without_mfa",
    title="IAM user with a console password and no MFA",
    severity=Severity.HIGH,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.1",),
    remediation="Require MFA for the user, or remove the console password if it is not needed.",
    requires=(CREDENTIAL_REPORT,),
    optional=(AUTHORIZATION_DETAILS,),
)


def evaluate(inventory: AwsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    for user in inventory.credential_report:
        if not user.password_enabled or removed_since_report(inventory, user):
            continue
        evidence = {
            "password_enabled": True,
            "mfa_active": user.mfa_active,
            **report_evidence(user),
        }
        yield pass_or_fail(
            iam_user(user),
            user.mfa_active,
            f"{user.name} signs in with MFA.",
            f"IAM user {user.name} has a console password and no MFA device{as_of(user, ctx.now)}.",
            evidence=evidence,
        )


CHECK = Check(META, AwsInventory, evaluate)
