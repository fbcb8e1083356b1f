"""RDS instances with a public endpoint."""

from __future__ import annotations

from collections.abc import Iterator

from checks.aws.resources import db_instance, db_label
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws import storage as data
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="aws.rds.instance_publicly_accessible",
    title="RDS instance publicly accessible",
    severity=Severity.HIGH,
    category=Category.NETWORK,
    soc2=("CC6.6",),
    remediation=(
        "Set PubliclyAccessible to false (aws rds modify-db-instance --no-publicly-accessible) "
        "and reach the database through private subnets, a VPN or a bastion."
    ),
    requires=(data.RDS_INSTANCES,),
)


def evaluate(inventory: AwsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    for db in inventory.rds_instances:
        evidence = {"publicly_accessible": db.publicly_accessible, "engine": db.engine}
        yield pass_or_fail(
            db_instance(db),
            not db.publicly_accessible,
            f"{db_label(db)} instance {db.identifier} is not publicly accessible.",
            f"{db_label(db)} instance {db.identifier} has a public endpoint; make it private.",
            evidence=evidence,
            region=db.region,
        )


CHECK = Check(META, AwsInventory, evaluate)
