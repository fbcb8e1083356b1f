"""Buckets whose IAM policy grants allUsers or allAuthenticatedUsers."""

from __future__ import annotations

from collections.abc import Iterator

from checks.gcp import principals
from checks.gcp.resources import bucket
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, error, fail, passed
from scanner.inventory.gcp import BUCKETS, GcpInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="gcp.storage.bucket_public_access",
    title="Bucket readable or writable by allUsers or allAuthenticatedUsers",
    severity=Severity.CRITICAL,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.1", "CC6.6"),
    remediation=(
        "Remove allUsers and allAuthenticatedUsers from the bucket policy and enforce public "
        "access prevention; serve public content through a CDN or signed URLs."
    ),
    requires=(BUCKETS,),
)


def evaluate(inventory: GcpInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    for b in inventory.buckets:
        grants = sorted(
            f"{m} -> {binding.role}"
            for binding in b.iam.bindings
            for m in binding.members
            if m in principals.PUBLIC_MEMBERS
        )
        if not b.uniform_access:  # ACLs only apply while uniform access is off
            grants += sorted(f"ACL {e}" for e in b.acl_entities if e in principals.PUBLIC_MEMBERS)
        evidence = {
            "public_grants": list(grants),
            "public_access_prevention": b.public_access_prevention,
        }
        if b.iam_unreadable and not grants:  # an unread policy may grant the public anything
            yield error(
                bucket(b),
                f"Not evaluated: the IAM policy of bucket {b.name} could not be read "
                f"({b.iam_unreadable}).",
                evidence={**evidence, "iam_unreadable": b.iam_unreadable},
                region=b.location,
            )
        elif grants:
            yield fail(
                bucket(b),
                f"Bucket {b.name} grants {grants[0]}; remove public members from its policy.",
                evidence=evidence,
                region=b.location,
            )
        else:
            yield passed(
                bucket(b),
                f"Bucket {b.name} grants nothing to the public.",
                evidence=evidence,
                region=b.location,
            )


CHECK = Check(META, GcpInventory, evaluate)
