"""Faults injected at the HTTP layer of the real boto3 clients, and the moto account they use."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from botocore.awsrequest import AWSResponse

from providers.aws.runner import AwsAccount

MOTO_ACCOUNT = AwsAccount(id="123456789012", partition="aws")


class _Body:
    def __init__(self, body: bytes) -> None:
        self.body = body

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self.body


def _error(
    protocol: str, status: int, code: str, message: str | None = None
) -> tuple[dict[str, str], bytes]:
    message = message or f"injected {code}"
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

    `plan` maps the call number (1-based) to (HTTP status, error code) or (HTTP status, error
    code, message) when the message is what matters. Registered through
    botocore's public event system, so retries and error parsing run as they do for real.
    """

    def __init__(
        self,
        client: Any,
        operation: str,
        plan: dict[int, tuple[int, str]] | dict[int, tuple[int, str, str]],
    ) -> None:
        self.calls = 0
        self.plan = plan
        self.protocol = client.meta.service_model.protocol
        service = client.meta.service_model.service_id.hyphenize()
        client.meta.events.register(f"before-send.{service}.{operation}", self._send)

    def _send(self, request: Any, **_: Any) -> AWSResponse | None:
        self.calls += 1
        if self.calls not in self.plan:
            return None
        status, code, *message = self.plan[self.calls]
        headers, body = _error(self.protocol, status, code, *message)
        return AWSResponse(request.url, status, headers, _Body(body))


def small_pages(client: Any, operation: str, param: str, size: int) -> None:
    """Makes every call of `operation` ask for `size` items, so results span several pages."""
    service = client.meta.service_model.service_id.hyphenize()

    def shrink(params: dict[str, Any], **_: Any) -> None:
        params[param] = size

    client.meta.events.register(f"provide-client-params.{service}.{operation}", shrink)
