"""A trail whose log files are not encrypted with a KMS key."""

from __future__ import annotations

from collections.abc import Iterator

from checks.aws.trails import owned_trails, trail_resource
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws.monitoring import CLOUDTRAIL_TRAILS
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="aws.cloudtrail.trail_not_kms_encrypted",
    title="CloudTrail logs not encrypted with KMS",
    severity=Severity.MEDIUM,
    category=Category.ENCRYPTION,
    soc2=("CC6.1",),
    remediation="Configure the trail to encrypt log files with a customer-managed KMS key "
    "(SSE-KMS).",
    requires=(CLOUDTRAIL_TRAILS,),
)


def evaluate(inventory: AwsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    for trail in owned_trails(inventory):
        evidence = {"kms_key_id": trail.kms_key_id}
        yield pass_or_fail(
            trail_resource(trail),
            bool(trail.kms_key_id),
            f"Trail {trail.name} encrypts its log files with KMS.",
            f"Trail {trail.name} does not encrypt its log files with KMS; set a KMS key.",
            evidence=evidence,
            region=trail.home_region,
        )


CHECK = Check(META, AwsInventory, evaluate)
