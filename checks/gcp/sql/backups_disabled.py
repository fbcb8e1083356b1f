"""Cloud SQL primary instances without automated backups."""

from __future__ import annotations

from collections.abc import Iterator

from checks.gcp.resources import sql_instance
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.gcp import SQL_INSTANCES, GcpInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="gcp.sql.backups_disabled",
    title="Cloud SQL instance without automated backups",
    severity=Severity.MEDIUM,
    category=Category.GOVERNANCE,
    soc2=("A1.2",),
    remediation=(
        "Enable automated backups and point-in-time recovery "
        "(gcloud sql instances patch INSTANCE --backup-start-time=HH:MM)."
    ),
    requires=(SQL_INSTANCES,),
    description=(
        "Only primaries are evaluated: read replicas and read pools take no backups of their "
        "own, and on-premises entries are servers outside Cloud SQL."
    ),
)


def evaluate(inventory: GcpInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    for instance in inventory.sql_instances:
        if not instance.is_primary:
            continue
        evidence = {"backups_enabled": instance.backups_enabled}
        yield pass_or_fail(
            sql_instance(inventory, instance),
            instance.backups_enabled,
            f"Cloud SQL {instance.name} has automated backups.",
            f"Cloud SQL {instance.name} has automated backups off; enable them.",
            evidence=evidence,
            region=instance.region,
        )


CHECK = Check(META, GcpInventory, evaluate)
