"""Cloud Storage buckets with their IAM policies, and the buckets log sinks write to."""

from __future__ import annotations

from typing import Any

from providers.gcp import parse
from providers.gcp.clients import GcpClients
from providers.gcp.errors import describe
from providers.gcp.runner import Project, gcp_collection
from scanner.collection import NOT_RUN, Collected, NotRun
from scanner.inventory import gcp as inv


def _bucket(
    raw: dict[str, Any], policy: inv.IamPolicy, iam_unreadable: str | None = None
) -> inv.Bucket:
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
        iam_unreadable=iam_unreadable,
        requester_pays=requester_pays(raw),
        acl_entities=tuple(
            sorted(
                {
                    str(entry.get("entity", ""))
                    for entry in (*(raw.get("acl") or ()), *(raw.get("defaultObjectAcl") or ()))
                }
            )
        ),
    )


def requester_pays(raw: dict[str, Any]) -> bool:
    """Bucket `billing.requesterPays`: its reads must name a project to bill (`userProject`)."""
    return parse.flag((raw.get("billing") or {}).get("requesterPays"), "billing.requesterPays")


def user_project_missing(exc: BaseException) -> bool:
    """Google's answer to a requester-pays bucket read without `userProject`: the Requester
    Pays page calls it 400 UserProjectMissing; the JSON API sends reason "required" with
    "Bucket is a requester pays bucket but no user project provided."."""
    failure = describe(exc)
    if failure is None or failure.status != 400:
        return False
    return "UserProjectMissing" in failure.reasons or "requester pays" in failure.message.lower()


def _execute_billed_on_demand(clients: GcpClients, make: Any, bill_to: str) -> dict[str, Any]:
    """`make()`'s request; again billed to `bill_to` (`userProject`) when Google answers that
    the bucket is requester pays."""
    try:
        return clients.execute("storage", make())
    except Exception as exc:
        if not user_project_missing(exc):
            raise
    return clients.execute("storage", make(userProject=bill_to))


def _bucket_policy(
    clients: GcpClients, buckets: Any, raw: dict[str, Any], project: Project
) -> tuple[inv.IamPolicy, str | None]:
    """The bucket's IAM policy; for a requester-pays bucket whose billed read failed (the
    scanned project refused the bill: serviceusage.services.use), an empty one and why."""

    def make(**kw: Any) -> Any:
        return buckets.getIamPolicy(bucket=raw["name"], optionsRequestedPolicyVersion=3, **kw)

    if not requester_pays(raw):
        try:
            return parse.iam_policy(clients.execute("storage", make())), None
        except Exception as exc:
            if not user_project_missing(exc):
                raise  # a bucket like any other: its failure is the collection's
    try:
        billed = clients.execute("storage", make(userProject=project.id))
    except Exception as exc:
        failure = describe(exc)
        if failure is None:
            raise
        detail = f"HTTP {failure.status}: {failure.message}" if failure.message else "failed"
        return inv.IamPolicy(), (
            f"requester-pays bucket, read billed to {project.id} ({detail}); needs "
            f"storage.buckets.getIamPolicy and serviceusage.services.use on {project.id}"
        )
    return parse.iam_policy(billed), None


def fetch_buckets(clients: GcpClients, project: Project) -> tuple[inv.Bucket, ...]:
    buckets = clients.service("storage").buckets()
    # projection=full adds the ACLs, which still grant access where uniform access is off.
    listed = clients.paginate(
        "storage", buckets, "list", "items", project=project.id, projection="full"
    )
    out = []
    for raw in listed:
        policy, unreadable = _bucket_policy(clients, buckets, raw, project)
        out.append(_bucket(raw, policy, unreadable))
    return tuple(out)


def fetch_destination(clients: GcpClients, name: str, bill_to: str) -> inv.SinkDestinationBucket:
    buckets = clients.service("storage").buckets()
    # Whether the bucket is requester pays is only known once it is read: Google says so.
    raw = _execute_billed_on_demand(clients, lambda **kw: buckets.get(bucket=name, **kw), bill_to)
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
    return tuple(listed.get(n) or fetch_destination(clients, n, project.id) for n in names)


COLLECTIONS = (
    gcp_collection(inv.BUCKETS, ("buckets",), fetch_buckets),
    gcp_collection(
        inv.SINK_DESTINATIONS,
        ("sink_destinations",),
        fetch_sink_destinations,
        after=(inv.LOG_SINKS, inv.BUCKETS),
    ),
)
