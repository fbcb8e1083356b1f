"""The whole path on the demo account: collect two regions, run the checks, read the document."""

from __future__ import annotations

from collections import defaultdict

import pytest

from checks.aws import CHECKS
from providers.aws.demo import demo_environment
from scanner.config import PostureConfig
from scanner.models.findings import FindingsDocument
from scanner.scan import ScanPlan, run_scan

NON_IAM_CHECKS = tuple(c for c in CHECKS if not c.id.startswith("aws.iam."))


@pytest.fixture(scope="module")
def document() -> FindingsDocument:
    with demo_environment(PostureConfig()) as config:
        return run_scan(ScanPlan(providers=("aws",), checks=NON_IAM_CHECKS, config=config))


def by_check(doc: FindingsDocument) -> dict[str, dict[str, set[str]]]:
    out: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for f in doc.findings:
        out[f.check_id][f.status.value].add(f.resource.name)
    return out


def test_scan_is_complete(document: FindingsDocument) -> None:
    assert not document.scan.errors
    assert not document.scan.partial
    assert {f.status.value for f in document.findings} <= {"pass", "fail"}


@pytest.mark.parametrize(
    ("check_id", "failing", "passing"),
    [
        ("aws.cloudtrail.no_multi_region_trail", set(), {"cloudtrail multi-region-trail"}),
        ("aws.cloudtrail.log_file_validation_disabled", {"legacy-eu"}, {"org-audit"}),
        ("aws.cloudtrail.trail_not_kms_encrypted", {"legacy-eu"}, {"org-audit"}),
        ("aws.cloudtrail.trail_without_cloudwatch_logs", {"legacy-eu"}, {"org-audit"}),
        ("aws.cloudtrail.trail_bucket_public", {"demo-legacy-trail"}, {"demo-audit-logs"}),
        (
            "aws.logs.log_group_retention_too_short",
            {"/demo/app", "/demo/short"},
            {"/demo/cloudtrail", "/demo/flow-logs"},
        ),
        (
            "aws.logs.log_group_not_kms_encrypted",
            {"/demo/app", "/demo/short"},
            {"/demo/cloudtrail", "/demo/flow-logs"},
        ),
        ("aws.cloudwatch.root_usage_alarm_missing", set(), {"cloudwatch root-usage-alarm"}),
        (
            "aws.cloudwatch.unauthorized_api_calls_alarm_missing",
            {"cloudwatch unauthorized-api-calls-alarm"},
            set(),
        ),
        (
            "aws.cloudwatch.console_login_without_mfa_alarm_missing",
            {"cloudwatch console-login-without-mfa-alarm"},
            set(),
        ),
        (
            "aws.guardduty.not_enabled",
            {"guardduty detector eu-west-1"},
            {"guardduty detector us-east-1"},
        ),
        (
            "aws.securityhub.not_enabled",
            {"securityhub hub eu-west-1"},
            {"securityhub hub us-east-1"},
        ),
        ("aws.config.not_recording", {"config recorder eu-west-1"}, {"config recorder us-east-1"}),
        (
            "aws.elbv2.http_without_https_redirect",
            {"demo-web:8080"},
            {"demo-web:80", "demo-web:443", "demo-web:8443"},
        ),
        ("aws.elbv2.weak_tls_policy", {"demo-web:8443"}, {"demo-web:443"}),
        ("aws.elb.http_without_https_redirect", {"demo-classic:80"}, {"demo-classic:443"}),
        ("aws.elb.weak_tls_policy", set(), {"demo-classic:443"}),
        (
            "aws.apigateway.domain_weak_tls_policy",
            {"legacy-api.demo.example"},
            {"api.demo.example"},
        ),
        (
            "aws.acm.certificate_expiring",
            {"old.demo.example", "soon.demo.example"},
            {"www.demo.example"},
        ),
    ],
)
def test_exact_verdicts(
    document: FindingsDocument, check_id: str, failing: set[str], passing: set[str]
) -> None:
    verdicts = by_check(document)[check_id]
    assert verdicts["fail"] == failing
    assert verdicts["pass"] == passing


def test_network_verdicts(document: FindingsDocument) -> None:
    findings = [f for f in document.findings if f.check_id.startswith("aws.vpc.")]
    open_groups = {
        f.resource.name
        for f in findings
        if f.check_id == "aws.vpc.security_group_open_to_internet" and f.status.value == "fail"
    }
    assert open_groups == {"demo-ssh-open", "demo-postgres-v6"}
    clean_vpc_default = [
        f
        for f in findings
        if f.check_id == "aws.vpc.default_security_group_allows_traffic"
        and f.status.value == "pass"
    ]
    assert len(clean_vpc_default) == 1 and clean_vpc_default[0].region == "us-east-1"
    flow = [f for f in findings if f.check_id == "aws.vpc.flow_logs_disabled"]
    assert sorted((f.region, f.status.value) for f in flow) == [
        ("eu-west-1", "fail"),
        ("us-east-1", "fail"),  # the default VPC
        ("us-east-1", "pass"),  # the demo VPC with flow logs
    ]


def test_cloudfront_verdicts(document: FindingsDocument) -> None:
    def verdicts(check_id: str, policy_field: str) -> list[tuple[str, str]]:
        return sorted(
            (f.status.value, str(f.evidence[policy_field]))
            for f in document.findings
            if f.check_id == check_id
        )

    assert verdicts("aws.cloudfront.viewer_allows_http", "policy") == [
        ("fail", "TLSv1"),
        ("pass", "TLSv1.2_2021"),
        ("pass", "TLSv1_2016"),
    ]
    # The default *.cloudfront.net certificate (demo-legacy-cdn) is judged by what CloudFront
    # enforces there (TLSv1), not by weak_tls_policy's claim about a policy it cannot set.
    assert verdicts("aws.cloudfront.weak_tls_policy", "minimum_protocol_version") == [
        ("fail", "TLSv1_2016"),
        ("pass", "TLSv1.2_2021"),
    ]
    assert verdicts(
        "aws.cloudfront.default_certificate_tls", "reported_minimum_protocol_version"
    ) == [("fail", "TLSv1")]


def test_regional_findings_carry_their_region_and_criteria(document: FindingsDocument) -> None:
    guardduty = {
        f.region: f for f in document.findings if f.check_id == "aws.guardduty.not_enabled"
    }
    assert set(guardduty) == {"us-east-1", "eu-west-1"}
    assert guardduty["eu-west-1"].soc2 == ("CC7.2", "CC7.3")
    assert guardduty["eu-west-1"].fingerprint != guardduty["us-east-1"].fingerprint
    retention = next(
        f for f in document.findings if f.check_id == "aws.logs.log_group_retention_too_short"
    )
    assert retention.soc2 == ("C1.2", "CC7.2")


def test_no_secret_in_the_document(document: FindingsDocument) -> None:
    text = document.model_dump_json()
    assert "-----BEGIN" not in text  # no certificate or key material
    assert "Demo-Passw0rd" not in text
