"""Collectors over recorded two-page responses, where moto answers everything in one page.

The real boto3 client and paginator run; botocore's Stubber replays fixtures/aws responses
in order and fails the test if the collector stops early or calls something unexpected.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from fixtures import load
from providers.aws.collectors import (
    acm,
    apigateway,
    cloudfront,
    cloudwatch,
    elbv2,
    guardduty,
    logs,
    vpc,
)
from providers.aws.runner import AwsAccount

ACCOUNT = AwsAccount(id="111122223333", partition="aws")
REGION = "us-east-1"


class StubbedClients:
    """Stands in for AwsClients: one stubbed real client per service."""

    def __init__(self, scenarios: list[dict[str, Any]]) -> None:
        self.clients: dict[str, Any] = {}
        self.stubbers: list[Stubber] = []
        for scenario in scenarios:
            client = boto3.client(
                scenario["service"],
                region_name=REGION,
                aws_access_key_id="testing",
                aws_secret_access_key="testing",
            )
            stubber = Stubber(client)
            for operation, response in scenario["steps"]:
                stubber.add_response(operation, response)
            self.clients[scenario["service"]] = client
            self.stubbers.append(stubber)

    def client(self, service: str, region: str | None = None) -> Any:
        return self.clients[service]


@pytest.fixture
def replay() -> Iterator[Any]:
    opened: list[Stubber] = []

    def start(*scenarios: str) -> StubbedClients:
        recorded = load("aws/monitoring_pages.json")
        clients = StubbedClients([recorded[name] for name in scenarios])
        for stubber in clients.stubbers:
            stubber.activate()
        opened.extend(clients.stubbers)
        return clients

    yield start
    for stubber in opened:
        stubber.assert_no_pending_responses()  # every recorded page was read
        stubber.deactivate()


def test_metric_filters_two_pages(replay: Any) -> None:
    filters = logs.fetch_metric_filters(replay("logs.metric_filters"), REGION, ACCOUNT)
    assert [f.name for f in filters] == ["RootUsage", "Unauthorized"]
    assert filters[1].metrics == (("CIS", "Unauthorized"),)


def test_metric_alarms_two_pages_and_metric_math(replay: Any) -> None:
    alarms = cloudwatch.fetch_metric_alarms(replay("cloudwatch.metric_alarms"), REGION, ACCOUNT)
    assert [(a.name, a.metrics, a.actions_enabled) for a in alarms] == [
        ("root", (("CIS", "RootUsage"),), True),
        ("math", (("CIS", "Unauthorized"),), False),
    ]


def test_vpcs_and_flow_logs_two_pages(replay: Any) -> None:
    vpcs = {v.id: v for v in vpc.fetch_vpcs(replay("ec2.vpcs"), REGION, ACCOUNT)}
    assert set(vpcs) == {"vpc-0a", "vpc-0b", "vpc-0c", "vpc-0d"}
    assert vpcs["vpc-0d"].owner_id == "444455556666"  # shared with this account
    assert vpcs["vpc-0d"].arn == "arn:aws:ec2:us-east-1:444455556666:vpc/vpc-0d"
    assert vpcs["vpc-0a"].flow_logs[0].traffic_type == "REJECT"
    assert vpcs["vpc-0b"].flow_logs[0].deliver_status == "FAILED"
    assert vpcs["vpc-0b"].name == "prod"
    assert vpcs["vpc-0c"].flow_logs == ()
    assert vpcs["vpc-0a"].arn == "arn:aws:ec2:us-east-1:111122223333:vpc/vpc-0a"


def test_security_groups_two_pages(replay: Any) -> None:
    groups = vpc.fetch_security_groups(replay("ec2.security_groups"), REGION, ACCOUNT)
    assert [g.id for g in groups] == ["sg-00000001", "sg-00000002"]
    second = groups[1].ingress[0]
    assert second.ipv6_ranges == ("::/0",)
    assert second.prefix_lists == ("pl-1",)
    assert second.security_groups == ("sg-00000001",)


def test_elbv2_two_pages_of_load_balancers_and_listeners(replay: Any) -> None:
    endpoints = {
        e.port: e for e in elbv2.fetch_listeners(replay("elbv2.listeners"), REGION, ACCOUNT)
    }
    assert set(endpoints) == {80, 443, 8443}
    assert endpoints[80].allows_plaintext is False
    assert endpoints[443].protocols == ("TLSv1.2", "TLSv1.3")
    assert endpoints[8443].protocols == ("TLSv1", "TLSv1.1", "TLSv1.2")
    assert endpoints[8443].host == "tcp-2.elb.us-east-1.amazonaws.com"


def test_acm_two_pages(replay: Any) -> None:
    certs = {
        c.domain: c for c in acm.fetch_certificates(replay("acm.certificates"), REGION, ACCOUNT)
    }
    assert certs["www.example.com"].not_after == datetime(2027, 3, 1, tzinfo=UTC)
    assert certs["www.example.com"].in_use_by
    assert certs["old.example.com"].status == "EXPIRED"


def test_apigateway_two_pages(replay: Any) -> None:
    clients = replay("apigateway.domain_names", "apigatewayv2.domain_names")
    domains = {d.name: d for d in apigateway.fetch_domain_names(clients, REGION, ACCOUNT)}
    assert set(domains) == {"api.example.com", "legacy.example.com", "ws.example.com"}
    assert domains["ws.example.com"].protocols[0] == "TLSv1"
    assert (
        domains["api.example.com"].uid
        == "arn:aws:apigateway:us-east-1::/domainnames/api.example.com"
    )
    assert domains["legacy.example.com"].protocols == ("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3")
    assert domains["legacy.example.com"].uid.endswith("/domainnames/legacy.example.com")


def test_cloudfront_two_pages(replay: Any) -> None:
    endpoints = {
        e.name: e
        for e in cloudfront.fetch_distributions(replay("cloudfront.distributions"), REGION, ACCOUNT)
    }
    assert endpoints["cdn.example.com"].allows_plaintext  # one cache behavior allows HTTP
    assert endpoints["cdn.example.com"].policy == "TLSv1.2_2021"
    assert endpoints["d2.cloudfront.net"].policy == "TLSv1"
    assert endpoints["d2.cloudfront.net"].provider_default_certificate
    assert not endpoints["cdn.example.com"].provider_default_certificate
    assert endpoints["d2.cloudfront.net"].region is None


def test_guardduty_two_pages(replay: Any) -> None:
    (state,) = guardduty.fetch_detectors(replay("guardduty.detectors"), REGION, ACCOUNT)
    assert [(d.id, d.status) for d in state.detectors] == [("d-1", "DISABLED"), ("d-2", "ENABLED")]
    assert state.enabled
