"""AWS Config is not recording configuration changes in a region."""

from __future__ import annotations

from collections.abc import Iterator

from checks.aws.resources import account_control
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, fail, passed
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws.monitoring import CONFIG_RECORDERS
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="aws.config.not_recording",
    title="AWS Config not recording in a region",
    severity=Severity.MEDIUM,
    category=Category.GOVERNANCE,
    soc2=("CC7.1", "CC8.1"),
    remediation="Create a configuration recorder and delivery channel in the region and "
    "start recording (all supported resource types).",
    requires=(CONFIG_RECORDERS,),
)


def evaluate(inventory: AwsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    for state in inventory.config_recorders:
        resource = account_control(inventory, "config", "recorder", state.region)
        evidence = {
            "recorders": [
                {
                    "name": r.name,
                    "recording": r.recording,
                    "last_status": r.last_status,
                    "all_supported": r.all_supported,
                    "resource_types": r.resource_types,
                }
                for r in state.recorders
            ]
        }
        if state.recording:
            yield passed(
                resource,
                f"AWS Config is recording in {state.region}.",
                evidence=evidence,
                region=state.region,
            )
        elif not state.recorders:
            yield fail(
                resource,
                f"AWS Config has no configuration recorder in {state.region}; create one and "
                "start it.",
                evidence=evidence,
                region=state.region,
            )
        else:
            yield fail(
                resource,
                f"AWS Config's recorder in {state.region} is stopped or failing; start it and "
                "check its delivery channel.",
                evidence=evidence,
                region=state.region,
            )


CHECK = Check(META, AwsInventory, evaluate)
