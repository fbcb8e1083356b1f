from __future__ import annotations

from checks.aws.vpc import (
    default_security_group_allows_traffic,
    flow_logs_disabled,
    security_group_open_to_internet,
)
from scanner.inventory.aws import network as net
from tests.aws.regional_builders import context, inventory, verdicts


def rule(protocol: str, low: int | None, high: int | None, *cidrs: str) -> net.IpPermission:
    return net.IpPermission(
        protocol=protocol,
        from_port=low,
        to_port=high,
        ipv4_ranges=tuple(c for c in cidrs if ":" not in c),
        ipv6_ranges=tuple(c for c in cidrs if ":" in c),
    )


def sg(
    name: str, *ingress: net.IpPermission, egress: tuple[net.IpPermission, ...] = ()
) -> net.SecurityGroup:
    return net.SecurityGroup(
        id=f"sg-{name}",
        arn=f"arn:aws:ec2:us-east-1:111122223333:security-group/sg-{name}",
        name=name,
        region="us-east-1",
        vpc_id="vpc-1",
        ingress=ingress,
        egress=egress,
    )


GROUPS = (
    sg("ssh-world", rule("tcp", 22, 22, "0.0.0.0/0")),
    sg("rdp-v6", rule("tcp", 3389, 3389, "::/0")),
    sg("range-covers-mysql", rule("tcp", 3000, 4000, "0.0.0.0/0")),
    sg("all-traffic", rule("-1", None, None, "0.0.0.0/0")),
    sg("all-tcp-ports", rule("tcp", 0, 65535, "0.0.0.0/0")),
    sg("redis-udp", rule("udp", 6379, 6379, "0.0.0.0/0")),
    sg("https-world", rule("tcp", 443, 443, "0.0.0.0/0", "::/0")),
    sg("ssh-office", rule("tcp", 22, 22, "203.0.113.0/24")),
    sg("icmp-world", rule("icmp", -1, -1, "0.0.0.0/0")),
    sg("mongo-private", rule("tcp", 27017, 27017, "10.0.0.0/8")),
    sg("empty"),
)


def test_open_admin_ports_exact_sets() -> None:
    result = verdicts(security_group_open_to_internet.CHECK, inventory(security_groups=GROUPS))
    assert result["fail"] == {
        "ssh-world",
        "rdp-v6",
        "range-covers-mysql",
        "all-traffic",
        "all-tcp-ports",
        "redis-udp",
    }
    assert result["pass"] == {"https-world", "ssh-office", "icmp-world", "mongo-private", "empty"}


def test_open_admin_ports_list_is_configurable() -> None:
    result = verdicts(
        security_group_open_to_internet.CHECK,
        inventory(security_groups=GROUPS),
        admin_ports=(443,),
    )
    assert result["fail"] == {"https-world", "all-traffic", "all-tcp-ports"}


def test_open_admin_ports_evidence_names_ports_and_sources() -> None:
    inv = inventory(security_groups=(GROUPS[1],))
    (result,) = list(security_group_open_to_internet.CHECK.evaluate(inv, context()))
    assert result.evidence["exposed"] == [
        {"rule": "tcp/3389", "sources": ["::/0"], "admin_ports": [3389], "all_ports": False}
    ]
    assert "3389" in result.message


def test_default_security_group() -> None:
    groups = (
        sg("default", rule("-1", None, None), egress=(rule("-1", None, None, "0.0.0.0/0"),)),
        sg("default", egress=(rule("-1", None, None, "0.0.0.0/0"),)).model_copy(
            update={"id": "sg-d2", "arn": "arn:aws:ec2:us-east-1:111122223333:security-group/sg-d2"}
        ),
        sg("default").model_copy(
            update={"id": "sg-d3", "arn": "arn:aws:ec2:us-east-1:111122223333:security-group/sg-d3"}
        ),
        sg("web", rule("tcp", 443, 443, "0.0.0.0/0")),
    )
    results = list(
        default_security_group_allows_traffic.CHECK.evaluate(
            inventory(security_groups=groups), context()
        )
    )
    assert {(r.resource.uid.rsplit("/", 1)[1], r.status.value) for r in results} == {
        ("sg-default", "fail"),
        ("sg-d2", "fail"),
        ("sg-d3", "pass"),
    }


def vpc(name: str, *logs: net.FlowLog, owner: str = "111122223333") -> net.Vpc:
    return net.Vpc(
        id=f"vpc-{name}",
        arn=f"arn:aws:ec2:eu-west-1:{owner}:vpc/vpc-{name}",
        region="eu-west-1",
        name=name,
        owner_id=owner,
        flow_logs=logs,
    )


def log(
    status: str = "ACTIVE", traffic: str = "ALL", deliver: str | None = "SUCCESS"
) -> net.FlowLog:
    return net.FlowLog(id="fl-1", status=status, traffic_type=traffic, deliver_status=deliver)


def test_flow_logs_exact_sets() -> None:
    vpcs = (
        vpc("none"),
        vpc("all", log()),
        vpc("reject-only", log(traffic="REJECT")),
        vpc("accept-only", log(traffic="ACCEPT")),
        vpc("failing", log(deliver="FAILED")),
        vpc("s3-no-status", log(deliver=None)),
    )
    result = verdicts(flow_logs_disabled.CHECK, inventory(vpcs=vpcs))
    assert result["fail"] == {"none", "accept-only"}
    assert result["pass"] == {"all", "reject-only", "s3-no-status", "failing"}


def test_a_vpc_shared_by_another_account_is_judged_in_the_owner_account() -> None:
    # DescribeVpcs returns VPCs shared through RAM with their OwnerId: a participant cannot
    # see (or create) their flow logs.
    vpcs = (vpc("shared", owner="444455556666"), vpc("own"))
    results = verdicts(flow_logs_disabled.CHECK, inventory(vpcs=vpcs))
    assert results["fail"] == {"own"}
    assert results["pass"] == {"shared"}
    (shared,) = [
        r
        for r in flow_logs_disabled.CHECK.evaluate(inventory(vpcs=vpcs), context())
        if r.resource.name == "shared"
    ]
    assert "444455556666" in shared.message
    assert shared.evidence["owner_account"] == "444455556666"
