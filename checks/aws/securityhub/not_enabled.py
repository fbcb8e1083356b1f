"""Security Hub is not enabled in a region."""

from __future__ import annotations

from collections.abc import Iterator

from checks.aws.resources import account_control
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws.monitoring import SECURITYHUB_HUB
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="aws.securityhub.not_enabled",
    title="Security Hub off in a region",
    severity=Severity.MEDIUM,
    category=Category.LOGGING,
    soc2=("CC7.2",),
    remediation="Enable Security Hub in every region you use so findings from GuardDuty, "
    "Config and other sources are gathered in one place.",
    requires=(SECURITYHUB_HUB,),
)


def evaluate(inventory: AwsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    for hub in inventory.securityhub:
        resource = account_control(inventory, "securityhub", "hub", hub.region)
        evidence = {"enabled": hub.enabled, "hub_arn": hub.hub_arn}
        yield pass_or_fail(
            resource,
            hub.enabled,
            f"Security Hub is enabled in {hub.region}.",
            f"Security Hub is not enabled in {hub.region}; enable it.",
            evidence=evidence,
            region=hub.region,
        )


CHECK = Check(META, AwsInventory, evaluate)
