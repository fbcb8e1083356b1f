"""An HTTPS endpoint sends no Strict-Transport-Security header, or one with a short max-age
(opt-in: tls.check_hsts)."""

from __future__ import annotations

from collections.abc import Iterator

from checks.tls.resources import endpoint_resource
from checks.tls.verdicts import place
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.config import PostureConfig
from scanner.inventory.tls import ENDPOINTS, TlsInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="tls.http.hsts_missing",
    title="HTTPS endpoint without HSTS",
    severity=Severity.MEDIUM,
    category=Category.ENCRYPTION,
    soc2=("CC6.7",),
    remediation="Send Strict-Transport-Security: max-age=31536000; includeSubDomains on every "
    "HTTPS response.",
    requires=(ENDPOINTS,),
    description="Opt-in (tls.check_hsts): only endpoints that answered HTTP over TLS are judged.",
)


def evaluate(inventory: TlsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    minimum = ctx.config.tls.hsts_min_max_age_seconds
    for endpoint in inventory.endpoints:
        if not endpoint.http_checked:
            continue
        age = endpoint.hsts_max_age
        problem = (
            "sends no Strict-Transport-Security header"
            if age is None
            else (f"sends HSTS with max-age {age} s, below {minimum} s")
        )
        yield pass_or_fail(
            endpoint_resource(endpoint),
            age is not None and age >= minimum,
            f"{endpoint.name} sends HSTS (max-age {age} s).",
            f"{endpoint.name} {problem}; browsers may be downgraded to plain HTTP.",
            evidence={"hsts_max_age": age, "minimum_max_age": minimum},
            region=place(endpoint),
        )


def enabled(config: PostureConfig) -> bool:
    return config.tls.check_hsts


CHECK = Check(META, TlsInventory, evaluate, enabled)
