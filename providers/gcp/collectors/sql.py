"""Cloud SQL instances: TLS, network exposure, backups and encryption."""

from __future__ import annotations

from typing import Any

from providers.gcp import parse
from providers.gcp.clients import GcpClients
from providers.gcp.runner import Project, gcp_collection
from scanner.inventory import gcp as inv


def _instance(raw: dict[str, Any]) -> inv.SqlInstance:
    settings = raw.get("settings") or {}
    ip = settings.get("ipConfiguration") or {}
    return inv.SqlInstance(
        name=str(raw["name"]),
        region=raw.get("region"),
        database_version=raw.get("databaseVersion"),
        instance_type=raw.get("instanceType"),
        ipv4_enabled=ip.get("ipv4Enabled"),
        require_ssl=parse.flag(ip.get("requireSsl"), "requireSsl"),
        ssl_mode=ip.get("sslMode") or None,
        authorized_networks=tuple(
            inv.SqlAuthorizedNetwork(value=str(n.get("value", "")), name=n.get("name"))
            for n in ip.get("authorizedNetworks") or ()
        ),
        backups_enabled=parse.flag(
            (settings.get("backupConfiguration") or {}).get("enabled"),
            "backupConfiguration.enabled",
        ),
        kms_key=(raw.get("diskEncryptionConfiguration") or {}).get("kmsKeyName") or None,
    )


def fetch_instances(clients: GcpClients, project: Project) -> tuple[inv.SqlInstance, ...]:
    instances = clients.service("sqladmin").instances()
    listed = clients.paginate("sqladmin", instances, "list", "items", project=project.id)
    return tuple(_instance(raw) for raw in listed)


COLLECTIONS = (gcp_collection(inv.SQL_INSTANCES, ("sql_instances",), fetch_instances),)
