"""Symmetric KMS keys rotated less often than the threshold, or never."""

from __future__ import annotations

from collections.abc import Iterator

from checks.gcp.resources import crypto_key
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, fail, passed
from scanner.inventory.gcp import CRYPTO_KEYS, GcpInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="gcp.kms.key_rotation_too_long",
    title="KMS key rotation period longer than allowed, or unset",
    severity=Severity.MEDIUM,
    category=Category.ENCRYPTION,
    soc2=("CC6.1",),
    remediation=(
        "Set automatic rotation (gcloud kms keys update KEY --rotation-period=90d "
        "--next-rotation-time=...)."
    ),
    requires=(CRYPTO_KEYS,),
    description=(
        "Only symmetric ENCRYPT_DECRYPT keys with an enabled primary version rotate. Cloud EKM "
        "keys in manual mode (EXTERNAL, or EXTERNAL_VPC through a MANUAL EKM connection) cannot "
        "be rotated by Cloud KMS: their rotation is the external key manager's and is not judged."
    ),
)


def evaluate(inventory: GcpInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    max_days = ctx.config.gcp.thresholds.kms_rotation_max_days
    for key in inventory.crypto_keys:
        if key.purpose != "ENCRYPT_DECRYPT" or key.primary_state != "ENABLED":
            continue
        if key.externally_managed:  # Cloud KMS cannot rotate it: not a rotation failure
            continue
        period_days = (
            key.rotation_period_seconds / 86400 if key.rotation_period_seconds is not None else None
        )
        evidence = {
            "rotation_period_days": period_days,
            "next_rotation": key.next_rotation.isoformat() if key.next_rotation else None,
            "max_rotation_days": max_days,
        }
        if period_days is None:
            yield fail(
                crypto_key(key),
                f"KMS key {key.short_name} in {inventory.account} has no automatic rotation; "
                f"set a rotation period of at most {max_days} days.",
                evidence=evidence,
                region=key.location,
            )
        elif period_days > max_days:
            yield fail(
                crypto_key(key),
                f"KMS key {key.short_name} rotates every {period_days:g} days (limit "
                f"{max_days}); shorten its rotation period.",
                evidence=evidence,
                region=key.location,
            )
        else:
            yield passed(
                crypto_key(key),
                f"KMS key {key.short_name} rotates every {period_days:g} days.",
                evidence=evidence,
                region=key.location,
            )


CHECK = Check(META, GcpInventory, evaluate)
