"""API Gateway: custom domain names as TLS endpoints.

AWS shares custom domains between REST (v1) and HTTP/WebSocket (v2) APIs, so both listings
usually name the same domains; they are read both (some endpoints, moto among them, keep them
apart) and merged by domain name.
"""

from __future__ import annotations

from typing import Any

from providers.aws.collectors.tls_policies import apigateway_protocols
from providers.aws.paginate import paginate
from providers.aws.runner import AwsAccount, aws_collection
from providers.aws.session import AwsClients
from scanner.inventory.aws import network as net
from scanner.inventory.common import TlsEndpoint


def _endpoint(
    name: str,
    arn: str | None,
    policy: str | None,
    certificates: tuple[str, ...],
    region: str,
    account: AwsAccount,
) -> TlsEndpoint:
    return TlsEndpoint(
        uid=arn or f"arn:{account.partition}:apigateway:{region}::/domainnames/{name}",
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


def _rest_domain(domain: dict[str, Any], region: str, account: AwsAccount) -> TlsEndpoint:
    certificates = tuple(
        c for c in (domain.get("certificateArn"), domain.get("regionalCertificateArn")) if c
    )
    return _endpoint(
        domain["domainName"],
        domain.get("domainNameArn"),
        domain.get("securityPolicy"),
        certificates,
        region,
        account,
    )


def _http_domain(domain: dict[str, Any], region: str, account: AwsAccount) -> TlsEndpoint:
    configs = domain.get("DomainNameConfigurations", []) or [{}]
    # A domain has one configuration per endpoint type; judge it by the weakest.
    weakest = max(configs, key=lambda c: len(apigateway_protocols(c.get("SecurityPolicy"))))
    certificates = tuple(c["CertificateArn"] for c in configs if c.get("CertificateArn"))
    return _endpoint(
        domain["DomainName"],
        domain.get("DomainNameArn"),
        weakest.get("SecurityPolicy"),
        certificates,
        region,
        account,
    )


def fetch_domain_names(
    clients: AwsClients, region: str, account: AwsAccount
) -> tuple[TlsEndpoint, ...]:
    found: dict[str, TlsEndpoint] = {}
    for domain in paginate(clients.client("apigateway", region), "get_domain_names", "items"):
        endpoint = _rest_domain(domain, region, account)
        found[endpoint.name] = endpoint
    for domain in paginate(clients.client("apigatewayv2", region), "get_domain_names", "Items"):
        endpoint = _http_domain(domain, region, account)
        found.setdefault(endpoint.name, endpoint)
    return tuple(found[name] for name in sorted(found))


COLLECTIONS = (
    aws_collection(
        net.APIGATEWAY_DOMAINS,
        "apigateway_endpoints",
        "apigateway",
        ("apigateway:GET",),
        fetch_domain_names,
        regional=True,
    ),
)
