"""The certificate an endpoint serves expires within the warning window (ACM's, by default)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from checks.tls.resources import (
    certificate_evidence,
    endpoint_resource,
    expiry_warning_days,
    with_certificate,
)
from checks.tls.verdicts import place
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.tls import ENDPOINTS, TlsInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="tls.certificate.expiring_soon",
    title="Served certificate expires soon",
    severity=Severity.HIGH,
    category=Category.ENCRYPTION,
    soc2=("CC6.7",),
    remediation="Renew the certificate now, then automate renewal so it never gets this close.",
    requires=(ENDPOINTS,),
    description="The window is tls.cert_expiry_warning_days, by default the ACM check's "
    "aws.thresholds.cert_expiry_warning_days (30). An expired certificate is "
    "tls.certificate.expired's.",
)


def evaluate(inventory: TlsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    window = expiry_warning_days(ctx.config)
    for endpoint in with_certificate(inventory):
        not_after = endpoint.certificate_expires
        if not_after is None or not_after <= ctx.now:
            continue
        days_left = (not_after - ctx.now) // timedelta(days=1)
        yield pass_or_fail(
            endpoint_resource(endpoint),
            not_after - ctx.now > timedelta(days=window),
            f"{endpoint.name} serves a certificate valid for {days_left} more days.",
            f"{endpoint.name} serves a certificate that expires in {days_left} day(s) "
            f"({not_after.date()}); renew it now.",
            evidence={
                **certificate_evidence(endpoint),
                "days_left": days_left,
                "warning_days": window,
            },
            region=place(endpoint),
        )


CHECK = Check(META, TlsInventory, evaluate)
