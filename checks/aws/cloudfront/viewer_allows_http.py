"""CloudFront viewer protocol allows HTTP"""

from __future__ import annotations

from collections.abc import Iterator

from checks.aws.resources import CLOUDFRONT_DISTRIBUTION
from checks.tls.verdicts import plaintext_results
from scanner.check import Check, CheckContext, CheckMeta, CheckResult
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws.network import CLOUDFRONT_DISTRIBUTIONS
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="aws.cloudfront.viewer_allows_http",
    title="CloudFront viewer protocol allows HTTP",
    severity=Severity.HIGH,
    category=Category.ENCRYPTION,
    soc2=("CC6.7",),
    remediation="Set every cache behavior's viewer protocol policy to redirect-to-https or "
    "https-only.",
    requires=(CLOUDFRONT_DISTRIBUTIONS,),
)


def evaluate(inventory: AwsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    endpoints = inventory.cloudfront_endpoints
    return plaintext_results(endpoints, CLOUDFRONT_DISTRIBUTION)


CHECK = Check(META, AwsInventory, evaluate)
