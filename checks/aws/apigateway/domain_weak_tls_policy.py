"""API Gateway custom domain allows protocols below TLS 1.2"""

from __future__ import annotations

from collections.abc import Iterator

from checks.aws.resources import APIGATEWAY_DOMAIN
from checks.tls.verdicts import weak_protocol_results
from scanner.check import Check, CheckContext, CheckMeta, CheckResult
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws.network import APIGATEWAY_DOMAINS
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="aws.apigateway.domain_weak_tls_policy",
    title="API Gateway custom domain allows protocols below TLS 1.2",
    severity=Severity.HIGH,
    category=Category.ENCRYPTION,
    soc2=("CC6.7",),
    remediation="Set the custom domain's security policy to TLS_1_2 (or a newer "
    "SecurityPolicy_TLS13 policy).",
    requires=(APIGATEWAY_DOMAINS,),
)


def evaluate(inventory: AwsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    endpoints = inventory.apigateway_endpoints
    return weak_protocol_results(
        endpoints, ctx.config.aws.thresholds.min_tls_version, APIGATEWAY_DOMAIN
    )


CHECK = Check(META, AwsInventory, evaluate)
