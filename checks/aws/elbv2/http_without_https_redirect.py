"""Load balancer HTTP listener without redirect to HTTPS"""

from __future__ import annotations

from collections.abc import Iterator

from checks.aws.resources import ELBV2_LISTENER
from checks.tls.verdicts import plaintext_results
from scanner.check import Check, CheckContext, CheckMeta, CheckResult
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws.network import ELBV2_LISTENERS
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="aws.elbv2.http_without_https_redirect",
    title="Load balancer HTTP listener without redirect to HTTPS",
    severity=Severity.HIGH,
    category=Category.ENCRYPTION,
    soc2=("CC6.7",),
    remediation="Change the HTTP listener's default action to a redirect to HTTPS (HTTP 301), or "
    "remove it.",
    requires=(ELBV2_LISTENERS,),
)


def evaluate(inventory: AwsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    endpoints = inventory.elbv2_endpoints
    return plaintext_results(endpoints, ELBV2_LISTENER)


CHECK = Check(META, AwsInventory, evaluate)
