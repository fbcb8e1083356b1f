"""RDS instances keeping automated backups for less than the configured minimum."""

from __future__ import annotations

from collections.abc import Iterator

from checks.aws.resources import db_instance, db_label
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws import storage as data
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="aws.rds.backup_retention_too_short",
    title="RDS backup retention below the minimum",
    severity=Severity.MEDIUM,
    category=Category.RETENTION,
    soc2=("A1.2",),
    remediation=(
        "Raise the automated backup retention period "
        "(aws rds modify-db-instance --backup-retention-period 7 or more)."
    ),
    requires=(data.RDS_INSTANCES,),
    description=(
        "The minimum is `aws.rds_min_backup_retention_days` (default 7). Read replicas are "
        "not judged: their data is recovered from the source instance's backups."
    ),
)


def evaluate(inventory: AwsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    minimum = ctx.config.aws.rds_min_backup_retention_days
    for db in inventory.rds_instances:
        if db.replica_of:
            continue
        days = db.backup_retention_days
        evidence = {"backup_retention_days": days, "minimum_days": minimum}
        kept = (
            "has automated backups off"
            if days == 0
            else f"keeps backups for only {days} day{'s' if days != 1 else ''}"
        )
        yield pass_or_fail(
            db_instance(db),
            days >= minimum,
            f"{db_label(db)} instance {db.identifier} keeps backups for {days} days.",
            f"{db_label(db)} instance {db.identifier} {kept}; raise retention to at least "
            f"{minimum} days.",
            evidence=evidence,
            region=db.region,
        )


CHECK = Check(META, AwsInventory, evaluate)
