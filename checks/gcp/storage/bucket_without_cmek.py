"""Buckets without a customer-managed default key, where gcp.require_cmek is set."""

from __future__ import annotations

from collections.abc import Iterator

from checks.gcp.resources import bucket
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.gcp import BUCKETS, GcpInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="gcp.storage.bucket_without_cmek",
    title="Bucket not encrypted with a customer-managed key (gcp.require_cmek)",
    severity=Severity.LOW,
    category=Category.ENCRYPTION,
    soc2=("CC6.1",),
    remediation="Set a Cloud KMS default key on the bucket (and re-write existing objects).",
    requires=(BUCKETS,),
    description="Evaluated only when gcp.require_cmek is true; Google-managed keys otherwise.",
)


def evaluate(inventory: GcpInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    for b in inventory.buckets:
        evidence = {"default_kms_key": b.default_kms_key}
        yield pass_or_fail(
            bucket(b),
            bool(b.default_kms_key),
            f"Bucket {b.name} uses a customer-managed key.",
            f"Bucket {b.name} uses Google-managed encryption; set a Cloud KMS default key.",
            evidence=evidence,
            region=b.location,
        )


CHECK = Check(META, GcpInventory, evaluate, enabled=lambda config: config.gcp.require_cmek)
