"""Regions where new EBS volumes are not encrypted by default."""

from __future__ import annotations

from collections.abc import Iterator

from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws import storage as data
from scanner.models.enums import Category, Severity
from scanner.models.findings import Resource

META = CheckMeta(
    id="aws.ebs.encryption_by_default_disabled",
    title="EBS encryption by default off in a region",
    severity=Severity.MEDIUM,
    category=Category.ENCRYPTION,
    soc2=("CC6.1",),
    remediation=(
        "Turn on EBS encryption by default in every region you use "
        "(aws ec2 enable-ebs-encryption-by-default --region REGION)."
    ),
    requires=(data.EBS_ENCRYPTION_DEFAULTS,),
)


def evaluate(inventory: AwsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    for setting in inventory.ebs_defaults:
        resource = Resource(
            uid=f"arn:{inventory.partition}:ec2:{setting.region}:{inventory.account}:"
            "ebs-encryption-by-default",
            type="AWS::EC2::EBSEncryptionByDefault",
            name=f"EBS encryption by default ({setting.region})",
        )
        evidence = {"encryption_by_default": setting.encryption_by_default}
        yield pass_or_fail(
            resource,
            setting.encryption_by_default,
            f"New EBS volumes in {setting.region} are encrypted by default.",
            f"EBS encryption by default is off in {setting.region}; turn it on so every "
            "new volume and snapshot copy is encrypted.",
            evidence=evidence,
            region=setting.region,
        )


CHECK = Check(META, AwsInventory, evaluate)
