"""CloudFront distributions on the default *.cloudfront.net certificate, where the minimum TLS
version is CloudFront's (TLSv1) and cannot be raised without a custom domain."""

from __future__ import annotations

from collections.abc import Iterator

from checks.aws.resources import CLOUDFRONT_DISTRIBUTION
from checks.tls.verdicts import below, resource
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws.network import CLOUDFRONT_DISTRIBUTIONS
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="aws.cloudfront.default_certificate_tls",
    title="CloudFront distribution on the default certificate accepts TLS 1.0 and 1.1",
    # TLS 1.0/1.1 (never SSLv3) on a *.cloudfront.net name, fixed by AWS: a design choice to
    # revisit rather than a misconfiguration, so below weak_tls_policy's high.
    severity=Severity.LOW,
    category=Category.ENCRYPTION,
    soc2=("CC6.7",),
    remediation="Serve the distribution on your own domain (an alternate domain name with an "
    "ACM certificate in us-east-1) and set its security policy to TLSv1.2_2021 or later; the "
    "default *.cloudfront.net certificate's policy cannot be changed.",
    requires=(CLOUDFRONT_DISTRIBUTIONS,),
    description="With CloudFrontDefaultCertificate true, CloudFront sets the security policy "
    "to TLSv1 whatever MinimumProtocolVersion reports (botocore's ViewerCertificate model).",
)


def evaluate(inventory: AwsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    floor = ctx.config.aws.thresholds.min_tls_version
    for endpoint in inventory.cloudfront_endpoints:
        if not endpoint.provider_default_certificate:
            continue
        weak = below(endpoint.protocols, floor)
        yield pass_or_fail(
            resource(endpoint, CLOUDFRONT_DISTRIBUTION),
            not weak,
            f"{endpoint.name} uses the default *.cloudfront.net certificate, whose TLSv1 "
            f"policy meets the {floor} floor.",
            f"{endpoint.name} uses the default *.cloudfront.net certificate: CloudFront fixes "
            f"its security policy at TLSv1 (accepting {', '.join(weak)}; never SSLv3), "
            "whatever the distribution reports; only a custom domain with its own certificate "
            f"can require {floor}.",
            evidence={
                "host": endpoint.host,
                "cloudfront_default_certificate": True,
                "reported_minimum_protocol_version": endpoint.policy,
                "policy_in_force": "TLSv1",
                "protocols": list(endpoint.protocols),
                "minimum_required": floor,
            },
        )


CHECK = Check(META, AwsInventory, evaluate)
