"""Buckets where public access prevention is not enforced."""

from __future__ import annotations

from collections.abc import Iterator

from checks.gcp.resources import bucket
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.gcp import BUCKETS, GcpInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="gcp.storage.bucket_public_access_prevention_off",
    title="Bucket without public access prevention enforced",
    severity=Severity.MEDIUM,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.1",),
    remediation=(
        "Enforce public access prevention on the bucket, or organization-wide with the "
        "storage.publicAccessPrevention constraint."
    ),
    requires=(BUCKETS,),
)


def evaluate(inventory: GcpInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    for b in inventory.buckets:
        evidence = {"public_access_prevention": b.public_access_prevention}
        yield pass_or_fail(
            bucket(b),
            b.public_access_prevention == "enforced",
            f"Bucket {b.name} enforces public access prevention.",
            f"Bucket {b.name} does not enforce public access prevention "
            f"({b.public_access_prevention}); enforce it.",
            evidence=evidence,
            region=b.location,
        )


CHECK = Check(META, GcpInventory, evaluate)
