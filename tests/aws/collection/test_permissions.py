"""`posture permissions` is derived from declared calls; a scan on moto keeps them honest."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from moto import mock_aws

from checks.registry import all_checks, select_checks
from providers.aws.actions import iam_action
from providers.aws.adapter import AwsProvider
from providers.aws.demo import DEMO_REGIONS, seed_all
from providers.aws.permissions import render, required_actions
from providers.aws.session import CallCounter
from scanner.config import PostureConfig
from scanner.config.aws import AwsConfig
from scanner.providers import CollectRequest
from scanner.scan import required_collections

pytestmark = pytest.mark.usefixtures("aws_env")


@mock_aws(config={"iam": {"load_aws_managed_policies": True}})
def test_every_call_a_scan_makes_is_in_the_declared_policy() -> None:
    seed_all()
    collections = required_collections(select_checks(all_checks(), ["aws"]))
    config = PostureConfig(aws=AwsConfig(regions=DEMO_REGIONS))
    counter = CallCounter()
    request = CollectRequest(config=config, collections=collections, now=datetime.now(UTC))
    AwsProvider(config, counter=counter).collect(request)
    called = {iam_action(*name.split(".", 1)) for name in counter.calls}
    declared = set(required_actions(collections))
    assert called, "the scan made no calls"
    assert called <= declared, f"called but not declared: {sorted(called - declared)}"


def test_policy_is_read_only_json() -> None:
    policy = json.loads(render(frozenset({"aws.iam.credential_report"})))
    actions = policy["Statement"][0]["Action"]
    assert "iam:GenerateCredentialReport" in actions and "sts:GetCallerIdentity" in actions
    read_verbs = ("Get", "List", "Describe", "Generate", "Lookup")
    assert all(a.split(":")[1].startswith(read_verbs) for a in actions)
