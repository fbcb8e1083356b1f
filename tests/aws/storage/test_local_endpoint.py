"""Against a moto server on 127.0.0.1 through AWS_ENDPOINT_URL, as a local test account is."""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import pytest

from providers.aws.collectors import s3
from providers.aws.session import AwsClients
from scanner.config.aws import AwsConfig
from tests.aws.local_moto import local_moto

from .support import ACCOUNT

FULL_BLOCK = {
    "BlockPublicAcls": True,
    "IgnorePublicAcls": True,
    "BlockPublicPolicy": True,
    "RestrictPublicBuckets": True,
}


@pytest.fixture
def endpoint(aws_env: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with local_moto(monkeypatch) as url:
        yield url


def test_account_block_is_read_from_a_local_endpoint(endpoint: str) -> None:
    clients = AwsClients(AwsConfig(max_attempts=3))
    assert s3.fetch_account_settings(clients, "us-east-1", ACCOUNT).public_access_block is None
    control = boto3.client("s3control", region_name="us-east-1")
    control.meta.events.register(
        "before-sign.s3-control",
        lambda request, **_: setattr(
            request, "url", request.url.replace(f"//{ACCOUNT.id}.", "//", 1)
        ),
    )
    control.put_public_access_block(AccountId=ACCOUNT.id, PublicAccessBlockConfiguration=FULL_BLOCK)
    settings = s3.fetch_account_settings(clients, "us-east-1", ACCOUNT)
    assert settings.public_access_block is not None and settings.public_access_block.all_on
