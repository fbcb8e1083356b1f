"""GuardDuty is not enabled in a region."""

from __future__ import annotations

from collections.abc import Iterator

from checks.aws.resources import account_control
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws.monitoring import GUARDDUTY_DETECTORS
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="aws.guardduty.not_enabled",
    title="GuardDuty off in a region",
    severity=Severity.HIGH,
    category=Category.LOGGING,
    soc2=("CC7.2", "CC7.3"),
    remediation="Enable GuardDuty in every region you use (or through the organization's "
    "delegated administrator) and route its findings to someone who triages them.",
    requires=(GUARDDUTY_DETECTORS,),
)


def evaluate(inventory: AwsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    for state in inventory.guardduty:
        resource = account_control(inventory, "guardduty", "detector", state.region)
        evidence = {"detectors": {d.id: d.status for d in state.detectors}}
        yield pass_or_fail(
            resource,
            state.enabled,
            f"GuardDuty is enabled in {state.region}.",
            f"GuardDuty is not enabled in {state.region}; enable a detector there.",
            evidence=evidence,
            region=state.region,
        )


CHECK = Check(META, AwsInventory, evaluate)
