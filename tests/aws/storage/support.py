"""Test support: moto account, fault injection through botocore's public event hooks."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from botocore.awsrequest import AWSResponse

from providers.aws.runner import AwsAccount

ACCOUNT = AwsAccount(id="123456789012", partition="aws")


class _Raw:
    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._body


def _error_body(protocol: str, code: str) -> tuple[bytes, dict[str, str]]:
    message = f"injected {code}"
    if protocol in ("json", "rest-json"):
        body = json.dumps({"__type": code, "message": message}).encode()
        return body, {"x-amzn-ErrorType": code, "Content-Type": "application/x-amz-json-1.1"}
    if protocol == "ec2":
        body = (
            f"<Response><Errors><Error><Code>{code}</Code><Message>{message}</Message>"
            "</Error></Errors><RequestID>r</RequestID></Response>"
        ).encode()
        return body, {"Content-Type": "text/xml"}
    if protocol == "query":
        body = (
            f"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code>"
            f"<Message>{message}</Message></Error><RequestId>r</RequestId></ErrorResponse>"
        ).encode()
        return body, {"Content-Type": "text/xml"}
    body = (
        f'<?xml version="1.0" encoding="UTF-8"?><Error><Code>{code}</Code>'
        f"<Message>{message}</Message></Error>"
    ).encode()
    return body, {"Content-Type": "application/xml"}


@dataclass
class Fault:
    injected: int = 0
    attempts: int = 0


def inject(
    client: Any,
    operation: str,
    status: int,
    code: str,
    times: int = 1,
    when: Callable[[Any], bool] = lambda request: True,
) -> Fault:
    """Answers the next `times` matching sends of `operation` with an error response.

    Runs on `before-send`, below the retry handler, so the SDK's retry policy applies.
    """
    fault = Fault()
    service = client.meta.service_model.service_id.hyphenize()
    protocol = client.meta.service_model.protocol
    body, headers = _error_body(protocol, code)

    def handler(request: Any, **_: Any) -> AWSResponse | None:
        if not when(request):
            return None
        fault.attempts += 1
        if fault.injected >= times:
            return None
        fault.injected += 1
        return AWSResponse(request.url, status, headers, _Raw(body))

    client.meta.events.register(f"before-send.{service}.{operation}", handler)
    return fault


def page_size(client: Any, operation: str, parameter: str, size: int) -> None:
    """Forces a small page size on every call of `operation` (as if the API chose it)."""
    service = client.meta.service_model.service_id.hyphenize()

    def handler(params: dict[str, Any], **_: Any) -> None:
        params.setdefault(parameter, size)

    client.meta.events.register(f"provide-client-params.{service}.{operation}", handler)


def body_text(request: Any) -> str:
    body = request.body
    if isinstance(body, bytes):
        return body.decode("utf-8", "replace")
    return str(body or "")


class SequentialExecutor:
    """An executor that runs each call at once, in order (for Stubber-ordered tests)."""

    def __init__(self, _workers: int = 1) -> None:
        pass

    def map(self, fn: Callable[[Any], Any], items: Any) -> Iterator[Any]:
        return iter([fn(i) for i in items])

    def __enter__(self) -> SequentialExecutor:
        return self

    def __exit__(self, *_: object) -> None:
        return None
