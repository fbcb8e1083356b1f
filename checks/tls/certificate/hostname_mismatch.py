"""The certificate an endpoint serves does not name the host clients ask for."""

from __future__ import annotations

from collections.abc import Iterator

from checks.tls.resources import certificate_evidence, endpoint_resource, with_certificate
from checks.tls.verdicts import place
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.tls import ENDPOINTS, TlsInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="tls.certificate.hostname_mismatch",
    title="Served certificate is not valid for the host name",
    severity=Severity.HIGH,
    category=Category.ENCRYPTION,
    soc2=("CC6.7",),
    remediation="Serve a certificate whose subjectAltName lists the host name (or a matching "
    "wildcard); with several names on one address, check the server's SNI configuration.",
    requires=(ENDPOINTS,),
    description="Matched as RFC 6125 says: subjectAltName DNS names (a wildcard stands for "
    "one left-most label) or IP addresses; the common name is not read.",
)


def evaluate(inventory: TlsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    for endpoint in with_certificate(inventory):
        yield pass_or_fail(
            endpoint_resource(endpoint),
            bool(endpoint.hostname_matches),
            f"{endpoint.name} serves a certificate valid for {endpoint.server_name}.",
            f"{endpoint.name} serves a certificate for {endpoint.certificate_subject}, not "
            f"valid for {endpoint.server_name}; clients refuse it.",
            evidence=certificate_evidence(endpoint),
            region=place(endpoint),
        )


CHECK = Check(META, TlsInventory, evaluate)
