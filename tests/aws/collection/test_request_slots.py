"""posture's request slots on a real botocore client: one slot per attempt, given back once,
and never held through botocore's retry sleep."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import botocore.endpoint
import pytest
from botocore.awsrequest import AWSResponse
from botocore.exceptions import EndpointConnectionError

from providers.aws.session import AwsClients
from scanner.config.aws import AwsConfig
from scanner.endpoints import ALLOW_INSECURE_ENV

pytestmark = pytest.mark.usefixtures("aws_env")


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """botocore's backoff sleeps, recorded instead of slept."""
    slept: list[float] = []
    monkeypatch.setattr(botocore.endpoint, "time", SimpleNamespace(sleep=slept.append))
    return slept


def _nothing_listening(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
    monkeypatch.setenv(ALLOW_INSECURE_ENV, "1")


def test_every_attempt_gives_its_slot_back_before_the_retry_sleep(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _nothing_listening(monkeypatch)
    clients = AwsClients(AwsConfig(max_attempts=4))  # 3 retries
    client = clients.client("sts")
    assert clients.slots is not None
    limit = clients.slots.limit("sts", "us-east-1")
    held_at_sleep: list[int] = []
    monkeypatch.setattr(
        botocore.endpoint,
        "time",
        SimpleNamespace(sleep=lambda seconds: held_at_sleep.append(limit.in_flight)),
    )
    held_at_send: list[int] = []
    client.meta.events.register("before-send", lambda **_: held_at_send.append(limit.in_flight))
    with pytest.raises(EndpointConnectionError):
        client.get_caller_identity()
    assert held_at_send == [1, 1, 1, 1]
    assert held_at_sleep == [0, 0, 0]
    assert limit.in_flight == 0
    assert limit.limit == limit.ceiling  # a connection error is not throttling


class _Raw:
    def stream(self, **_: Any) -> Iterator[bytes]:
        yield b"<GetCallerIdentityResponse/>"


def test_an_exception_escaping_the_attempt_still_gives_the_slot_back(
    sleeps: list[float],
) -> None:
    clients = AwsClients(AwsConfig(max_attempts=4))
    client = clients.client("sts")
    assert clients.slots is not None
    limit = clients.slots.limit("sts", "us-east-1")
    response = AWSResponse("https://sts.amazonaws.com/", 200, {}, _Raw())
    client.meta.events.register("before-send", lambda **_: response)

    def broken_parser(**_: Any) -> None:
        raise RuntimeError("parser broke")

    client.meta.events.register("before-parse", broken_parser)
    for _ in range(3):
        with pytest.raises(RuntimeError):
            client.get_caller_identity()
        assert limit.in_flight == 0


def test_adaptive_mode_leaves_limiting_to_botocore() -> None:
    clients = AwsClients(AwsConfig(retry_mode="adaptive"))
    assert clients.slots is None


def test_clients_of_one_service_and_region_share_a_limit() -> None:
    clients = AwsClients(AwsConfig(max_workers=16))
    assert clients.slots is not None
    clients.client("s3", "us-east-1")
    clients.client("s3", "eu-west-1")
    clients.client("sts", "us-east-1")
    slots = clients.slots
    assert slots.limit("s3", "us-east-1") is slots.limit("s3", "us-east-1")
    assert slots.limit("s3", "us-east-1") is not slots.limit("s3", "eu-west-1")
    assert slots.limit("s3", "us-east-1").ceiling == 16
    assert slots.limit("sts", "us-east-1").ceiling == 8
