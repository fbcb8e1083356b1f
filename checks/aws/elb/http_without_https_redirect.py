"""Classic load balancer serves plain HTTP"""

from __future__ import annotations

from collections.abc import Iterator

from checks.aws.resources import ELB_LISTENER
from checks.tls.verdicts import plaintext_results
from scanner.check import Check, CheckContext, CheckMeta, CheckResult
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws.network import ELB_LISTENERS
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="aws.elb.http_without_https_redirect",
    title="Classic load balancer serves plain HTTP",
    severity=Severity.HIGH,
    category=Category.ENCRYPTION,
    soc2=("CC6.7",),
    remediation="Replace the HTTP listener with an HTTPS one (classic load balancers cannot "
    "redirect), or move to an Application Load Balancer that redirects HTTP to HTTPS.",
    requires=(ELB_LISTENERS,),
)


def evaluate(inventory: AwsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    endpoints = inventory.elb_endpoints
    return plaintext_results(endpoints, ELB_LISTENER)


CHECK = Check(META, AwsInventory, evaluate)
