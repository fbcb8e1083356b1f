"""Customer-managed symmetric keys without automatic rotation."""

from __future__ import annotations

from collections.abc import Iterator

from checks.aws.resources import kms_key, not_evaluated
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws import storage as data
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="aws.kms.key_rotation_disabled",
    title="Customer-managed KMS key without automatic rotation",
    severity=Severity.MEDIUM,
    category=Category.ENCRYPTION,
    soc2=("CC6.1",),
    remediation="Enable automatic key rotation (aws kms enable-key-rotation --key-id KEY).",
    requires=(data.KMS_KEYS,),
    description="Applies to enabled symmetric keys with KMS-generated material.",
)


def evaluate(inventory: AwsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    for key in inventory.kms_keys:
        if key.unknown_of(data.KMS_METADATA):
            yield not_evaluated(kms_key(key), key.unknown, key.region)
            continue
        if not (key.customer_managed and key.rotatable and key.state == "Enabled"):
            continue
        unknown = key.unknown_of(data.KMS_ROTATION)
        if unknown or key.rotation_enabled is None:
            if unknown:
                yield not_evaluated(kms_key(key), unknown, key.region)
            continue
        evidence = {
            "key_id": key.key_id,
            "aliases": list(key.aliases),
            "rotation_enabled": key.rotation_enabled,
        }
        yield pass_or_fail(
            kms_key(key),
            key.rotation_enabled,
            f"KMS key {key.key_id} rotates automatically.",
            f"KMS key {key.key_id} does not rotate its key material; enable automatic rotation.",
            evidence=evidence,
            region=key.region,
        )


CHECK = Check(META, AwsInventory, evaluate)
