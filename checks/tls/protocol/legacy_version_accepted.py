"""An endpoint accepts SSL 2/3, TLS 1.0 or TLS 1.1 when probed."""

from __future__ import annotations

from collections.abc import Iterator

from checks.tls.verdicts import PROBED_ENDPOINT, weak_protocol_results
from scanner.check import Check, CheckContext, CheckMeta, CheckResult
from scanner.inventory.tls import ENDPOINTS, TlsInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="tls.protocol.legacy_version_accepted",
    title="Endpoint accepts protocols below TLS 1.2",
    severity=Severity.HIGH,
    category=Category.ENCRYPTION,
    soc2=("CC6.7",),
    remediation="Turn off SSL 2.0/3.0, TLS 1.0 and 1.1 on the server or load balancer (its TLS "
    "policy); allow TLS 1.2 and 1.3 only.",
    requires=(ENDPOINTS,),
)


def evaluate(inventory: TlsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    return weak_protocol_results(
        inventory.endpoints, ctx.config.tls.min_tls_version, PROBED_ENDPOINT
    )


CHECK = Check(META, TlsInventory, evaluate)
