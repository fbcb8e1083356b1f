"""The root user has no MFA device."""

from __future__ import annotations

from collections.abc import Iterator

from checks.aws.resources import root_account
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws.identity import ACCOUNT_SUMMARY
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="aws.iam.root_mfa_disabled",
    title="Root user without MFA",
    severity=Severity.CRITICAL,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.1",),
    remediation="Enable a hardware or virtual MFA device on the root user.",
    requires=(ACCOUNT_SUMMARY,),
)


def evaluate(inventory: AwsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    if inventory.root is None:
        return
    resource = root_account(inventory)
    evidence = {"account_mfa_enabled": inventory.root.mfa_enabled}
    yield pass_or_fail(
        resource,
        inventory.root.mfa_enabled,
        "The root user has MFA enabled.",
        "The root user has no MFA device; enable one.",
        evidence=evidence,
    )


CHECK = Check(META, AwsInventory, evaluate)
