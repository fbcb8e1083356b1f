"""EBS volumes stored unencrypted."""

from __future__ import annotations

from collections.abc import Iterator

from checks.aws.resources import volume
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws import storage as data
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="aws.ebs.volume_unencrypted",
    title="Unencrypted EBS volume",
    severity=Severity.MEDIUM,
    category=Category.ENCRYPTION,
    soc2=("CC6.1",),
    remediation=(
        "Snapshot the volume, copy the snapshot with encryption on, create a volume from the "
        "copy and swap it in; then turn on EBS encryption by default."
    ),
    requires=(data.EBS_VOLUMES,),
)


def evaluate(inventory: AwsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    for v in inventory.ebs_volumes:
        evidence = {
            "encrypted": v.encrypted,
            "state": v.state,
            "attached_to": list(v.attached_to),
        }
        yield pass_or_fail(
            volume(v),
            v.encrypted,
            f"Volume {v.volume_id} is encrypted.",
            f"Volume {v.volume_id} is not encrypted; replace it with an encrypted copy.",
            evidence=evidence,
            region=v.region,
        )


CHECK = Check(META, AwsInventory, evaluate)
