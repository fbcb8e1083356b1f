"""API Gateway: custom domain names as TLS endpoints (shared by REST and HTTP APIs)."""

from __future__ import annotations

from typing import Any

from providers.aws.collectors.tls_policies import apigateway_protocols
from providers.aws.paginate import paginate
from providers.aws.runner import AwsAccount, Collection
from providers.aws.session import AwsClients
from scanner.inventory import aws_monitoring as mon
from scanner.inventory.common import TlsEndpoint


def _endpoint(domain: dict[str, Any], region: str, account: AwsAccount) -> TlsEndpoint:
    name = domain["domainName"]
    policy = domain.get("securityPolicy")
    certificates = tuple(
        c for c in (domain.get("certificateArn"), domain.get("regionalCertificateArn")) if c
    )
    return TlsEndpoint(
        uid=domain.get("domainNameArn")
        or f"arn:{account.partition}:apigateway:{region}::/domainnames/{name}",
        name=name,
        kind="apigateway-domain",
        region=region,
        host=name,
        port=443,
        policy=policy,
        protocols=apigateway_protocols(policy),
        certificate_ids=certificates,
        listener_protocol="HTTPS",
    )


def fetch_domain_names(
    clients: AwsClients, region: str, account: AwsAccount
) -> tuple[TlsEndpoint, ...]:
    domains = paginate(clients.client("apigateway", region), "get_domain_names", "items")
    return tuple(_endpoint(d, region, account) for d in domains)


COLLECTIONS = (
    Collection(
        mon.APIGATEWAY_DOMAINS,
        "apigateway_endpoints",
        "apigateway",
        ("apigateway:GET",),
        fetch_domain_names,
        regional=True,
    ),
)
