from __future__ import annotations

from datetime import timedelta

from checks.aws.acm import certificate_expiring
from checks.aws.apigateway import domain_weak_tls_policy
from checks.aws.cloudfront import default_certificate_tls, viewer_allows_http
from checks.aws.cloudfront import weak_tls_policy as cloudfront_tls
from checks.aws.elb import http_without_https_redirect as elb_http
from checks.aws.elb import weak_tls_policy as elb_tls
from checks.aws.elbv2 import http_without_https_redirect as elbv2_http
from checks.aws.elbv2 import weak_tls_policy as elbv2_tls
from providers.aws.collectors.tls_policies import apigateway_protocols, cloudfront_protocols
from scanner.inventory.aws import network as net
from scanner.inventory.common import TlsEndpoint
from scanner.models.enums import Status
from tests.aws.regional_builders import NOW, context, inventory, verdicts

TLS12 = ("TLSv1.2", "TLSv1.3")
LEGACY = ("TLSv1", "TLSv1.1", "TLSv1.2")


def listener(
    name: str,
    protocol: str,
    *,
    policy: str | None = None,
    protocols: tuple[str, ...] = (),
    plaintext: bool = False,
    kind: str = "elbv2-listener",
) -> TlsEndpoint:
    return TlsEndpoint(
        uid=f"arn:listener/{name}",
        name=name,
        kind=kind,
        region="us-east-1",
        listener_protocol=protocol,
        policy=policy,
        protocols=protocols,
        allows_plaintext=plaintext,
    )


ELBV2 = (
    listener("http-forward", "HTTP", plaintext=True),
    listener("http-redirect", "HTTP"),
    listener(
        "https-modern", "HTTPS", policy="ELBSecurityPolicy-TLS13-1-2-2021-06", protocols=TLS12
    ),
    listener("https-legacy", "HTTPS", policy="ELBSecurityPolicy-2016-08", protocols=LEGACY),
    listener("tls-legacy", "TLS", policy="ELBSecurityPolicy-2016-08", protocols=LEGACY),
    listener("tcp", "TCP"),
    listener("https-unknown", "HTTPS", policy="Custom-Unknown"),
)


def test_elbv2_plaintext_exact_sets() -> None:
    result = verdicts(elbv2_http.CHECK, inventory(elbv2_endpoints=ELBV2))
    assert result["fail"] == {"http-forward"}
    assert result["pass"] == {"http-redirect", "https-modern", "https-legacy", "https-unknown"}


def test_elbv2_weak_tls_exact_sets() -> None:
    result = verdicts(elbv2_tls.CHECK, inventory(elbv2_endpoints=ELBV2))
    assert result["fail"] == {"https-legacy", "tls-legacy"}
    assert result["pass"] == {"https-modern"}
    assert result["error"] == {"https-unknown"}


def test_tls_floor_is_configurable() -> None:
    result = verdicts(elbv2_tls.CHECK, inventory(elbv2_endpoints=ELBV2), min_tls_version="TLSv1.3")
    assert result["fail"] == {"https-legacy", "tls-legacy", "https-modern"}


def test_weak_tls_evidence_lists_the_weak_versions() -> None:
    (result,) = [
        r
        for r in elbv2_tls.CHECK.evaluate(inventory(elbv2_endpoints=ELBV2), context())
        if r.resource.name == "tls-legacy"
    ]
    assert result.evidence["weak_protocols"] == ["TLSv1", "TLSv1.1"]
    assert result.region == "us-east-1"


def test_classic_elb() -> None:
    endpoints = (
        listener("http", "HTTP", plaintext=True, kind="elb-listener"),
        listener(
            "https-default",
            "HTTPS",
            policy="ELBSecurityPolicy-2016-08 (default)",
            protocols=LEGACY,
            kind="elb-listener",
        ),
        listener(
            "ssl-modern",
            "SSL",
            policy="ELBSecurityPolicy-TLS-1-2-2017-01",
            protocols=("TLSv1.2",),
            kind="elb-listener",
        ),
    )
    inv = inventory(elb_endpoints=endpoints)
    plain = verdicts(elb_http.CHECK, inv)
    assert plain["fail"] == {"http"}
    assert plain["pass"] == {"https-default"}
    tls = verdicts(elb_tls.CHECK, inv)
    assert tls["fail"] == {"https-default"}
    assert tls["pass"] == {"ssl-modern"}


