"""The chain an endpoint serves does not lead to a trusted root: self-signed, an unknown CA,
or an intermediate missing."""

from __future__ import annotations

from collections.abc import Iterator

from checks.tls.resources import certificate_evidence, endpoint_resource
from checks.tls.verdicts import place
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.tls import ENDPOINTS, TlsInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="tls.certificate.chain_untrusted",
    title="Served certificate chain is not trusted",
    severity=Severity.HIGH,
    category=Category.ENCRYPTION,
    soc2=("CC6.7",),
    remediation="Serve a certificate from a publicly trusted CA (or your private CA, given "
    "with --tls-ca-file for internal endpoints) and send its intermediates with it.",
    requires=(ENDPOINTS,),
    description="Trust stores: sslyze's (Mozilla, Apple, Google, Microsoft, Java) and "
    "--tls-ca-file. Expiry, the host name and SHA-1 have checks of their own.",
)


def evaluate(inventory: TlsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    for endpoint in inventory.endpoints:
        served = endpoint.certificate_subject is not None
        why = endpoint.chain_error if served else "it served no certificate"
        yield pass_or_fail(
            endpoint_resource(endpoint),
            served and bool(endpoint.chain_trusted),
            f"{endpoint.name} serves a chain that leads to a trusted root.",
            f"{endpoint.name} serves a chain clients cannot trust: {why}.",
            evidence={**certificate_evidence(endpoint), "chain_error": why},
            region=place(endpoint),
        )


CHECK = Check(META, TlsInventory, evaluate)
