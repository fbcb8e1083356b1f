"""The served certificate, or an intermediate sent with it, is signed with SHA-1 or MD5."""

from __future__ import annotations

from collections.abc import Iterator

from checks.tls.resources import certificate_evidence, endpoint_resource, with_certificate
from checks.tls.verdicts import place
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.tls import ENDPOINTS, TlsInventory
from scanner.models.enums import Category, Severity

WEAK_HASHES = frozenset({"md5", "sha1", "unknown"})

META = CheckMeta(
    id="tls.certificate.weak_signature",
    title="Served certificate chain is signed with SHA-1",
    severity=Severity.HIGH,
    category=Category.ENCRYPTION,
    soc2=("CC6.7",),
    remediation="Reissue the certificate (and any intermediate signed with SHA-1 or MD5) with "
    "a SHA-256 or stronger signature.",
    requires=(ENDPOINTS,),
    description="Roots' self-signatures do not count: clients never check them.",
)


def evaluate(inventory: TlsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    for endpoint in with_certificate(inventory):
        algorithm = endpoint.signature_hash
        yield pass_or_fail(
            endpoint_resource(endpoint),
            algorithm not in WEAK_HASHES,
            f"{endpoint.name} serves a chain signed with {algorithm or 'a hashless scheme'}.",
            f"{endpoint.name} serves a chain signed with {algorithm}, which clients no longer "
            "accept; reissue it with SHA-256.",
            evidence={**certificate_evidence(endpoint), "signature_hash": algorithm},
            region=place(endpoint),
        )


CHECK = Check(META, TlsInventory, evaluate)
