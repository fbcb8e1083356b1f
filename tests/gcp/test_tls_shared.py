"""AWS and GCP fill TlsEndpoint.protocols with the same names and get the same shared verdicts."""

from __future__ import annotations

import pytest

from checks.gcp.compute import proxy_weak_tls
from checks.tls.verdicts import below, weak_protocol_results
from providers.aws.collectors.tls_policies import (
    apigateway_protocols,
    classic_elb_protocols,
    cloudfront_protocols,
)
from providers.gcp.collectors.compute import _endpoint
from scanner.inventory.common import TLS_PROTOCOLS, TlsEndpoint
from scanner.inventory.gcp import GCP_TLS_VERSIONS, SslPolicy, TargetProxy, tls_protocols
from scanner.models.enums import Status
from tests.gcp.helpers import fails, passes, project

BASE = "https://compute.googleapis.com/compute/v1/projects/proj-a/global/"


def gcp_endpoint(name: str, min_tls: str | None, kind: str = "targetHttpsProxy") -> TlsEndpoint:
    """As the GCP collector builds it from a proxy and its SSL policy (None: Google's default)."""
    policy = (
        SslPolicy(
            name=f"pol-{name}", self_link=f"{BASE}sslPolicies/pol-{name}", min_tls_version=min_tls
        )
        if min_tls
        else None
    )
    proxy = TargetProxy(
        name=name,
        self_link=f"{BASE}{kind}/{name}",
        kind=kind,
        ssl_policy=policy.self_link if policy else None,
    )
    return _endpoint(proxy, policy)


def aws_endpoint(name: str, policy: str, protocols: tuple[str, ...]) -> TlsEndpoint:
    """As the AWS collectors build a CloudFront / API Gateway / HTTPS listener endpoint."""
    return TlsEndpoint(
        uid=f"arn:aws:x:::{name}",
        name=name,
        kind="cloudfront",
        policy=policy,
        protocols=protocols,
        listener_protocol="HTTPS",
    )


def verdicts(endpoints: list[TlsEndpoint]) -> dict[str, tuple[Status, tuple[str, ...]]]:
    results = weak_protocol_results(endpoints, "TLSv1.2", "test")
    return {
        r.resource.name: (r.status, tuple(r.evidence.get("weak_protocols") or ()))  # type: ignore[arg-type]
        for r in results
    }


def test_both_providers_name_versions_alike() -> None:
    gcp = {tls_protocols(v) for v in GCP_TLS_VERSIONS}
    aws = {
        cloudfront_protocols("TLSv1"),
        cloudfront_protocols("TLSv1.2_2021"),
        apigateway_protocols("TLS_1_0"),
        apigateway_protocols("TLS_1_2"),
        classic_elb_protocols({"Protocol-TLSv1.2": "true", "Protocol-TLSv1.1": "true"}),
        classic_elb_protocols({"Reference-Security-Policy": "ELBSecurityPolicy-2016-08"}),
    }
    for protocols in gcp | aws:
        assert protocols and set(protocols) <= set(TLS_PROTOCOLS), protocols
    # The same minimum gives the same names, whichever provider reported it.
    assert (
        tls_protocols("TLS_1_0") == apigateway_protocols("TLS_1_0") == cloudfront_protocols("TLSv1")
    )
    assert tls_protocols("TLS_1_2") == apigateway_protocols("TLS_1_2")
    assert tls_protocols("TLS_1_2") == cloudfront_protocols("TLSv1.2_2021")
    assert tls_protocols("TLS_9_9") == ()


def test_gcp_and_aws_endpoints_through_the_shared_helper() -> None:
    endpoints = [
        gcp_endpoint("gcp-old", "TLS_1_0"),
        gcp_endpoint("gcp-11", "TLS_1_1"),
        gcp_endpoint("gcp-good", "TLS_1_2"),
        gcp_endpoint("gcp-default", None),  # no SSL policy: Google's TLS 1.0 default
        gcp_endpoint("gcp-ssl-proxy", "TLS_1_2", kind="targetSslProxy"),
        aws_endpoint("aws-old", "TLS_1_0", apigateway_protocols("TLS_1_0")),
        aws_endpoint("aws-good", "TLSv1.2_2021", cloudfront_protocols("TLSv1.2_2021")),
    ]
    weak = ("TLSv1", "TLSv1.1")
    assert verdicts(endpoints) == {
        "gcp-old": (Status.FAIL, weak),
        "gcp-11": (Status.FAIL, ("TLSv1.1",)),
        "gcp-good": (Status.PASS, ()),
        "gcp-default": (Status.FAIL, weak),
        "gcp-ssl-proxy": (Status.PASS, ()),
        "aws-old": (Status.FAIL, weak),
        "aws-good": (Status.PASS, ()),
    }


def test_gcp_endpoint_with_unknown_versions_is_an_error_never_a_pass() -> None:
    [(status, _)] = verdicts([gcp_endpoint("odd", "TLS_9_9")]).values()
    assert status is Status.ERROR


@pytest.mark.parametrize("min_tls", sorted(GCP_TLS_VERSIONS))
def test_gcp_check_agrees_with_the_shared_helper(min_tls: str) -> None:
    """Same policy: the GCP check's version verdict is the shared one (MODERN profile)."""
    policy = SslPolicy(
        name="p", self_link=f"{BASE}sslPolicies/p", profile="MODERN", min_tls_version=min_tls
    )
    proxy = TargetProxy(
        name="web",
        self_link=f"{BASE}targetHttpsProxies/web",
        ssl_policy=policy.self_link,
        kind="targetHttpsProxy",
    )
    inventory = project(ssl_policies=(policy,), target_proxies=(proxy,))
    shared = verdicts([_endpoint(proxy, policy)])["web"][0]
    assert bool(below(tls_protocols(min_tls), "TLSv1.2")) is (shared is Status.FAIL)
    if shared is Status.FAIL:
        assert fails(proxy_weak_tls.CHECK, inventory) == {"web"}
    else:
        assert passes(proxy_weak_tls.CHECK, inventory) == {"web"}
