"""Paging, throttling and refusals, through the real SDK against moto."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import boto3

from providers.aws.collectors import logs, securityhub
from providers.aws.demo.regions import HOME
from providers.aws.runner import run_collections
from providers.aws.session import AwsClients
from scanner.models.enums import Outcome
from tests.aws.faults import MOTO_ACCOUNT, Faults, small_pages


def test_log_groups_every_page_through_a_throttle(clients: AwsClients) -> None:
    client = boto3.client("logs", region_name=HOME)
    for i in range(7):
        client.create_log_group(logGroupName=f"/paged/{i}")
    logs_client = clients.client("logs", HOME)
    small_pages(logs_client, "DescribeLogGroups", "limit", 2)
    faults = Faults(logs_client, "DescribeLogGroups", {2: (400, "ThrottlingException")})
    groups = logs.fetch_log_groups(clients, HOME, MOTO_ACCOUNT)
    assert sorted(g.name for g in groups) == [f"/paged/{i}" for i in range(7)]
    assert faults.calls == 5  # four pages, one of them retried


def test_denied_page_fails_the_whole_collection(clients: AwsClients) -> None:
    client = boto3.client("logs", region_name=HOME)
    for i in range(5):
        client.create_log_group(logGroupName=f"/paged/{i}")
    logs_client = clients.client("logs", HOME)
    small_pages(logs_client, "DescribeLogGroups", "limit", 2)
    Faults(logs_client, "DescribeLogGroups", {2: (400, "AccessDeniedException")})
    with ThreadPoolExecutor(2) as pool:
        collected = run_collections(logs.COLLECTIONS[:1], (HOME,), clients, MOTO_ACCOUNT, pool)
    (outcome,) = collected.outcomes
    assert outcome.outcome is Outcome.ACCESS_DENIED
    assert outcome.missing == "logs:DescribeLogGroups"
    assert collected.values == {}


def test_securityhub_denied_is_not_read_as_off(clients: AwsClients) -> None:
    Faults(clients.client("securityhub", HOME), "DescribeHub", {1: (403, "AccessDeniedException")})
    with ThreadPoolExecutor(1) as pool:
        collected = run_collections(securityhub.COLLECTIONS, (HOME,), clients, MOTO_ACCOUNT, pool)
    assert collected.outcomes[0].outcome is Outcome.ACCESS_DENIED


def test_trail_collections_name_the_refused_action(clients: AwsClients) -> None:
    from providers.aws.collectors import cloudtrail

    Faults(
        clients.client("cloudtrail", HOME),
        "DescribeTrails",
        {1: (400, "AccessDeniedException"), 2: (400, "AccessDeniedException")},
    )
    with ThreadPoolExecutor(1) as pool:
        collected = run_collections(cloudtrail.COLLECTIONS, (HOME,), clients, MOTO_ACCOUNT, pool)
    assert sorted((o.collection, o.outcome, o.missing) for o in collected.outcomes) == [
        ("aws.cloudtrail.trail_buckets", Outcome.ACCESS_DENIED, "cloudtrail:DescribeTrails"),
        ("aws.cloudtrail.trails", Outcome.ACCESS_DENIED, "cloudtrail:DescribeTrails"),
    ]
