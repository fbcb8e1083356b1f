"""Cloud Storage buckets with their IAM policies, and the buckets log sinks write to."""

from __future__ import annotations

from typing import Any

from providers.gcp import parse
from providers.gcp.clients import GcpClients
from providers.gcp.runner import Project, gcp_collection
from scanner.collection import NOT_RUN, Collected, NotRun
from scanner.inventory import gcp as inv


def _bucket(raw: dict[str, Any], policy: inv.IamPolicy) -> inv.Bucket:
    iam_config = raw.get("iamConfiguration") or {}
    retention = raw.get("retentionPolicy") or {}
    return inv.Bucket(
        name=str(raw["name"]),
        location=raw.get("location"),
        uniform_access=parse.flag(
            (
                iam_config.get("uniformBucketLevelAccess")
                or iam_config.get("bucketPolicyOnly")
                or {}
            ).get("enabled"),
            "uniformBucketLevelAccess.enabled",
        ),
        public_access_prevention=str(iam_config.get("publicAccessPrevention") or "inherited"),
        default_kms_key=(raw.get("encryption") or {}).get("defaultKmsKeyName") or None,
        retention_period_seconds=parse.int_or_none(retention.get("retentionPeriod")),
        retention_locked=parse.flag(retention.get("isLocked"), "retentionPolicy.isLocked"),
        iam=policy,
        acl_entities=tuple(
            sorted(
                {
                    str(entry.get("entity", ""))
                    for entry in (*(raw.get("acl") or ()), *(raw.get("defaultObjectAcl") or ()))
                }
            )
        ),
    )


def fetch_buckets(clients: GcpClients, project: Project) -> tuple[inv.Bucket, ...]:
    buckets = clients.service("storage").buckets()
    # projection=full adds the ACLs, which still grant access where uniform access is off.
    listed = clients.paginate(
        "storage", buckets, "list", "items", project=project.id, projection="full"
    )
    out = []
    for raw in listed:
        policy = clients.execute(
            "storage", buckets.getIamPolicy(bucket=raw["name"], optionsRequestedPolicyVersion=3)
        )
        out.append(_bucket(raw, parse.iam_policy(policy)))
    return tuple(out)


def fetch_destination(clients: GcpClients, name: str) -> inv.SinkDestinationBucket:
    raw = clients.execute("storage", clients.service("storage").buckets().get(bucket=name))
    retention = raw.get("retentionPolicy") or {}
    return inv.SinkDestinationBucket(
        name=name,
        retention_period_seconds=parse.int_or_none(retention.get("retentionPeriod")),
        retention_locked=parse.flag(retention.get("isLocked"), "retentionPolicy.isLocked"),
    )


def fetch_sink_destinations(
    clients: GcpClients, project: Project, collected: Collected
) -> tuple[inv.SinkDestinationBucket, ...] | NotRun:
    """The Cloud Storage bucket each of the project's enabled sinks writes to, wherever it
    lives: a bucket listed in any scanned project is taken from there, others are read."""
    sinks: tuple[inv.LogSink, ...] | None = collected.value(inv.LOG_SINKS, project.id)
    if sinks is None:
        return NOT_RUN  # the sinks were not read: nothing says where they write
    listed = {
        b.name: inv.SinkDestinationBucket(
            name=b.name,
            retention_period_seconds=b.retention_period_seconds,
            retention_locked=b.retention_locked,
        )
        for (name, _), buckets in collected.values.items()
        if name == inv.BUCKETS
        for b in buckets
    }
    names = sorted({s.storage_bucket for s in sinks if s.storage_bucket and not s.disabled})
    return tuple(listed.get(n) or fetch_destination(clients, n) for n in names)


COLLECTIONS = (
    gcp_collection(inv.BUCKETS, ("buckets",), fetch_buckets),
    gcp_collection(
        inv.SINK_DESTINATIONS,
        ("sink_destinations",),
        fetch_sink_destinations,
        after=(inv.LOG_SINKS, inv.BUCKETS),
    ),
)
