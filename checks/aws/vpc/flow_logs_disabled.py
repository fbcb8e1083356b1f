"""A VPC without an active flow log."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import JsonValue

from scanner.check import Check, CheckContext, CheckMeta, CheckResult, fail, passed
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws.network import VPCS
from scanner.models.enums import Category, Severity
from scanner.models.findings import Resource

META = CheckMeta(
    id="aws.vpc.flow_logs_disabled",
    title="VPC without flow logs",
    severity=Severity.MEDIUM,
    category=Category.LOGGING,
    soc2=("CC7.2",),
    remediation="Create a flow log for the VPC capturing at least rejected traffic (ALL is "
    "better), delivered to CloudWatch Logs or S3.",
    requires=(VPCS,),
)

CAPTURING = frozenset({"ALL", "REJECT"})


def evaluate(inventory: AwsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    for vpc in inventory.vpcs:
        resource = Resource(uid=vpc.arn, type="AWS::EC2::VPC", name=vpc.name or vpc.id)
        active = [
            f
            for f in vpc.flow_logs
            if f.status.upper() == "ACTIVE" and f.traffic_type.upper() in CAPTURING
        ]
        failing = [f.id for f in active if (f.deliver_status or "").upper() == "FAILED"]
        evidence: dict[str, JsonValue] = {
            "vpc_id": vpc.id,
            "is_default": vpc.is_default,
            "flow_logs": [
                {
                    "id": f.id,
                    "status": f.status,
                    "traffic_type": f.traffic_type,
                    "deliver_status": f.deliver_status,
                }
                for f in vpc.flow_logs
            ],
        }
        shared_by = vpc.owner_id if vpc.owner_id not in (None, inventory.account) else None
        if shared_by:
            evidence["owner_account"] = shared_by
        if active:
            note = (
                f" (delivery failing for {', '.join(failing)}: check its destination and role)"
                if len(failing) == len(active)
                else ""
            )
            yield passed(
                resource,
                f"VPC {vpc.id} has an active flow log ({active[0].traffic_type}){note}.",
                evidence=evidence,
                region=vpc.region,
            )
        elif shared_by:
            # A participant sees neither the owner's flow logs nor may it create VPC ones.
            yield passed(
                resource,
                f"VPC {vpc.id} is owned by account {shared_by} and shared with this one: its "
                f"flow logs are visible only to the owner; judge them in account {shared_by}.",
                evidence=evidence,
                region=vpc.region,
            )
        else:
            yield fail(
                resource,
                f"VPC {vpc.id} has no active flow log capturing rejected traffic; create one.",
                evidence=evidence,
                region=vpc.region,
            )


CHECK = Check(META, AwsInventory, evaluate)
