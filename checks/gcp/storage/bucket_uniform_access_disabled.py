"""Buckets still using object ACLs instead of uniform bucket-level access."""

from __future__ import annotations

from collections.abc import Iterator

from checks.gcp.resources import bucket
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.gcp import BUCKETS, GcpInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="gcp.storage.bucket_uniform_access_disabled",
    title="Bucket without uniform bucket-level access",
    severity=Severity.MEDIUM,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.1",),
    remediation=(
        "Enable uniform bucket-level access so IAM alone governs access "
        "(gcloud storage buckets update gs://BUCKET --uniform-bucket-level-access)."
    ),
    requires=(BUCKETS,),
)


def evaluate(inventory: GcpInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    for b in inventory.buckets:
        evidence = {"uniform_bucket_level_access": b.uniform_access}
        yield pass_or_fail(
            bucket(b),
            b.uniform_access,
            f"Bucket {b.name} uses uniform access.",
            f"Bucket {b.name} allows per-object ACLs; enable uniform bucket-level access.",
            evidence=evidence,
            region=b.location,
        )


CHECK = Check(META, GcpInventory, evaluate)
