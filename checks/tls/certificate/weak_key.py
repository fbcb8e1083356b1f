"""The certificate an endpoint serves has a weak key (RSA under 2048 bits, EC under 256)."""

from __future__ import annotations

from collections.abc import Iterator

from checks.tls.resources import certificate_evidence, endpoint_resource, with_certificate
from checks.tls.verdicts import place
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.tls import ENDPOINTS, TlsInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="tls.certificate.weak_key",
    title="Served certificate has a weak key",
    severity=Severity.HIGH,
    category=Category.ENCRYPTION,
    soc2=("CC6.7",),
    remediation="Reissue the certificate with an RSA key of 2048 bits or more, or an EC key on "
    "P-256 or larger.",
    requires=(ENDPOINTS,),
)


def evaluate(inventory: TlsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    settings = ctx.config.tls
    minimum = {
        "RSA": settings.min_rsa_bits,
        "DSA": settings.min_rsa_bits,
        "EC": settings.min_ec_bits,
    }
    for endpoint in with_certificate(inventory):
        kind, bits = endpoint.key_type or "unknown", endpoint.key_bits or 0
        needed = minimum.get(kind, 0)
        strong = endpoint.key_type is not None and bits >= needed
        yield pass_or_fail(
            endpoint_resource(endpoint),
            strong,
            f"{endpoint.name} serves a certificate with a {kind} {bits}-bit key.",
            f"{endpoint.name} serves a certificate with a {kind} {bits}-bit key, below the "
            f"{needed} bits required; reissue it with a stronger key.",
            evidence={
                **certificate_evidence(endpoint),
                "key_type": endpoint.key_type,
                "key_bits": endpoint.key_bits,
                "minimum_bits": needed,
            },
            region=place(endpoint),
        )


CHECK = Check(META, TlsInventory, evaluate)
