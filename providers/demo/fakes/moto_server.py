"""moto's AWS API on 127.0.0.1 with per-call latency, call counting and injected throttling.

The benchmark and the reliability tests point posture at it with AWS_ENDPOINT_URL, so the
scan goes through botocore's real HTTP stack, retry policy and throttling handling.
"""

from __future__ import annotations

import random
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from functools import cache
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs

import botocore.session
from moto.core.base_backend import BackendDict
from moto.core.config import default_user_config
from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import BaseWSGIServer, make_server

_OVERRIDES: dict[str, dict[str, Any]] = {
    "iam": {"load_aws_managed_policies": True},
    "lambda": {"use_docker": False},
}
_SCOPE = re.compile(r"Credential=[^/]+/\d{8}/([^/]+)/([^/]+)/aws4_request")

StartResponse = Callable[..., Any]


_SIGNING_TO_SERVICE = {"monitoring": "cloudwatch", "elasticloadbalancing": "elbv2"}


@cache
def _protocol(signing_name: str) -> str:
    """The wire protocol of the service signing as `signing_name`, from botocore's models."""
    name = _SIGNING_TO_SERVICE.get(signing_name, signing_name)
    try:
        model = botocore.session.get_session().get_service_model(name)
    except Exception:
        return "query"
    return str(model.metadata.get("protocol", "query"))


def _request_protocol(service: str, environ: dict[str, Any]) -> str:
    """The protocol this request speaks: services that offer several let the client choose."""
    if environ.get("HTTP_SMITHY_PROTOCOL") == "rpc-v2-cbor":
        return "smithy-rpc-v2-cbor"
    if str(environ.get("CONTENT_TYPE", "")).startswith("application/x-amz-json"):
        return "json"
    model = _protocol(service)
    return "query" if model == "smithy-rpc-v2-cbor" else model


def _throttle(service: str, environ: dict[str, Any]) -> tuple[str, list[tuple[str, str]], bytes]:
    """A throttling error in the wire format the request was made in."""
    protocol = _request_protocol(service, environ)
    if protocol == "ec2":
        body = (
            "<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit "
            "exceeded.</Message></Error></Errors><RequestID>throttle</RequestID></Response>"
        )
        return "503 Service Unavailable", [("Content-Type", "text/xml")], body.encode()
    if protocol == "rest-xml":
        body = (
            "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message>"
            "</Error>"
        )
        return "503 Slow Down", [("Content-Type", "application/xml")], body.encode()
    if protocol == "smithy-rpc-v2-cbor":
        # CBOR map {"__type": "ThrottlingException"}: 0xA1, then two text strings.
        payload = b"\xa1\x66__type\x73ThrottlingException"
        headers = [("Content-Type", "application/cbor"), ("smithy-protocol", "rpc-v2-cbor")]
        return "400 Bad Request", headers, payload
    if protocol in {"json", "rest-json"}:
        headers = [
            ("Content-Type", "application/x-amz-json-1.1"),
            ("x-amzn-ErrorType", "ThrottlingException"),
        ]
        body = '{"__type":"ThrottlingException","message":"Rate exceeded"}'
        return "400 Bad Request", headers, body.encode()
    body = (
        "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate "
        "exceeded</Message></Error><RequestId>throttle</RequestId></ErrorResponse>"
    )
    return "400 Bad Request", [("Content-Type", "text/xml")], body.encode()


_NOT_IN_MOTO: dict[str, tuple[str, str]] = {
    # botocore iam model, ListOrganizationsFeatures: ServiceAccessNotEnabledException is what
    # an organization answers until IAM's trusted access is enabled in it, which moto's
    # organizations never has for iam.amazonaws.com. moto raises NotImplementedError instead
    # (an HTML 500), which no AWS endpoint sends.
    "iam.ListOrganizationsFeatures": (
        "ServiceAccessNotEnabledException",
        "The service access is not enabled for IAM in AWS Organizations.",
    ),
}


def _query_error(code: str, message: str) -> tuple[str, list[tuple[str, str]], bytes]:
    """A query-protocol error answer (the shape of botocore's query error parser)."""
    body = (
        f"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}"
        "</Message></Error><RequestId>posture-fake</RequestId></ErrorResponse>"
    )
    return "400 Bad Request", [("Content-Type", "text/xml")], body.encode()


