"""HTTPS/SSL load balancer proxies with no SSL policy, TLS below 1.2, or the COMPATIBLE profile."""

from __future__ import annotations

from collections.abc import Iterator

from checks.gcp.resources import target_proxy
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, error, fail, passed
from scanner.inventory.gcp import TLS_PROXIES, GcpInventory, compute_path
from scanner.models.enums import Category, Severity

WEAK_VERSIONS = frozenset({"TLS_1_0", "TLS_1_1"})

META = CheckMeta(
    id="gcp.compute.proxy_weak_tls",
    title="Load balancer proxy allows TLS below 1.2 or weak ciphers",
    severity=Severity.HIGH,
    category=Category.ENCRYPTION,
    soc2=("CC6.7",),
    remediation=(
        "Attach an SSL policy with minTlsVersion TLS_1_2 and the MODERN or RESTRICTED profile "
        "to the target proxy."
    ),
    requires=(TLS_PROXIES,),
    description="A proxy without an SSL policy uses Google's default: COMPATIBLE, TLS 1.0.",
)


def evaluate(inventory: GcpInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    policies = {p.path: p for p in inventory.ssl_policies}
    for proxy in inventory.target_proxies:
        resource = target_proxy(proxy)
        region = proxy.region or "global"
        if proxy.ssl_policy is None:
            yield fail(
                resource,
                f"Proxy {proxy.name} has no SSL policy, so it accepts TLS 1.0 with the "
                "COMPATIBLE profile; attach a TLS 1.2+ policy.",
                evidence={
                    "ssl_policy": None,
                    "profile": "COMPATIBLE",
                    "min_tls_version": "TLS_1_0",
                },
                region=region,
            )
            continue
        policy = policies.get(compute_path(proxy.ssl_policy))
        if policy is None:
            yield error(
                resource,
                f"Not evaluated: SSL policy {proxy.ssl_policy} of proxy {proxy.name} was not "
                "found in the project's policies.",
                evidence={"ssl_policy": proxy.ssl_policy},
                region=region,
            )
            continue
        evidence = {
            "ssl_policy": policy.name,
            "profile": policy.profile,
            "min_tls_version": policy.min_tls_version,
        }
        problems = []
        if policy.min_tls_version in WEAK_VERSIONS:
            problems.append(f"allows {policy.min_tls_version}")
        if policy.profile == "COMPATIBLE":
            problems.append("uses the COMPATIBLE profile")
        if problems:
            yield fail(
                resource,
                f"Proxy {proxy.name}'s SSL policy {policy.name} {' and '.join(problems)}; "
                "require TLS 1.2 with the MODERN or RESTRICTED profile.",
                evidence=evidence,
                region=region,
            )
        else:
            yield passed(
                resource,
                f"Proxy {proxy.name} requires {policy.min_tls_version} ({policy.profile}).",
                evidence=evidence,
                region=region,
            )


CHECK = Check(META, GcpInventory, evaluate)
