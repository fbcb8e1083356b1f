"""CloudFront: distributions as TLS endpoints (viewer protocol policy, minimum TLS policy)."""

from __future__ import annotations

from typing import Any

from providers.aws.collectors.tls_policies import cloudfront_protocols
from providers.aws.paginate import paginate_pages
from providers.aws.runner import AwsAccount, aws_collection
from providers.aws.session import AwsClients
from scanner.inventory.aws import network as net
from scanner.inventory.common import TlsEndpoint


def _viewer_policies(distribution: dict[str, Any]) -> list[str]:
    behaviors = [distribution.get("DefaultCacheBehavior", {})]
    behaviors += distribution.get("CacheBehaviors", {}).get("Items", []) or []
    return [str(b.get("ViewerProtocolPolicy", "")) for b in behaviors]


def _endpoint(distribution: dict[str, Any], account: AwsAccount) -> TlsEndpoint:
    certificate = distribution.get("ViewerCertificate", {})
    policy = certificate.get("MinimumProtocolVersion")
    aliases = distribution.get("Aliases", {}).get("Items", []) or []
    acm_arn = certificate.get("ACMCertificateArn")
    # botocore's ViewerCertificate.MinimumProtocolVersion: with the CloudFront domain name
    # (CloudFrontDefaultCertificate true) "CloudFront automatically sets the security policy
    # to TLSv1 regardless of the value that you set here".
    # Only one of ACMCertificateArn, IAMCertificateId and CloudFrontDefaultCertificate is
    # meant to be set; a custom certificate wins where an endpoint reports both (moto does).
    default_certificate = bool(certificate.get("CloudFrontDefaultCertificate")) and not (
        acm_arn or certificate.get("IAMCertificateId")
    )
    return TlsEndpoint(
        uid=distribution.get("ARN")
        or f"arn:{account.partition}:cloudfront::{account.id}:distribution/{distribution['Id']}",
        name=aliases[0] if aliases else distribution.get("DomainName") or distribution["Id"],
        kind="cloudfront",
        host=distribution.get("DomainName"),
        aliases=tuple(aliases),  # the CNAMEs viewers use, each probed with --probe-tls
        port=443,
        policy=policy,
        protocols=cloudfront_protocols("TLSv1" if default_certificate else policy),
        allows_plaintext="allow-all" in _viewer_policies(distribution),
        certificate_ids=(acm_arn,) if acm_arn else (),
        listener_protocol="HTTPS",
        provider_default_certificate=default_certificate,
    )


def fetch_distributions(
    clients: AwsClients, region: str, account: AwsAccount
) -> tuple[TlsEndpoint, ...]:
    pages = paginate_pages(clients.client("cloudfront", region), "list_distributions")
    return tuple(
        _endpoint(d, account)
        for page in pages
        for d in page.get("DistributionList", {}).get("Items", []) or []
    )


COLLECTIONS = (
    aws_collection(
        net.CLOUDFRONT_DISTRIBUTIONS,
        "cloudfront_endpoints",
        "cloudfront",
        ("cloudfront:ListDistributions",),
        fetch_distributions,
    ),
)
