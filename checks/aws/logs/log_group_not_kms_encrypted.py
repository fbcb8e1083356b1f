"""A log group not encrypted with a KMS key."""

from __future__ import annotations

from collections.abc import Iterator

from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws.monitoring import LOG_GROUPS
from scanner.models.enums import Category, Severity
from scanner.models.findings import Resource

META = CheckMeta(
    id="aws.logs.log_group_not_kms_encrypted",
    title="Log group not encrypted with KMS",
    severity=Severity.LOW,
    category=Category.ENCRYPTION,
    soc2=("CC6.1",),
    remediation="Associate a customer-managed KMS key with the log group (logs associate-kms-key).",
    requires=(LOG_GROUPS,),
)


def evaluate(inventory: AwsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    for group in inventory.log_groups:
        resource = Resource(uid=group.arn, type="AWS::Logs::LogGroup", name=group.name)
        evidence = {"kms_key_id": group.kms_key_id}
        yield pass_or_fail(
            resource,
            bool(group.kms_key_id),
            f"Log group {group.name} is encrypted with a KMS key.",
            f"Log group {group.name} is not encrypted with a KMS key; associate one.",
            evidence=evidence,
            region=group.region,
        )


CHECK = Check(META, AwsInventory, evaluate)
