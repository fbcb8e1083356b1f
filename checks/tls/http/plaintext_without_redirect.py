"""A probed host serves plain HTTP without redirecting to HTTPS (opt-in:
tls.check_http_redirect)."""

from __future__ import annotations

from collections.abc import Iterable

from checks.tls.verdicts import PROBED_ENDPOINT, plaintext_results
from scanner.check import Check, CheckContext, CheckMeta, CheckResult
from scanner.config import PostureConfig
from scanner.inventory.tls import ENDPOINTS, TlsInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="tls.http.plaintext_without_redirect",
    title="Host serves plain HTTP without redirecting to HTTPS",
    severity=Severity.MEDIUM,
    category=Category.ENCRYPTION,
    soc2=("CC6.7",),
    remediation="Answer plain HTTP only with a redirect to https:// (or close the port).",
    requires=(ENDPOINTS,),
    description="Opt-in (tls.check_http_redirect): probes tls.http_port (80) of each host.",
)


def evaluate(inventory: TlsInventory, ctx: CheckContext) -> Iterable[CheckResult]:
    return plaintext_results(inventory.endpoints, PROBED_ENDPOINT)


def enabled(config: PostureConfig) -> bool:
    return config.tls.check_http_redirect


CHECK = Check(META, TlsInventory, evaluate, enabled)
