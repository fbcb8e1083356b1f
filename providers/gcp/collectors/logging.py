"""Cloud Logging: sinks (where logs are exported) and log buckets (how long they are kept)."""

from __future__ import annotations

from typing import Any

from providers.gcp import parse
from providers.gcp.clients import GcpClients
from providers.gcp.runner import Project, gcp_collection
from scanner.inventory import gcp as inv


def sink_from(raw: dict[str, Any]) -> inv.LogSink:
    return inv.LogSink(
        name=str(raw["name"]),
        destination=str(raw.get("destination", "")),
        filter=str(raw.get("filter", "")),
        disabled=parse.flag(raw.get("disabled"), "disabled"),
        include_children=parse.flag(raw.get("includeChildren"), "includeChildren"),
        exclusions=tuple(
            str(e.get("name", "")) for e in raw.get("exclusions") or () if not e.get("disabled")
        ),
    )


def fetch_sinks(clients: GcpClients, project: Project) -> tuple[inv.LogSink, ...]:
    sinks = clients.service("logging").projects().sinks()
    listed = clients.paginate(
        "logging", sinks, "list", "sinks", parent=f"projects/{project.id}", pageSize=200
    )
    return tuple(sink_from(raw) for raw in listed)


def fetch_log_buckets(clients: GcpClients, project: Project) -> tuple[inv.LogBucket, ...]:
    buckets = clients.service("logging").projects().locations().buckets()
    listed = clients.paginate(
        "logging",
        buckets,
        "list",
        "buckets",
        parent=f"projects/{project.id}/locations/-",
        pageSize=200,
    )
    out = []
    for raw in listed:
        name = str(raw["name"])
        parts = name.split("/")
        location = parts[3] if len(parts) > 3 else "global"
        out.append(
            inv.LogBucket(
                name=name,
                location=location,
                retention_days=int(raw.get("retentionDays") or 30),
                locked=parse.flag(raw.get("locked"), "locked"),
                lifecycle_state=str(raw.get("lifecycleState", "ACTIVE")),
            )
        )
    return tuple(out)


COLLECTIONS = (
    gcp_collection(inv.LOG_SINKS, ("log_sinks",), fetch_sinks),
    gcp_collection(inv.LOG_BUCKETS, ("log_buckets",), fetch_log_buckets),
)
