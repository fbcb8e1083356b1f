"""Which TLS versions an AWS security policy name allows, where AWS does not say it directly.

ELBv2 and classic ELB report protocols through their APIs; CloudFront and API Gateway only
name a policy, whose minimum version is encoded in the name.
"""

from __future__ import annotations

import re

from scanner.inventory.common import TLS_PROTOCOLS

TLS_VERSIONS = TLS_PROTOCOLS[TLS_PROTOCOLS.index("SSLv3") :]

_CLOUDFRONT = re.compile(r"^(SSLv3|TLSv1(?:\.([0-3]))?)(?:_\d{4})?$")
_APIGATEWAY_LEGACY = re.compile(r"^TLS_1_([0-3])$")
_APIGATEWAY_ENHANCED = re.compile(r"^SecurityPolicy_TLS1([23])_(?:1_([23])_)?")


def versions_from(minimum: str) -> tuple[str, ...]:
    """Every version from `minimum` up (TLSv1.3 included)."""
    return TLS_VERSIONS[TLS_VERSIONS.index(minimum) :]


def cloudfront_protocols(policy: str | None) -> tuple[str, ...]:
    """E.g. TLSv1.2_2021 -> (TLSv1.2, TLSv1.3); TLSv1 and TLSv1_2016 -> from TLSv1 up."""
    match = _CLOUDFRONT.match(policy or "")
    if match is None:
        return ()
    if match.group(1) == "SSLv3":
        return versions_from("SSLv3")
    minor = match.group(2)
    return versions_from("TLSv1" if minor in (None, "0") else f"TLSv1.{minor}")


def apigateway_protocols(policy: str | None) -> tuple[str, ...]:
    """The versions an API Gateway security policy (botocore's SecurityPolicy enum) allows.

    Legacy TLS_1_0 / TLS_1_2 name their minimum. Enhanced policies name a family and then,
    for regional and private endpoints, the minimum: SecurityPolicy_TLS13_1_3_2025_09 allows
    TLS 1.3 only, SecurityPolicy_TLS13_1_2_* TLS 1.2 and 1.3 (API Gateway's "Supported security
    policies" table). The edge-optimized ones (SecurityPolicy_TLS13_2025_EDGE,
    SecurityPolicy_TLS12_PFS_2025_EDGE, SecurityPolicy_TLS12_2018_EDGE) name no minimum; every
    enhanced policy allows TLS 1.2 or later, so they count from TLS 1.2, a claim that can only
    err towards a fail. Any other name is unknown: () makes the check say error.
    """
    name = policy or ""
    legacy = _APIGATEWAY_LEGACY.match(name)
    if legacy is not None:
        minor = legacy.group(1)
        return versions_from("TLSv1" if minor == "0" else f"TLSv1.{minor}")
    enhanced = _APIGATEWAY_ENHANCED.match(name)
    if enhanced is None:
        return ()
    return versions_from(f"TLSv1.{enhanced.group(2) or '2'}")


_ELB_REFERENCE = re.compile(r"TLS-1-([0-3])-")


def classic_elb_protocols(attributes: dict[str, str]) -> tuple[str, ...]:
    """Protocol-TLSv1.2=true style attributes of an SSLNegotiationPolicyType policy.

    AWS expands a Reference-Security-Policy into these attributes; where only the reference
    is reported, the predefined policy's name gives its minimum (ELBSecurityPolicy-TLS-1-2-…
    allows TLS 1.2; the dated ELBSecurityPolicy-2016-08 and older allow TLS 1.0).
    """
    listed = tuple(v for v in TLS_VERSIONS if attributes.get(f"Protocol-{v}", "").lower() == "true")
    reference = attributes.get("Reference-Security-Policy", "")
    if listed or not reference.startswith("ELBSecurityPolicy-"):
        return listed
    match = _ELB_REFERENCE.search(reference)
    minimum = f"TLSv1.{match.group(1)}" if match and match.group(1) != "0" else "TLSv1"
    return tuple(v for v in versions_from(minimum) if v != "TLSv1.3")
