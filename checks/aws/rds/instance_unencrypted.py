"""RDS instances whose storage is not encrypted."""

from __future__ import annotations

from collections.abc import Iterator

from checks.aws.resources import db_instance, db_label
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws import storage as data
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="aws.rds.instance_unencrypted",
    title="RDS instance storage unencrypted",
    severity=Severity.HIGH,
    category=Category.ENCRYPTION,
    soc2=("CC6.1",),
    remediation=(
        "Encryption cannot be turned on in place: snapshot the instance, copy the snapshot "
        "with a KMS key, restore from the copy and cut over."
    ),
    requires=(data.RDS_INSTANCES,),
)


def evaluate(inventory: AwsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    for db in inventory.rds_instances:
        evidence = {"storage_encrypted": db.storage_encrypted, "engine": db.engine}
        yield pass_or_fail(
            db_instance(db),
            db.storage_encrypted,
            f"{db_label(db)} instance {db.identifier} has encrypted storage.",
            f"{db_label(db)} instance {db.identifier} stores data unencrypted; restore it from an "
            "encrypted snapshot copy.",
            evidence=evidence,
            region=db.region,
        )


CHECK = Check(META, AwsInventory, evaluate)
