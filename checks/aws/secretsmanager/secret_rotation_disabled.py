"""Secrets Manager secrets without automatic rotation."""

from __future__ import annotations

from collections.abc import Iterator

from checks.aws.resources import secret
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws import storage as data
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="aws.secretsmanager.secret_rotation_disabled",
    title="Secrets Manager secret without rotation",
    severity=Severity.MEDIUM,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.1",),
    remediation=(
        "Configure rotation with a rotation Lambda (or a managed rotation) and a schedule "
        "(aws secretsmanager rotate-secret --rotation-rules AutomaticallyAfterDays=90)."
    ),
    requires=(data.SECRETS,),
)


def evaluate(inventory: AwsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    for s in inventory.secrets:
        evidence = {
            "rotation_enabled": s.rotation_enabled,
            "rotation_interval_days": s.rotation_days,
            "last_rotated_date": s.last_rotated.isoformat() if s.last_rotated else None,
        }
        yield pass_or_fail(
            secret(s),
            s.rotation_enabled,
            f"Secret {s.name} rotates.",
            f"Secret {s.name} is never rotated; configure automatic rotation.",
            evidence=evidence,
            region=s.region,
        )


CHECK = Check(META, AwsInventory, evaluate)
