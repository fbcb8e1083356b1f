"""Resource references for the AWS logging, monitoring, network and TLS checks."""

from __future__ import annotations

from scanner.inventory.aws import AwsInventory
from scanner.models.findings import Resource

ELBV2_LISTENER = "AWS::ElasticLoadBalancingV2::Listener"
ELB_LISTENER = "AWS::ElasticLoadBalancing::Listener"
CLOUDFRONT_DISTRIBUTION = "AWS::CloudFront::Distribution"
APIGATEWAY_DOMAIN = "AWS::ApiGateway::DomainName"


def account_control(
    inventory: AwsInventory, service: str, control: str, region: str | None = None
) -> Resource:
    """An account-wide (or account-and-region-wide) control, e.g. GuardDuty in a region.

    The uid is stable and distinct per region.
    """
    return Resource(
        uid=f"arn:{inventory.partition}:{service}:{region or ''}:{inventory.account}:{control}",
        type="AWS::Account::Control",
        name=f"{service} {control} {region}" if region else f"{service} {control}",
    )
