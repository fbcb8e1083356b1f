"""Every API Gateway SecurityPolicy value in the installed botocore models parses.

The enum is read from botocore's own service models (apigateway 2015-07-09 for REST
domains, apigatewayv2 2018-11-29 for HTTP/WebSocket domains), so a value AWS adds shows up
here as soon as botocore is upgraded.
"""

from __future__ import annotations

import botocore.session
import pytest

from providers.aws.collectors.tls_policies import TLS_VERSIONS, apigateway_protocols


def _enum(service: str) -> list[str]:
    model = botocore.session.get_session().get_service_model(service)
    values: list[str] = model.shape_for("SecurityPolicy").enum
    return values


ALL_POLICIES = sorted({*_enum("apigateway"), *_enum("apigatewayv2")})


def test_the_enum_holds_the_edge_policies() -> None:
    assert {
        "SecurityPolicy_TLS13_2025_EDGE",
        "SecurityPolicy_TLS12_PFS_2025_EDGE",
        "SecurityPolicy_TLS12_2018_EDGE",
        "TLS_1_0",
        "TLS_1_2",
    } <= set(ALL_POLICIES)


@pytest.mark.parametrize("policy", ALL_POLICIES)
def test_every_enum_value_maps_to_a_minimum_tls_version(policy: str) -> None:
    protocols = apigateway_protocols(policy)
    assert protocols, f"{policy} has no known TLS versions"
    minimum = protocols[0]
    # Versions run from the minimum up to TLS 1.3, with nothing skipped.
    assert protocols == TLS_VERSIONS[TLS_VERSIONS.index(minimum) :]
    expected = "TLSv1" if policy == "TLS_1_0" else ("TLSv1.3" if "_1_3_" in policy else "TLSv1.2")
    assert minimum == expected


@pytest.mark.parametrize(
    ("policy", "minimum"),
    [
        ("TLS_1_0", "TLSv1"),
        ("TLS_1_2", "TLSv1.2"),
        ("SecurityPolicy_TLS13_1_3_2025_09", "TLSv1.3"),
        ("SecurityPolicy_TLS13_1_3_FIPS_2025_09", "TLSv1.3"),
        ("SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09", "TLSv1.2"),
        ("SecurityPolicy_TLS13_1_2_2021_06", "TLSv1.2"),
        ("SecurityPolicy_TLS13_2025_EDGE", "TLSv1.2"),
        ("SecurityPolicy_TLS12_PFS_2025_EDGE", "TLSv1.2"),
        ("SecurityPolicy_TLS12_2018_EDGE", "TLSv1.2"),
    ],
)
def test_named_minimums(policy: str, minimum: str) -> None:
    assert apigateway_protocols(policy)[0] == minimum


@pytest.mark.parametrize("policy", [None, "", "SecurityPolicy_Not_A_Real_Value", "TLS_1_2_X"])
def test_unknown_policies_are_unknown_not_strong(policy: str | None) -> None:
    assert apigateway_protocols(policy) == ()
