"""HTTPS/SSL load balancer proxies with no SSL policy, TLS below 1.2, or the COMPATIBLE profile."""

from __future__ import annotations

from collections.abc import Iterator

from checks.gcp.resources import target_proxy
from checks.tls.verdicts import below
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, error, fail, pass_or_fail
from scanner.inventory.gcp import (
    DEFAULT_MIN_TLS_VERSION,
    DEFAULT_SSL_PROFILE,
    TLS_PROXIES,
    GcpInventory,
    compute_path,
    tls_protocols,
)
from scanner.models.enums import Category, Severity

# The SSL policies page: COMPATIBLE adds to MODERN the suites without forward secrecy
# (TLS_RSA_*, RSA key exchange) and 3DES (Sweet32); a CUSTOM policy enabling either is as weak.
WEAK_FEATURE_MARKS = ("TLS_RSA_", "_3DES_")

FLOOR = "TLSv1.2"
"""The oldest version a proxy may accept; versions are judged by checks.tls.verdicts."""

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


def weak_features(features: tuple[str, ...]) -> list[str]:
    return sorted(f for f in features if any(mark in f for mark in WEAK_FEATURE_MARKS))


def evaluate(inventory: GcpInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    policies = {p.path: p for p in inventory.ssl_policies}
    for proxy in inventory.target_proxies:
        resource = target_proxy(proxy)
        region = proxy.region or "global"
        if proxy.ssl_policy is None:
            protocols = tls_protocols(DEFAULT_MIN_TLS_VERSION)
            yield fail(
                resource,
                f"Proxy {proxy.name} has no SSL policy, so it accepts TLS 1.0 with the "
                "COMPATIBLE profile; attach a TLS 1.2+ policy.",
                evidence={
                    "ssl_policy": None,
                    "profile": DEFAULT_SSL_PROFILE,
                    "min_tls_version": DEFAULT_MIN_TLS_VERSION,
                    "protocols": list(protocols),
                    "weak_protocols": list(below(protocols, FLOOR)),
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
        protocols = tls_protocols(policy.min_tls_version)
        evidence = {
            "ssl_policy": policy.name,
            "profile": policy.profile,
            "min_tls_version": policy.min_tls_version,
            "protocols": list(protocols),
        }
        if not protocols:
            yield error(
                resource,
                f"Not evaluated: minTlsVersion {policy.min_tls_version!r} of SSL policy "
                f"{policy.name} is not a known TLS version.",
                evidence=evidence,
                region=region,
            )
            continue
        problems = []
        weak = below(protocols, FLOOR)
        if weak:
            evidence["weak_protocols"] = list(weak)
            problems.append(f"allows {', '.join(weak)}")
        if policy.profile == "COMPATIBLE":
            problems.append("uses the COMPATIBLE profile")
        if policy.profile == "CUSTOM":
            if policy.enabled_features is None:
                yield error(
                    resource,
                    f"Not evaluated: SSL policy {policy.name} of proxy {proxy.name} is CUSTOM "
                    "and its enabled features were not returned.",
                    evidence=evidence,
                    region=region,
                )
                continue
            weak_suites = weak_features(policy.enabled_features)
            evidence["weak_features"] = weak_suites
            if weak_suites:
                problems.append(f"enables weak cipher suites ({', '.join(weak_suites)})")
        yield pass_or_fail(
            resource,
            not problems,
            f"Proxy {proxy.name} requires {policy.min_tls_version} ({policy.profile}).",
            f"Proxy {proxy.name}'s SSL policy {policy.name} {' and '.join(problems)}; "
            "require TLS 1.2 with the MODERN or RESTRICTED profile.",
            evidence=evidence,
            region=region,
        )


CHECK = Check(META, GcpInventory, evaluate)
