"""Offline AWS: moto in-process, the real boto3 clients, faults injected at the HTTP layer."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse
from moto import mock_aws

from providers.aws.runner import AwsAccount
from providers.aws.session import AwsClients
from scanner.config.aws import AwsConfig

MOTO_ACCOUNT = AwsAccount(id="123456789012", partition="aws")


def offline_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "AWS_PROFILE",
        "AWS_ENDPOINT_URL",
        "AWS_CONFIG_FILE",
        "AWS_SHARED_CREDENTIALS_FILE",
    ):
        monkeypatch.delenv(name, raising=False)
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.setenv(name, "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    offline_env(monkeypatch)
    with mock_aws():
        yield


@pytest.fixture(scope="module")
def seeded_world() -> Iterator[None]:
    """One moto account seeded with the demo's problems, shared by a module's tests."""
    from providers.aws.demo_monitoring import seed_monitoring

    with pytest.MonkeyPatch.context() as monkeypatch:
        offline_env(monkeypatch)
        with mock_aws():
            seed_monitoring(MOTO_ACCOUNT.id)
            yield


@pytest.fixture
def seeded(seeded_world: None) -> AwsClients:
    """Fresh clients (no fault handlers left over) on the shared seeded account."""
    return AwsClients(AwsConfig(max_attempts=5))


@pytest.fixture
def clients(aws: None) -> AwsClients:
    return AwsClients(AwsConfig(max_attempts=5))


class _Body:
    def __init__(self, body: bytes) -> None:
        self.body = body

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self.body


def _error(protocol: str, status: int, code: str) -> tuple[dict[str, str], bytes]:
    message = f"injected {code}"
    if protocol == "json":
        return {"Content-Type": "application/x-amz-json-1.1"}, json.dumps(
            {"__type": code, "message": message}
        ).encode()
    if protocol == "rest-json":
        return {"x-amzn-ErrorType": code, "Content-Type": "application/json"}, json.dumps(
            {"message": message}
        ).encode()
    if protocol == "ec2":
        return {}, (
            f"<Response><Errors><Error><Code>{code}</Code><Message>{message}</Message></Error>"
            "</Errors><RequestID>r</RequestID></Response>"
        ).encode()
    return {}, (
        f"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}"
        "</Message></Error><RequestId>r</RequestId></ErrorResponse>"
    ).encode()


class Faults:
    """Answers chosen calls of one operation with an error, like the service would.

    `plan` maps the call number (1-based) to (HTTP status, error code). Registered through
    botocore's public event system, so retries and error parsing run as they do for real.
    """

    def __init__(self, client: Any, operation: str, plan: dict[int, tuple[int, str]]) -> None:
        self.calls = 0
        self.plan = plan
        self.protocol = client.meta.service_model.protocol
        service = client.meta.service_model.service_id.hyphenize()
        client.meta.events.register(f"before-send.{service}.{operation}", self._send)

    def _send(self, request: Any, **_: Any) -> AWSResponse | None:
        self.calls += 1
        if self.calls not in self.plan:
            return None
        status, code = self.plan[self.calls]
        headers, body = _error(self.protocol, status, code)
        return AWSResponse(request.url, status, headers, _Body(body))


def small_pages(client: Any, operation: str, param: str, size: int) -> None:
    """Makes every call of `operation` ask for `size` items, so results span several pages."""
    service = client.meta.service_model.service_id.hyphenize()

    def shrink(params: dict[str, Any], **_: Any) -> None:
        params[param] = size

    client.meta.events.register(f"provide-client-params.{service}.{operation}", shrink)
