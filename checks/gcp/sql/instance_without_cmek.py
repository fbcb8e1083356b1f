"""Cloud SQL instances without a customer-managed key, where gcp.require_cmek is set."""

from __future__ import annotations

from collections.abc import Iterator

from checks.gcp.resources import sql_instance
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.gcp import SQL_INSTANCES, GcpInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="gcp.sql.instance_without_cmek",
    title="Cloud SQL instance not encrypted with a customer-managed key (gcp.require_cmek)",
    severity=Severity.LOW,
    category=Category.ENCRYPTION,
    soc2=("CC6.1",),
    remediation=(
        "CMEK is chosen at creation: create a CMEK-encrypted instance (or clone) and migrate."
    ),
    requires=(SQL_INSTANCES,),
    description="Evaluated only when gcp.require_cmek is true.",
)


def evaluate(inventory: GcpInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    for instance in inventory.sql_instances:
        if instance.is_external:  # an on-premises server, not governed by Cloud SQL
            continue
        evidence = {"kms_key": instance.kms_key}
        yield pass_or_fail(
            sql_instance(inventory, instance),
            bool(instance.kms_key),
            f"Cloud SQL {instance.name} uses a customer-managed key.",
            f"Cloud SQL {instance.name} uses Google-managed encryption; recreate it with a "
            "Cloud KMS key.",
            evidence=evidence,
            region=instance.region,
        )


CHECK = Check(META, GcpInventory, evaluate, enabled=lambda config: config.gcp.require_cmek)