def _operation(environ: dict[str, Any], body: bytes) -> str:
    target = environ.get("HTTP_X_AMZ_TARGET")
    if target:
        return str(target).rsplit(".", 1)[-1]
    for source in (environ.get("QUERY_STRING", ""), body.decode("utf-8", "replace")):
        action = parse_qs(source).get("Action")
        if action:
            return str(action[0])
    return f"{environ.get('REQUEST_METHOD', '?')} {environ.get('PATH_INFO', '/')}"


class MotoServer:
    """A moto server with `latency` seconds added to every call and `throttle` of them refused.

    `calls` counts every request by ``service.Operation``; `throttled` counts refusals.
    `throttle_only`, if set, limits refusals to those signing names (``iam``) or calls
    (``iam.ListUsers``).
    `peak_in_flight` is the most requests handled at once per (signing name, region).
    """

    def __init__(
        self,
        latency: float = 0.0,
        throttle: float = 0.0,
        seed: int = 7,
        managed_policies: bool = True,
    ) -> None:
        self.latency = latency
        # moto copies every AWS managed policy into each account it creates (about 1,000
        # policies, megabytes a member): a large simulated organisation goes without them.
        self._overrides = {
            **_OVERRIDES,
            "iam": {"load_aws_managed_policies": managed_policies},
        }
        self.throttle = throttle
        self.throttle_only: frozenset[str] = frozenset()
        self.calls: Counter[str] = Counter()
        self.throttled: Counter[str] = Counter()
        self.peak_in_flight: Counter[tuple[str, str]] = Counter()
        self._in_flight: Counter[tuple[str, str]] = Counter()
        self._random = random.Random(seed)  # noqa: S311 (fault injection, not security)
        self._lock = threading.Lock()
        self._app = DomainDispatcherApplication(create_backend_app)
        self._server: BaseWSGIServer = make_server(
            "127.0.0.1", 0, self._wsgi, threaded=True, request_handler=MotoRequestHandler
        )
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._saved_config: dict[str, dict[str, Any]] = {}

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}"

    def _wsgi(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = _Replay(body)
        match = _SCOPE.search(environ.get("HTTP_AUTHORIZATION", ""))
        region, service = match.groups() if match else ("unknown", "unknown")
        name = f"{service}.{_operation(environ, body)}"
        key = (service, region)
        with self._lock:
            self.calls[name] += 1
            self._in_flight[key] += 1
            self.peak_in_flight[key] = max(self.peak_in_flight[key], self._in_flight[key])
            only = self.throttle_only
            targeted = not only or service in only or name in only
            refuse = targeted and self.throttle > 0 and self._random.random() < self.throttle
            if refuse:
                self.throttled[name] += 1
        try:
            if self.latency:
                time.sleep(self.latency)
            if refuse or name in _NOT_IN_MOTO:
                status, headers, payload = (
                    _throttle(service, environ) if refuse else _query_error(*_NOT_IN_MOTO[name])
                )
                start_response(status, [*headers, ("Content-Length", str(len(payload)))])
                return [payload]
            # moto answers in full here, so the request is over when this returns.
            result: Iterable[bytes] = list(self._app(environ, start_response))
            return result
        finally:
            with self._lock:
                self._in_flight[key] -= 1

    def reset_counts(self) -> None:
        with self._lock:
            self.calls.clear()
            self.throttled.clear()
            self.peak_in_flight.clear()

    def start(self) -> MotoServer:
        # A fresh account, with AWS managed policies loaded and Lambda kept out of Docker.
        self._saved_config = {
            k: dict(default_user_config[k])  # type: ignore[literal-required]
            for k in self._overrides
        }
        for section, values in self._overrides.items():
            default_user_config[section].update(values)  # type: ignore[literal-required]
        BackendDict.reset()
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        for section, values in self._saved_config.items():
            default_user_config[section].clear()  # type: ignore[literal-required]
            default_user_config[section].update(values)  # type: ignore[literal-required]
        BackendDict.reset()

    def __enter__(self) -> MotoServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


class _Replay:
    """A wsgi.input that hands moto the body we already read."""

    def __init__(self, body: bytes) -> None:
        self._body = body
        self._offset = 0

    def read(self, size: int = -1) -> bytes:
        end = len(self._body) if size is None or size < 0 else self._offset + size
        chunk = self._body[self._offset : end]
        self._offset += len(chunk)
        return chunk

    def readline(self, size: int = -1) -> bytes:
        return self.read(size)
