"""A VPC's default security group has rules, so anything placed in it by default is reachable."""

from __future__ import annotations

from collections.abc import Iterator

from checks.aws.security_group_rules import describe
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws.network import SECURITY_GROUPS
from scanner.models.enums import Category, Severity
from scanner.models.findings import Resource

META = CheckMeta(
    id="aws.vpc.default_security_group_allows_traffic",
    title="Default security group allows traffic",
    severity=Severity.MEDIUM,
    category=Category.NETWORK,
    soc2=("CC6.6",),
    remediation="Remove every inbound and outbound rule from the default security group and "
    "give resources purpose-made groups instead.",
    requires=(SECURITY_GROUPS,),
)


def evaluate(inventory: AwsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    for group in inventory.security_groups:
        if not group.is_default:
            continue
        resource = Resource(uid=group.arn, type="AWS::EC2::SecurityGroup", name=group.name)
        evidence = {
            "group_id": group.id,
            "vpc_id": group.vpc_id,
            "ingress": [describe(r) for r in group.ingress],
            "egress": [describe(r) for r in group.egress],
        }
        yield pass_or_fail(
            resource,
            not (group.ingress or group.egress),
            f"The default security group {group.id} of {group.vpc_id} allows no traffic.",
            f"The default security group {group.id} of {group.vpc_id} has "
            f"{len(group.ingress)} inbound and {len(group.egress)} outbound rule(s); "
            "remove them.",
            evidence=evidence,
            region=group.region,
        )


CHECK = Check(META, AwsInventory, evaluate)
