"""CloudFront minimum viewer protocol version below the configured policy (TLSv1.2_2021)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from checks.aws.resources import CLOUDFRONT_DISTRIBUTION
from checks.tls.verdicts import below, resource
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, error, pass_or_fail
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws.network import CLOUDFRONT_DISTRIBUTIONS
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="aws.cloudfront.weak_tls_policy",
    title="CloudFront minimum TLS policy below TLSv1.2_2021",
    severity=Severity.HIGH,
    category=Category.ENCRYPTION,
    soc2=("CC6.7",),
    remediation="Use a custom certificate and set the security policy (minimum protocol "
    "version) to TLSv1.2_2021 or later.",
    requires=(CLOUDFRONT_DISTRIBUTIONS,),
    description="Distributions on the default *.cloudfront.net certificate, whose policy "
    "CloudFront fixes at TLSv1, are judged by aws.cloudfront.default_certificate_tls.",
)

_POLICY = re.compile(r"^(?:SSLv3|TLSv1(?:\.([0-3]))?)(?:_(\d{4}))?$")


def policy_rank(policy: str | None) -> tuple[int, int] | None:
    """(minor TLS version, year) so that policies compare; SSLv3 is (-1, 0)."""
    match = _POLICY.match(policy or "")
    if match is None:
        return None
    if policy == "SSLv3":
        return (-1, 0)
    return (int(match.group(1) or 0), int(match.group(2) or 0))


def evaluate(inventory: AwsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    thresholds = ctx.config.aws.thresholds
    floor = policy_rank(thresholds.cloudfront_min_tls_policy)
    assert floor is not None  # the config pattern guarantees a parsable policy name
    for endpoint in inventory.cloudfront_endpoints:
        if endpoint.provider_default_certificate:
            continue  # its policy is CloudFront's: aws.cloudfront.default_certificate_tls
        rank = policy_rank(endpoint.policy)
        target = resource(endpoint, CLOUDFRONT_DISTRIBUTION)
        evidence = {
            "host": endpoint.host,
            "minimum_protocol_version": endpoint.policy,
            "required": thresholds.cloudfront_min_tls_policy,
            "protocols": list(endpoint.protocols),
        }
        if rank is None:
            yield error(
                target,
                f"Not evaluated: {endpoint.name} reports an unknown security policy "
                f"{endpoint.policy!r}.",
                evidence=evidence,
            )
            continue
        yield pass_or_fail(
            target,
            rank >= floor and not below(endpoint.protocols, thresholds.min_tls_version),
            f"{endpoint.name} requires {endpoint.policy} or better from viewers.",
            f"{endpoint.name} accepts viewers with policy {endpoint.policy}, below "
            f"{thresholds.cloudfront_min_tls_policy}; raise its minimum protocol version.",
            evidence=evidence,
        )


CHECK = Check(META, AwsInventory, evaluate)
