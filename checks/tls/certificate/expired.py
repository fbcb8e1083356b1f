"""The certificate an endpoint serves has expired (or is not valid yet)."""

from __future__ import annotations

from collections.abc import Iterator

from checks.tls.resources import certificate_evidence, endpoint_resource, with_certificate
from checks.tls.verdicts import place
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, fail, passed
from scanner.inventory.tls import ENDPOINTS, TlsInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="tls.certificate.expired",
    title="Served certificate expired or not yet valid",
    severity=Severity.CRITICAL,
    category=Category.ENCRYPTION,
    soc2=("CC6.7",),
    remediation="Install a renewed certificate (and automate renewal, e.g. ACME or ACM).",
    requires=(ENDPOINTS,),
)


def evaluate(inventory: TlsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    for endpoint in with_certificate(inventory):
        target = endpoint_resource(endpoint)
        evidence = certificate_evidence(endpoint)
        not_after, not_before = endpoint.certificate_expires, endpoint.certificate_not_before
        if not_after is not None and not_after <= ctx.now:
            yield fail(
                target,
                f"{endpoint.name} serves a certificate that expired on {not_after.date()}; "
                "clients refuse it. Install a renewed one.",
                evidence=evidence,
                region=place(endpoint),
            )
        elif not_before is not None and not_before > ctx.now:
            yield fail(
                target,
                f"{endpoint.name} serves a certificate not valid before {not_before.date()}; "
                "clients refuse it until then.",
                evidence=evidence,
                region=place(endpoint),
            )
        else:
            yield passed(
                target,
                f"{endpoint.name} serves a certificate within its validity period.",
                evidence=evidence,
                region=place(endpoint),
            )


CHECK = Check(META, TlsInventory, evaluate)
