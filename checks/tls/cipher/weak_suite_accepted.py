"""An endpoint accepts NULL, anonymous, EXPORT, RC4, RC2, DES/3DES or IDEA suites, or CBC
suites with TLS 1.0 or older."""

from __future__ import annotations

from collections.abc import Iterator

from checks.tls.resources import endpoint_resource
from checks.tls.verdicts import place, weak_suites
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.tls import ENDPOINTS, TlsInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="tls.cipher.weak_suite_accepted",
    title="Endpoint accepts weak cipher suites",
    severity=Severity.HIGH,
    category=Category.ENCRYPTION,
    soc2=("CC6.7",),
    remediation="Offer only AEAD suites with forward secrecy (ECDHE with AES-GCM or "
    "ChaCha20-Poly1305; TLS 1.3 suites); remove NULL, anonymous, EXPORT, RC4, DES/3DES suites "
    "and CBC suites on TLS 1.0.",
    requires=(ENDPOINTS,),
)


def evaluate(inventory: TlsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    for endpoint in inventory.endpoints:
        weak = weak_suites(endpoint)
        shown = [f"{s.name} ({s.protocol}: {reason})" for s, reason in weak]
        yield pass_or_fail(
            endpoint_resource(endpoint),
            not weak,
            f"{endpoint.name} accepts no weak cipher suite "
            f"({len(endpoint.accepted_suites)} accepted).",
            f"{endpoint.name} accepts {len(weak)} weak cipher suite(s): {', '.join(shown[:5])}"
            f"{' …' if len(shown) > 5 else ''}; remove them from the server's cipher list.",
            evidence={
                "weak_suites": [
                    {"protocol": s.protocol, "name": s.name, "why": reason} for s, reason in weak
                ],
                "accepted_suites": len(endpoint.accepted_suites),
            },
            region=place(endpoint),
        )


CHECK = Check(META, TlsInventory, evaluate)