def distribution(name: str, policy: str, plaintext: bool = False) -> TlsEndpoint:
    return TlsEndpoint(
        uid=f"arn:aws:cloudfront::111122223333:distribution/{name}",
        name=name,
        kind="cloudfront",
        listener_protocol="HTTPS",
        policy=policy,
        protocols=cloudfront_protocols(policy),
        allows_plaintext=plaintext,
    )


CDN = (
    distribution("old-tls1", "TLSv1", plaintext=True),
    distribution("tls1-2016", "TLSv1_2016"),
    distribution("tls12-2019", "TLSv1.2_2019"),
    distribution("tls12-2021", "TLSv1.2_2021"),
    distribution("tls13-2025", "TLSv1.3_2025"),
    distribution("sslv3", "SSLv3", plaintext=True),
)


def test_cloudfront_viewer_http() -> None:
    result = verdicts(viewer_allows_http.CHECK, inventory(cloudfront_endpoints=CDN))
    assert result["fail"] == {"old-tls1", "sslv3"}
    assert result["pass"] == {"tls1-2016", "tls12-2019", "tls12-2021", "tls13-2025"}


def test_cloudfront_minimum_policy() -> None:
    result = verdicts(cloudfront_tls.CHECK, inventory(cloudfront_endpoints=CDN))
    assert result["fail"] == {"old-tls1", "tls1-2016", "tls12-2019", "sslv3"}
    assert result["pass"] == {"tls12-2021", "tls13-2025"}


def test_the_default_certificate_is_judged_by_what_cloudfront_enforces() -> None:
    # ViewerCertificate {"CloudFrontDefaultCertificate": true, "MinimumProtocolVersion":
    # "SSLv3"} as ListDistributions returns it: CloudFront enforces TLSv1 whatever the field
    # says (botocore cloudfront 2020-05-31 model, ViewerCertificate.MinimumProtocolVersion).
    on_default = TlsEndpoint(
        uid="arn:aws:cloudfront::111122223333:distribution/E3",
        name="d3.cloudfront.net",
        kind="cloudfront",
        host="d3.cloudfront.net",
        listener_protocol="HTTPS",
        policy="SSLv3",
        protocols=cloudfront_protocols("TLSv1"),
        provider_default_certificate=True,
    )
    endpoints = (*CDN, on_default)
    weak = verdicts(cloudfront_tls.CHECK, inventory(cloudfront_endpoints=endpoints))
    assert "d3.cloudfront.net" not in weak["fail"] | weak["pass"]  # no claim of SSLv3
    fixed = verdicts(default_certificate_tls.CHECK, inventory(cloudfront_endpoints=endpoints))
    assert fixed["fail"] == {"d3.cloudfront.net"} and not fixed["pass"]
    (result,) = default_certificate_tls.CHECK.evaluate(
        inventory(cloudfront_endpoints=endpoints), context()
    )
    assert "custom domain" in result.message and "SSLv3" in result.message
    assert result.evidence["policy_in_force"] == "TLSv1"
    assert result.evidence["protocols"] == ["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"]
    assert default_certificate_tls.META.severity.rank < cloudfront_tls.META.severity.rank


def test_cloudfront_minimum_policy_configurable() -> None:
    result = verdicts(
        cloudfront_tls.CHECK,
        inventory(cloudfront_endpoints=CDN),
        cloudfront_min_tls_policy="TLSv1.2_2019",
    )
    assert result["pass"] == {"tls12-2019", "tls12-2021", "tls13-2025"}


