"""Load balancer TLS policy allows protocols below TLS 1.2"""

from __future__ import annotations

from collections.abc import Iterator

from checks.aws.resources import ELBV2_LISTENER
from checks.tls.verdicts import weak_protocol_results
from scanner.check import Check, CheckContext, CheckMeta, CheckResult
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws.network import ELBV2_LISTENERS
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="aws.elbv2.weak_tls_policy",
    title="Load balancer TLS policy allows protocols below TLS 1.2",
    severity=Severity.HIGH,
    category=Category.ENCRYPTION,
    soc2=("CC6.7",),
    remediation="Switch the listener to a TLS 1.2+ security policy such as "
    "ELBSecurityPolicy-TLS13-1-2-2021-06.",
    requires=(ELBV2_LISTENERS,),
)


def evaluate(inventory: AwsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    endpoints = inventory.elbv2_endpoints
    return weak_protocol_results(
        endpoints, ctx.config.aws.thresholds.min_tls_version, ELBV2_LISTENER
    )


CHECK = Check(META, AwsInventory, evaluate)
