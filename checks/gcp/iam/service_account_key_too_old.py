"""User-managed service account keys older than the rotation threshold."""

from __future__ import annotations

from collections.abc import Iterator

from checks.gcp.iam.service_account_user_managed_key import usable
from checks.gcp.resources import service_account_key
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.gcp import SERVICE_ACCOUNT_KEYS, GcpInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="gcp.iam.service_account_key_too_old",
    title="Service account key not rotated within the allowed age",
    severity=Severity.MEDIUM,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.1",),
    remediation="Create a new key, move its users over, then disable and delete the old key.",
    requires=(SERVICE_ACCOUNT_KEYS,),
)


def evaluate(inventory: GcpInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    max_age = ctx.config.gcp.thresholds.service_account_key_max_age_days
    for sa in inventory.service_accounts:
        for key in sa.keys:
            if not usable(key, ctx.now) or key.valid_after is None:
                continue
            age = (ctx.now - key.valid_after).days
            evidence = {
                "service_account": sa.email,
                "key_id": key.key_id,
                "created": key.valid_after.isoformat(),
                "age_days": age,
                "max_age_days": max_age,
            }
            yield pass_or_fail(
                service_account_key(sa, key),
                age <= max_age,
                f"Key {key.key_id[:12]}… of {sa.email} is {age} days old.",
                f"Key {key.key_id[:12]}… of {sa.email} is {age} days old (limit {max_age}); "
                "rotate it.",
                evidence=evidence,
            )


CHECK = Check(META, GcpInventory, evaluate)
