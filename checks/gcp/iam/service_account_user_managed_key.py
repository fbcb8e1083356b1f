"""Service accounts with usable user-managed keys (long-lived secrets outside Google)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from checks.gcp.resources import service_account, service_account_key
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, fail, passed
from scanner.inventory.gcp import SERVICE_ACCOUNT_KEYS, GcpInventory, ServiceAccountKey
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="gcp.iam.service_account_user_managed_key",
    title="Service account has a user-managed key",
    severity=Severity.MEDIUM,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.1",),
    remediation=(
        "Use attached service accounts or workload identity federation, delete the key, and "
        "enforce the iam.disableServiceAccountKeyCreation organization policy."
    ),
    requires=(SERVICE_ACCOUNT_KEYS,),
)


def usable(key: ServiceAccountKey, now: datetime) -> bool:
    return not key.disabled and (key.valid_before is None or key.valid_before > now)


def evaluate(inventory: GcpInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    for sa in inventory.service_accounts:
        keys = [k for k in sa.keys if usable(k, ctx.now)]
        for key in keys:
            yield fail(
                service_account_key(sa, key),
                f"Service account {sa.email} has user-managed key {key.key_id[:12]}…; replace "
                "it with workload identity and delete the key.",
                evidence={
                    "service_account": sa.email,
                    "key_id": key.key_id,
                    "created": key.valid_after.isoformat() if key.valid_after else None,
                },
            )
        if not keys:
            yield passed(
                service_account(inventory, sa),
                f"{sa.email} has no usable user-managed key.",
                evidence={"service_account": sa.email, "user_managed_keys": 0},
            )


CHECK = Check(META, GcpInventory, evaluate)
