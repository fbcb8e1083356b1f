"""Every collector against moto seeded with the demo's problems and clean twins."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import boto3
import pytest

from providers.aws.collectors import (
    acm,
    apigateway,
    cloudfront,
    cloudtrail,
    cloudwatch,
    config,
    elb,
    elbv2,
    guardduty,
    logs,
    securityhub,
    vpc,
)
from providers.aws.demo.network import self_signed_pem
from providers.aws.demo.regions import HOME, OTHER
from providers.aws.runner import run_collections
from providers.aws.session import AwsClients
from scanner.config.aws import AwsConfig
from scanner.endpoints import ALLOW_INSECURE_ENV
from scanner.inventory.aws import monitoring as mon
from scanner.inventory.aws import network as net
from tests.aws.faults import MOTO_ACCOUNT, Faults


def test_trails_seen_from_each_region(seeded: AwsClients) -> None:
    home = {t.name: t for t in cloudtrail.fetch_trails(seeded, HOME, MOTO_ACCOUNT)}
    other = {t.name: t for t in cloudtrail.fetch_trails(seeded, OTHER, MOTO_ACCOUNT)}
    assert set(home) == {"org-audit"}
    assert {"org-audit", "legacy-eu"} <= set(other)
    audit = other["org-audit"]
    assert (audit.region, audit.home_region) == (OTHER, HOME)
    assert audit.multi_region and audit.is_logging and audit.log_file_validation
    assert audit.management_read and audit.management_write
    assert audit.kms_key_id and audit.cloudwatch_log_group_arn
    legacy = other["legacy-eu"]
    assert not legacy.multi_region and not legacy.log_file_validation
    assert legacy.kms_key_id is None and legacy.cloudwatch_log_group_arn is None


def test_write_only_selectors_are_read(seeded: AwsClients) -> None:
    trails = boto3.client("cloudtrail", region_name=OTHER)
    trails.create_trail(Name="writes-only", S3BucketName="demo-legacy-trail")
    trails.put_event_selectors(
        TrailName="writes-only",
        EventSelectors=[{"ReadWriteType": "WriteOnly", "IncludeManagementEvents": True}],
    )
    found = next(
        t for t in cloudtrail.fetch_trails(seeded, OTHER, MOTO_ACCOUNT) if t.name == "writes-only"
    )
    assert (found.management_read, found.management_write, found.is_logging) == (False, True, False)


def test_trail_buckets(seeded: AwsClients) -> None:
    buckets = {b.name: b for b in cloudtrail.fetch_trail_buckets(seeded, OTHER, MOTO_ACCOUNT)}
    assert set(buckets) == {"demo-audit-logs", "demo-legacy-trail"}
    assert buckets["demo-legacy-trail"].public_via_acl
    assert (buckets["demo-legacy-trail"].region, buckets["demo-audit-logs"].region) == (OTHER, HOME)
    assert buckets["demo-legacy-trail"].acl_public_grants == ("AllUsers: READ",)
    private = buckets["demo-audit-logs"]
    assert not private.public_via_acl and not private.policy_public
    assert private.restrict_public_buckets and private.ignore_public_acls


def test_trail_bucket_policy_is_read_not_only_its_status(seeded: AwsClients) -> None:
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AnyOrg",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::demo-legacy-trail/*",
                "Condition": {"StringLike": {"aws:PrincipalOrgID": "o-*"}},
            }
        ],
    }
    boto3.client("s3", region_name=OTHER).put_bucket_policy(
        Bucket="demo-legacy-trail", Policy=json.dumps(policy)
    )
    buckets = {b.name: b for b in cloudtrail.fetch_trail_buckets(seeded, OTHER, MOTO_ACCOUNT)}
    legacy = buckets["demo-legacy-trail"]
    assert legacy.policy == policy
    # moto counts any Condition as a restriction; S3 does not count `o-*` as one.
    assert legacy.policy_public is False
    assert buckets["demo-audit-logs"].policy is None


def test_trail_bucket_denied_is_recorded_per_bucket(seeded: AwsClients) -> None:
    Faults(
        seeded.client("s3", OTHER),
        "GetBucketAcl",
        {1: (403, "AccessDenied"), 2: (403, "AccessDenied")},
    )
    buckets = cloudtrail.fetch_trail_buckets(seeded, OTHER, MOTO_ACCOUNT)
    assert {b.unreadable for b in buckets} == {"s3:GetBucketAcl"}


def test_trail_buckets_account_block_denied(seeded: AwsClients) -> None:
    Faults(seeded.client("s3control", OTHER), "GetPublicAccessBlock", {1: (403, "AccessDenied")})
    buckets = cloudtrail.fetch_trail_buckets(seeded, OTHER, MOTO_ACCOUNT)
    assert {b.account_block_unreadable for b in buckets} == {
        "AccessDenied on s3:GetAccountPublicAccessBlock"
    }
    assert {b.name for b in buckets if b.public_via_acl} == {"demo-legacy-trail"}


def test_trail_buckets_behind_a_custom_endpoint(
    seeded_world: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_S3_CONTROL", "http://127.0.0.1:9")
    monkeypatch.setenv(ALLOW_INSECURE_ENV, "1")
    clients = AwsClients(AwsConfig(max_attempts=5))
    buckets = {b.name: b for b in cloudtrail.fetch_trail_buckets(clients, OTHER, MOTO_ACCOUNT)}
    assert "custom endpoint 127.0.0.1" in (
        buckets["demo-legacy-trail"].account_block_unreadable or ""
    )
    assert buckets["demo-legacy-trail"].public_via_acl
    assert clients.counter.calls["s3control.GetPublicAccessBlock"] == 0


def test_log_groups_and_filters(seeded: AwsClients) -> None:
    groups = {g.name: g for g in logs.fetch_log_groups(seeded, HOME, MOTO_ACCOUNT)}
    assert groups["/demo/cloudtrail"].retention_days == 400
    assert groups["/demo/cloudtrail"].kms_key_id
    assert groups["/demo/app"].retention_days is None and groups["/demo/app"].kms_key_id is None
    assert not groups["/demo/app"].arn.endswith(":*")
    filters = {f.name: f for f in logs.fetch_metric_filters(seeded, HOME, MOTO_ACCOUNT)}
    assert filters["RootUsage"].log_group == "/demo/cloudtrail"
    assert filters["RootUsage"].metrics == (("CISBenchmark", "RootUsage"),)
    alarms = {a.name: a for a in cloudwatch.fetch_metric_alarms(seeded, HOME, MOTO_ACCOUNT)}
    assert alarms["root-usage"].alarm_actions and alarms["root-usage"].actions_enabled
    assert alarms["unauthorized-calls"].alarm_actions == ()
    assert alarms["root-usage"].metrics == (("CISBenchmark", "RootUsage"),)


def test_detection_services(seeded: AwsClients) -> None:
    (home,) = guardduty.fetch_detectors(seeded, HOME, MOTO_ACCOUNT)
    (other,) = guardduty.fetch_detectors(seeded, OTHER, MOTO_ACCOUNT)
    assert home.enabled and not other.enabled
    assert securityhub.fetch_hub(seeded, HOME, MOTO_ACCOUNT)[0].enabled
    assert not securityhub.fetch_hub(seeded, OTHER, MOTO_ACCOUNT)[0].enabled
    (recording,) = config.fetch_recorders(seeded, HOME, MOTO_ACCOUNT)
    (absent,) = config.fetch_recorders(seeded, OTHER, MOTO_ACCOUNT)
    assert recording.recording and recording.recorders[0].all_supported
    assert absent.recorders == () and not absent.recording


def test_vpcs_and_security_groups(seeded: AwsClients) -> None:
    vpcs = vpc.fetch_vpcs(seeded, HOME, MOTO_ACCOUNT)
    with_logs = [v for v in vpcs if v.flow_logs]
    assert len(with_logs) == 1 and with_logs[0].flow_logs[0].traffic_type == "ALL"
    assert all(v.arn.startswith(f"arn:aws:ec2:{HOME}:") for v in vpcs)
    groups = {g.name: g for g in vpc.fetch_security_groups(seeded, HOME, MOTO_ACCOUNT)}
    assert groups["demo-ssh-open"].ingress[0].ipv4_ranges == ("0.0.0.0/0",)
    assert groups["demo-postgres-v6"].ingress[0].ipv6_ranges == ("::/0",)
    assert groups["demo-ssh-open"].ingress[0].from_port == 22


def test_security_groups_retry_ec2_throttling(seeded: AwsClients) -> None:
    faults = Faults(
        seeded.client("ec2", HOME), "DescribeSecurityGroups", {1: (503, "RequestLimitExceeded")}
    )
    assert vpc.fetch_security_groups(seeded, HOME, MOTO_ACCOUNT)
    assert faults.calls == 2


def test_load_balancer_listeners(seeded: AwsClients) -> None:
    listeners = {e.port: e for e in elbv2.fetch_listeners(seeded, HOME, MOTO_ACCOUNT)}
    assert listeners[80].allows_plaintext is False  # redirects to HTTPS
    assert listeners[8080].allows_plaintext is True
    assert listeners[80].policy is None and listeners[80].protocols == ()
    assert set(listeners[443].protocols) == {"TLSv1.2", "TLSv1.3"}
    assert "TLSv1" in listeners[8443].protocols
    assert listeners[443].certificate_ids and listeners[443].region == HOME
    classic = {e.port: e for e in elb.fetch_listeners(seeded, HOME, MOTO_ACCOUNT)}
    assert classic[80].allows_plaintext
    assert classic[443].protocols == ("TLSv1.2",)
    assert classic[443].policy == "ELBSecurityPolicy-TLS-1-2-2017-01"


def test_classic_listener_without_policy_gets_the_documented_default(seeded: AwsClients) -> None:
    pem, key = self_signed_pem("bare.demo.example", datetime.now(UTC) + timedelta(days=90))
    cert = boto3.client("acm", region_name=OTHER).import_certificate(
        Certificate=pem, PrivateKey=key
    )
    boto3.client("elb", region_name=OTHER).create_load_balancer(
        LoadBalancerName="bare",
        Listeners=[
            {
                "Protocol": "SSL",
                "LoadBalancerPort": 443,
                "InstancePort": 80,
                "SSLCertificateId": cert["CertificateArn"],
            }
        ],
        AvailabilityZones=[f"{OTHER}a"],
    )
    (endpoint,) = elb.fetch_listeners(seeded, OTHER, MOTO_ACCOUNT)
    assert endpoint.policy == "ELBSecurityPolicy-2016-08 (default)"
    assert "TLSv1" in endpoint.protocols


def test_cloudfront_apigateway_acm(seeded: AwsClients) -> None:
    distributions = {
        e.policy: e for e in cloudfront.fetch_distributions(seeded, HOME, MOTO_ACCOUNT)
    }
    assert distributions["TLSv1"].allows_plaintext
    assert not distributions["TLSv1.2_2021"].allows_plaintext
    assert distributions["TLSv1.2_2021"].protocols == ("TLSv1.2", "TLSv1.3")
    domains = {e.name: e for e in apigateway.fetch_domain_names(seeded, HOME, MOTO_ACCOUNT)}
    assert domains["legacy-api.demo.example"].protocols[0] == "TLSv1"
    assert domains["api.demo.example"].protocols == ("TLSv1.2", "TLSv1.3")
    certs = {c.domain: c for c in acm.fetch_certificates(seeded, HOME, MOTO_ACCOUNT)}
    assert set(certs) == {"www.demo.example", "old.demo.example"}
    assert all(c.not_after is not None for c in certs.values())
    assert all(c.in_use is not None for c in certs.values())
    # moto, like current AWS, puts expiry in the listing: no call per certificate
    assert seeded.counter.calls["acm.DescribeCertificate"] == 0
    assert seeded.counter.calls["acm.ListCertificates"] == 1


def test_apigateway_http_api_domains_are_read_too(seeded: AwsClients) -> None:
    boto3.client("apigatewayv2", region_name=OTHER).create_domain_name(
        DomainName="ws.demo.example",
        DomainNameConfigurations=[
            {
                "CertificateArn": f"arn:aws:acm:{OTHER}:{MOTO_ACCOUNT.id}:certificate/ws",
                "EndpointType": "REGIONAL",
                "SecurityPolicy": "TLS_1_0",
            }
        ],
    )
    (domain,) = apigateway.fetch_domain_names(seeded, OTHER, MOTO_ACCOUNT)
    assert (domain.name, domain.policy, domain.region) == ("ws.demo.example", "TLS_1_0", OTHER)
    assert "TLSv1" in domain.protocols


def test_every_collection_ok_in_both_regions(seeded: AwsClients) -> None:
    from providers.aws.collections import COLLECTIONS

    declared = {
        v
        for module in (mon, net)
        for k, v in vars(module).items()
        if k.isupper() and isinstance(v, str)
    }
    logging_and_network = [c for c in COLLECTIONS if c.name in declared]
    with ThreadPoolExecutor(8) as pool:
        collected = run_collections(logging_and_network, (HOME, OTHER), seeded, MOTO_ACCOUNT, pool)
    assert [o.describe() for o in collected.outcomes if not o.ok] == []
    names = {o.collection for o in collected.outcomes}
    assert names == {
        mon.CLOUDTRAIL_TRAILS,
        mon.CLOUDTRAIL_BUCKETS,
        mon.LOG_GROUPS,
        mon.METRIC_FILTERS,
        mon.METRIC_ALARMS,
        mon.GUARDDUTY_DETECTORS,
        mon.SECURITYHUB_HUB,
        mon.CONFIG_RECORDERS,
        net.VPCS,
        net.SECURITY_GROUPS,
        net.ELBV2_LISTENERS,
        net.ELB_LISTENERS,
        net.CLOUDFRONT_DISTRIBUTIONS,
        net.APIGATEWAY_DOMAINS,
        net.ACM_CERTIFICATES,
    }
