"""EBS snapshots owned by the account and stored unencrypted."""

from __future__ import annotations

from collections.abc import Iterator

from checks.aws.resources import snapshot
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws import storage as data
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="aws.ebs.snapshot_unencrypted",
    title="Unencrypted EBS snapshot",
    severity=Severity.MEDIUM,
    category=Category.ENCRYPTION,
    soc2=("CC6.1",),
    remediation=(
        "Copy the snapshot with encryption on (aws ec2 copy-snapshot --encrypted), then delete "
        "the unencrypted original."
    ),
    requires=(data.EBS_SNAPSHOTS,),
)


def evaluate(inventory: AwsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    for s in inventory.ebs_snapshots:
        evidence = {"encrypted": s.encrypted, "volume_id": s.volume_id}
        yield pass_or_fail(
            snapshot(s),
            s.encrypted,
            f"Snapshot {s.snapshot_id} is encrypted.",
            f"Snapshot {s.snapshot_id} is not encrypted; copy it encrypted and delete the "
            "original.",
            evidence=evidence,
            region=s.region,
        )


CHECK = Check(META, AwsInventory, evaluate)
