"""EC2 networking: VPCs with their flow logs, and security groups with their rules."""

from __future__ import annotations

from typing import Any

from providers.aws.paginate import paginate
from providers.aws.runner import AwsAccount, aws_collection
from providers.aws.session import AwsClients
from scanner.inventory.aws import network as net


def _name(tags: list[dict[str, str]]) -> str | None:
    return next((t.get("Value") for t in tags if t.get("Key") == "Name"), None)


def fetch_vpcs(clients: AwsClients, region: str, account: AwsAccount) -> tuple[net.Vpc, ...]:
    ec2 = clients.client("ec2", region)
    flow_logs: dict[str, list[net.FlowLog]] = {}
    for log in paginate(ec2, "describe_flow_logs", "FlowLogs"):
        flow_logs.setdefault(log.get("ResourceId", ""), []).append(
            net.FlowLog(
                id=log["FlowLogId"],
                status=log.get("FlowLogStatus", ""),
                traffic_type=log.get("TrafficType", ""),
                destination_type=log.get("LogDestinationType"),
                deliver_status=log.get("DeliverLogsStatus"),
            )
        )
    return tuple(
        net.Vpc(
            id=v["VpcId"],
            arn=f"arn:{account.partition}:ec2:{region}:{v.get('OwnerId') or account.id}:"
            f"vpc/{v['VpcId']}",
            region=region,
            is_default=bool(v.get("IsDefault")),
            name=_name(v.get("Tags", [])),
            # DescribeVpcs also returns VPCs another account shares with this one (RAM).
            owner_id=v.get("OwnerId"),
            flow_logs=tuple(flow_logs.get(v["VpcId"], ())),
        )
        for v in paginate(ec2, "describe_vpcs", "Vpcs")
    )


def _permission(raw: dict[str, Any]) -> net.IpPermission:
    return net.IpPermission(
        protocol=str(raw.get("IpProtocol", "-1")),
        from_port=raw.get("FromPort"),
        to_port=raw.get("ToPort"),
        ipv4_ranges=tuple(r["CidrIp"] for r in raw.get("IpRanges", []) if "CidrIp" in r),
        ipv6_ranges=tuple(r["CidrIpv6"] for r in raw.get("Ipv6Ranges", []) if "CidrIpv6" in r),
        prefix_lists=tuple(p.get("PrefixListId", "") for p in raw.get("PrefixListIds", [])),
        security_groups=tuple(g.get("GroupId", "") for g in raw.get("UserIdGroupPairs", [])),
    )


def fetch_security_groups(
    clients: AwsClients, region: str, account: AwsAccount
) -> tuple[net.SecurityGroup, ...]:
    groups = paginate(clients.client("ec2", region), "describe_security_groups", "SecurityGroups")
    return tuple(
        net.SecurityGroup(
            id=g["GroupId"],
            arn=g.get("SecurityGroupArn")
            or f"arn:{account.partition}:ec2:{region}:{g.get('OwnerId') or account.id}:"
            f"security-group/{g['GroupId']}",
            name=g.get("GroupName", ""),
            region=region,
            vpc_id=g.get("VpcId"),
            ingress=tuple(_permission(p) for p in g.get("IpPermissions", [])),
            egress=tuple(_permission(p) for p in g.get("IpPermissionsEgress", [])),
        )
        for g in groups
    )


COLLECTIONS = (
    aws_collection(
        net.VPCS,
        "vpcs",
        "ec2",
        ("ec2:DescribeVpcs", "ec2:DescribeFlowLogs"),
        fetch_vpcs,
        regional=True,
    ),
    aws_collection(
        net.SECURITY_GROUPS,
        "security_groups",
        "ec2",
        ("ec2:DescribeSecurityGroups",),
        fetch_security_groups,
        regional=True,
    ),
)