def domain(name: str, policy: str | None) -> TlsEndpoint:
    return TlsEndpoint(
        uid=f"arn:aws:apigateway:us-east-1::/domainnames/{name}",
        name=name,
        kind="apigateway-domain",
        region="us-east-1",
        listener_protocol="HTTPS",
        policy=policy,
        protocols=apigateway_protocols(policy),
    )


def test_apigateway_domains() -> None:
    domains = (
        domain("old", "TLS_1_0"),
        domain("modern", "TLS_1_2"),
        domain("enhanced", "SecurityPolicy_TLS13_1_3_2025_09"),
        domain("enhanced-12", "SecurityPolicy_TLS13_1_2_PQ_2025_09"),
        domain("unreported", None),
    )
    result = verdicts(domain_weak_tls_policy.CHECK, inventory(apigateway_endpoints=domains))
    assert result["fail"] == {"old"}
    assert result["pass"] == {"modern", "enhanced", "enhanced-12"}
    assert result["error"] == {"unreported"}


def cert(name: str, days: float | None, status: str = "ISSUED") -> net.AcmCertificate:
    return net.AcmCertificate(
        arn=f"arn:aws:acm:us-east-1:111122223333:certificate/{name}",
        domain=name,
        region="us-east-1",
        status=status,
        not_after=None if days is None else NOW + timedelta(days=days),
    )


def test_acm_expiry_exact_sets() -> None:
    certs = (
        cert("expired", -1, status="EXPIRED"),
        cert("tomorrow", 1),
        cert("edge-30", 30),
        cert("month-plus", 31),
        cert("year", 365),
        cert("pending", None, status="PENDING_VALIDATION"),
    )
    result = verdicts(certificate_expiring.CHECK, inventory(acm_certificates=certs))
    assert result["fail"] == {"expired", "tomorrow", "edge-30"}
    assert result["pass"] == {"month-plus", "year"}
    wider = verdicts(
        certificate_expiring.CHECK, inventory(acm_certificates=certs), cert_expiry_warning_days=60
    )
    assert wider["fail"] == {"expired", "tomorrow", "edge-30", "month-plus"}


def test_acm_results_carry_region_and_expiry() -> None:
    (result,) = list(
        certificate_expiring.CHECK.evaluate(inventory(acm_certificates=(cert("x", 5),)), context())
    )
    assert result.status is Status.FAIL
    assert result.region == "us-east-1"
    assert result.evidence["days_left"] == 5


def test_classic_policy_protocols_from_attributes_or_reference() -> None:
    from providers.aws.collectors.tls_policies import classic_elb_protocols

    assert classic_elb_protocols({"Protocol-TLSv1.2": "true", "Protocol-TLSv1": "false"}) == (
        "TLSv1.2",
    )
    assert classic_elb_protocols(
        {"Reference-Security-Policy": "ELBSecurityPolicy-TLS-1-2-2017-01"}
    ) == ("TLSv1.2",)
    assert classic_elb_protocols({"Reference-Security-Policy": "ELBSecurityPolicy-2016-08"}) == (
        "TLSv1",
        "TLSv1.1",
        "TLSv1.2",
    )
    assert classic_elb_protocols({"Reference-Security-Policy": "MyOwnPolicy"}) == ()


def test_tls_endpoints_join_certificate_expiry_from_acm() -> None:
    arn = "arn:aws:acm:us-east-1:111122223333:certificate/c1"
    endpoint = listener("https", "HTTPS", policy="p", protocols=TLS12).model_copy(
        update={"certificate_ids": (arn, "arn:aws:iam::111122223333:server-certificate/x")}
    )
    inv = inventory(
        elbv2_endpoints=(endpoint, listener("http", "HTTP", plaintext=True)),
        acm_certificates=(cert("c1", 12).model_copy(update={"arn": arn}),),
    )
    joined = {e.name: e.certificate_expires for e in inv.tls_endpoints}
    assert joined == {"https": NOW + timedelta(days=12), "http": None}
