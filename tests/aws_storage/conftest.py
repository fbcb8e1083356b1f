from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from moto import mock_aws

from providers.aws.session import AwsClients
from scanner.check import CheckContext
from scanner.config import PostureConfig
from scanner.config.aws import AwsConfig

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "AWS_PROFILE",
        "AWS_ENDPOINT_URL",
        "AWS_CONFIG_FILE",
        "AWS_SHARED_CREDENTIALS_FILE",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    # moto's public AMIs bring ~1300 public snapshots per region: slow, and not ours.
    monkeypatch.setenv("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")


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


@pytest.fixture
def ctx() -> CheckContext:
    return CheckContext(now=NOW, config=PostureConfig())


def ctx_with(**aws: object) -> CheckContext:
    config = PostureConfig()
    return CheckContext(
        now=NOW, config=config.model_copy(update={"aws": config.aws.model_copy(update=aws)})
    )
