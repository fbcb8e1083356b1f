"""Which TLS versions an AWS security policy name allows, where AWS does not say it directly.

ELBv2 and classic ELB report protocols through their APIs; CloudFront and API Gateway only
name a policy, whose minimum version is encoded in the name.
"""

from __future__ import annotations

import re

from scanner.inventory.common import TLS_PROTOCOLS

TLS_VERSIONS = TLS_PROTOCOLS[TLS_PROTOCOLS.index("SSLv3") :]

_CLOUDFRONT = re.compile(r"^(SSLv3|TLSv1(?:\.([0-3]))?)(?:_\d{4})?$")
_APIGATEWAY = re.compile(r"(?:^|_)1_([0-3])(?:_|$)")


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
    """E.g. TLS_1_0, TLS_1_2, SecurityPolicy_TLS13_1_3_2025_09 (the minimum is the 1_x part)."""
    match = _APIGATEWAY.search(policy or "")
    if match is None:
        return ()
    minor = match.group(1)
    return versions_from("TLSv1" if minor == "0" else f"TLSv1.{minor}")


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
