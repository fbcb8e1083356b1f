"""IAM users with more than one active access key."""

from __future__ import annotations

from collections.abc import Iterator

from checks.aws.credential_report import as_of, removed_since_report, report_evidence
from checks.aws.resources import iam_user
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws.identity import AUTHORIZATION_DETAILS, CREDENTIAL_REPORT
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="aws.iam.user_multiple_active_keys",
    title="IAM user with more than one active access key",
    severity=Severity.MEDIUM,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.1",),
    remediation="Keep one active key per user; deactivate and delete the other once unused.",
    requires=(CREDENTIAL_REPORT,),
    optional=(AUTHORIZATION_DETAILS,),
)


def evaluate(inventory: AwsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    for user in inventory.credential_report:
        active = user.active_keys
        if not active or removed_since_report(inventory, user):
            continue
        evidence = {
            "active_keys": len(active),
            "active_key_slots": [k.slot for k in active],
            **report_evidence(user),
        }
        yield pass_or_fail(
            iam_user(user),
            len(active) <= 1,
            f"{user.name} has one active key.",
            f"IAM user {user.name} has {len(active)} active access keys{as_of(user, ctx.now)}.",
            evidence=evidence,
        )


CHECK = Check(META, AwsInventory, evaluate)
