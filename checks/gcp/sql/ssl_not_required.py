"""Cloud SQL instances that accept unencrypted connections."""

from __future__ import annotations

from collections.abc import Iterator

from checks.gcp.resources import sql_instance
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.gcp import SQL_INSTANCES, GcpInventory, SqlInstance
from scanner.models.enums import Category, Severity

ENCRYPTED_MODES = frozenset({"ENCRYPTED_ONLY", "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"})

META = CheckMeta(
    id="gcp.sql.ssl_not_required",
    title="Cloud SQL instance does not require SSL/TLS",
    severity=Severity.HIGH,
    category=Category.ENCRYPTION,
    soc2=("CC6.7",),
    remediation=(
        "Set the instance's SSL mode to ENCRYPTED_ONLY or TRUSTED_CLIENT_CERTIFICATE_REQUIRED "
        "(gcloud sql instances patch INSTANCE --ssl-mode=ENCRYPTED_ONLY)."
    ),
    requires=(SQL_INSTANCES,),
)


def requires_tls(instance: SqlInstance) -> bool:
    """sslMode wins when set; older instances only carry requireSsl."""
    if instance.ssl_mode and instance.ssl_mode != "SSL_MODE_UNSPECIFIED":
        return instance.ssl_mode in ENCRYPTED_MODES
    return instance.require_ssl


def evaluate(inventory: GcpInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    for instance in inventory.sql_instances:
        if instance.is_external:  # an on-premises server, not governed by Cloud SQL
            continue
        evidence = {"ssl_mode": instance.ssl_mode, "require_ssl": instance.require_ssl}
        yield pass_or_fail(
            sql_instance(inventory, instance),
            requires_tls(instance),
            f"Cloud SQL {instance.name} accepts encrypted connections only.",
            f"Cloud SQL {instance.name} accepts unencrypted connections; set its SSL mode "
            "to ENCRYPTED_ONLY.",
            evidence=evidence,
            region=instance.region,
        )


CHECK = Check(META, GcpInventory, evaluate)
