"""Cloud SQL instances with a public IP that authorise the whole internet."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

from checks.gcp.resources import sql_instance
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, fail, passed
from scanner.inventory.gcp import SQL_INSTANCES, GcpInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="gcp.sql.open_to_internet",
    title="Cloud SQL instance open to 0.0.0.0/0",
    severity=Severity.CRITICAL,
    category=Category.NETWORK,
    soc2=("CC6.6",),
    remediation=(
        "Remove 0.0.0.0/0 from the authorised networks; use private IP or the Cloud SQL Auth "
        "Proxy instead."
    ),
    requires=(SQL_INSTANCES,),
)


def is_whole_internet(cidr: str) -> bool:
    try:
        return ipaddress.ip_network(cidr.strip(), strict=False).prefixlen == 0
    except ValueError:
        return False


def evaluate(inventory: GcpInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    for instance in inventory.sql_instances:
        if instance.is_external:  # an on-premises server, not governed by Cloud SQL
            continue
        open_nets = [n.value for n in instance.authorized_networks if is_whole_internet(n.value)]
        evidence = {
            "ipv4_enabled": instance.ipv4_enabled,
            "authorized_networks": [n.value for n in instance.authorized_networks],
        }
        # Authorised networks only matter on a public IP; unknown counts as public.
        if instance.ipv4_enabled is not False and open_nets:
            yield fail(
                sql_instance(inventory, instance),
                f"Cloud SQL {instance.name} has a public IP open to {open_nets[0]}; remove it "
                "from the authorised networks.",
                evidence=evidence,
                region=instance.region,
            )
        else:
            yield passed(
                sql_instance(inventory, instance),
                f"Cloud SQL {instance.name} is not open to the whole internet.",
                evidence=evidence,
                region=instance.region,
            )


CHECK = Check(META, GcpInventory, evaluate)
