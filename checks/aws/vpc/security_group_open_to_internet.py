"""A security group open to the internet on administrative or database ports, or on all ports."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import JsonValue

from checks.aws.security_group_rules import all_ports, describe, open_to_world, ports_opened
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws.network import SECURITY_GROUPS
from scanner.models.enums import Category, Severity
from scanner.models.findings import Resource

META = CheckMeta(
    id="aws.vpc.security_group_open_to_internet",
    title="Security group open to the internet on admin or database ports",
    severity=Severity.HIGH,
    category=Category.NETWORK,
    soc2=("CC6.6",),
    remediation="Replace 0.0.0.0/0 and ::/0 in the rule with the addresses that need access, "
    "or reach the service through a bastion, VPN or Session Manager.",
    requires=(SECURITY_GROUPS,),
)


def evaluate(inventory: AwsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    admin_ports = ctx.config.aws.thresholds.admin_ports
    for group in inventory.security_groups:
        resource = Resource(uid=group.arn, type="AWS::EC2::SecurityGroup", name=group.name)
        exposed: list[JsonValue] = []
        opened: set[int] = set()
        everything = False
        for rule in group.ingress:
            sources = open_to_world(rule)
            ports = ports_opened(rule, admin_ports) if sources else ()
            if not sources or not (all_ports(rule) or ports):
                continue
            opened.update(ports)
            everything = everything or all_ports(rule)
            exposed.append(
                {
                    "rule": describe(rule),
                    "sources": list(sources),
                    "admin_ports": list(ports),
                    "all_ports": all_ports(rule),
                }
            )
        evidence: dict[str, JsonValue] = {
            "group_id": group.id,
            "vpc_id": group.vpc_id,
            "exposed": exposed,
        }
        what = "all ports" if everything else f"port(s) {', '.join(str(p) for p in sorted(opened))}"
        yield pass_or_fail(
            resource,
            not exposed,
            f"Security group {group.id} opens no admin or database port to the internet.",
            f"Security group {group.id} ({group.name}) allows {what} from the internet; "
            "restrict the source addresses.",
            evidence=evidence,
            region=group.region,
        )


CHECK = Check(META, AwsInventory, evaluate)
