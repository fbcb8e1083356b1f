"""KMS keys whose IAM policy grants allUsers or allAuthenticatedUsers."""

from __future__ import annotations

from collections.abc import Iterator

from checks.gcp import principals
from checks.gcp.resources import crypto_key
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, fail, passed
from scanner.inventory.gcp import CRYPTO_KEYS, GcpInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="gcp.kms.key_public_access",
    title="KMS key usable by allUsers or allAuthenticatedUsers",
    severity=Severity.CRITICAL,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.1", "CC6.6"),
    remediation="Remove allUsers and allAuthenticatedUsers from the key's IAM policy.",
    requires=(CRYPTO_KEYS,),
)


def evaluate(inventory: GcpInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    for key in inventory.crypto_keys:
        grants = sorted(
            f"{m} -> {b.role}"
            for b in key.iam.bindings
            for m in b.members
            if m in principals.PUBLIC_MEMBERS
        )
        evidence = {"public_grants": list(grants)}
        if grants:
            yield fail(
                crypto_key(key),
                f"KMS key {key.short_name} grants {grants[0]}; remove public members.",
                evidence=evidence,
                region=key.location,
            )
        else:
            yield passed(
                crypto_key(key),
                f"KMS key {key.short_name} grants nothing to the public.",
                evidence=evidence,
                region=key.location,
            )


CHECK = Check(META, GcpInventory, evaluate)
