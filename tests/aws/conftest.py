"""Offline AWS for the AWS tests: placeholder credentials, moto in-process, real boto3 clients."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from moto import mock_aws

from providers.aws.session import AwsClients
from scanner.config.aws import AwsConfig


def offline_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Placeholder credentials for moto; removes anything that could reach a real account."""
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
    # moto's public AMIs bring ~1300 public snapshots per region: slow, and not ours.
    monkeypatch.setenv("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch) -> None:
    offline_env(monkeypatch)


@pytest.fixture
def moto(aws_env: None) -> Iterator[None]:
    with mock_aws(config={"lambda": {"use_docker": False}}):
        yield


@pytest.fixture
def clients(moto: None) -> AwsClients:
    return AwsClients(AwsConfig(max_attempts=5))


@pytest.fixture
def offline_clients(aws_env: None) -> AwsClients:
    """Clients for Stubber tests: no moto, no network (Stubber answers every call)."""
    return AwsClients(AwsConfig(max_attempts=2))
