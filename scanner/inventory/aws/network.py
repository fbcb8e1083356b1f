"""AWS network and TLS inventory: VPCs and flow logs, security groups, ACM certificates (the
load balancer, CloudFront and API Gateway endpoints are the shared `TlsEndpoint`).

Every regional model carries the `region` it was read in.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from scanner.models.inventory import Frozen

# Collection names: checks declare them in `requires`, collectors record their outcomes.
VPCS = "aws.ec2.vpcs"
SECURITY_GROUPS = "aws.ec2.security_groups"
ELBV2_LISTENERS = "aws.elbv2.listeners"
ELB_LISTENERS = "aws.elb.listeners"
CLOUDFRONT_DISTRIBUTIONS = "aws.cloudfront.distributions"
APIGATEWAY_DOMAINS = "aws.apigateway.domain_names"
ACM_CERTIFICATES = "aws.acm.certificates"


class FlowLog(Frozen):
    id: str
    status: str
    traffic_type: str
    destination_type: str | None = None
    deliver_status: str | None = None


class Vpc(Frozen):
    id: str
    arn: str
    region: str
    is_default: bool = False
    name: str | None = None
    owner_id: str | None = Field(
        None, description="OwnerId: another account's id for a VPC shared with this one"
    )
    flow_logs: tuple[FlowLog, ...] = ()


class IpPermission(Frozen):
    """One rule of a security group; protocol "-1" means every protocol and port."""

    protocol: str
    from_port: int | None = None
    to_port: int | None = None
    ipv4_ranges: tuple[str, ...] = ()
    ipv6_ranges: tuple[str, ...] = ()
    prefix_lists: tuple[str, ...] = ()
    security_groups: tuple[str, ...] = ()


class SecurityGroup(Frozen):
    id: str
    arn: str
    name: str
    region: str
    vpc_id: str | None = None
    ingress: tuple[IpPermission, ...] = ()
    egress: tuple[IpPermission, ...] = ()

    @property
    def is_default(self) -> bool:
        return self.name == "default"


class AcmCertificate(Frozen):
    arn: str
    domain: str
    region: str
    status: str
    type: str | None = None
    not_after: datetime | None = None
    in_use: bool | None = None
    in_use_by: tuple[str, ...] = Field(
        (), description="Known only when the certificate was described"
    )
