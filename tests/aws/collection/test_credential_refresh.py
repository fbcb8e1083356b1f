"""A member account's assumed-role session is renewed before it expires (a job can outlast the
role's hour): the next call after the renewal window signs with the new credentials."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from moto import mock_aws

from providers.aws.session import AwsClients
from scanner.config.aws import AwsConfig

pytestmark = pytest.mark.usefixtures("aws_env")


def _assume(lifetime: timedelta) -> dict[str, Any]:
    creds: dict[str, Any] = boto3.client("sts").assume_role(
        RoleArn="arn:aws:iam::210987654321:role/PostureAudit", RoleSessionName="refresh-test"
    )["Credentials"]
    return {**creds, "Expiration": datetime.now(UTC) + lifetime}


@mock_aws
def test_credentials_near_expiry_are_refreshed_before_the_call() -> None:
    renewed: list[str] = []

    def refresh() -> dict[str, Any]:
        creds = _assume(timedelta(hours=1))
        renewed.append(creds["AccessKeyId"])
        return creds

    first = _assume(timedelta(minutes=5))  # inside botocore's mandatory refresh window
    clients = AwsClients(AwsConfig(), credentials=first, region="us-east-1", refresh=refresh)
    identity = clients.client("sts").get_caller_identity()
    assert identity["Account"] == "210987654321"
    assert len(renewed) == 1
    frozen = clients._session.get_credentials().get_frozen_credentials()
    assert frozen.access_key == renewed[0] != first["AccessKeyId"]
    clients.client("sts").get_caller_identity()
    assert len(renewed) == 1  # fresh for an hour now: no second renewal


@mock_aws
def test_fresh_credentials_are_used_as_they_are() -> None:
    calls: list[int] = []
    first = _assume(timedelta(hours=1))
    clients = AwsClients(
        AwsConfig(),
        credentials=first,
        region="us-east-1",
        refresh=lambda: calls.append(1) or first,  # type: ignore[func-returns-value]
    )
    clients.client("iam").list_users()
    assert calls == []
