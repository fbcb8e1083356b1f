"""Classic load balancer TLS policy allows protocols below TLS 1.2"""

from __future__ import annotations

from collections.abc import Iterator

from checks.aws.resources import ELB_LISTENER
from checks.tls.verdicts import weak_protocol_results
from scanner.check import Check, CheckContext, CheckMeta, CheckResult
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws.network import ELB_LISTENERS
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="aws.elb.weak_tls_policy",
    title="Classic load balancer TLS policy allows protocols below TLS 1.2",
    severity=Severity.HIGH,
    category=Category.ENCRYPTION,
    soc2=("CC6.7",),
    remediation="Attach an SSL negotiation policy that references "
    "ELBSecurityPolicy-TLS-1-2-2017-01 to the listener.",
    requires=(ELB_LISTENERS,),
)


def evaluate(inventory: AwsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    endpoints = inventory.elb_endpoints
    return weak_protocol_results(endpoints, ctx.config.aws.thresholds.min_tls_version, ELB_LISTENER)


CHECK = Check(META, AwsInventory, evaluate)
