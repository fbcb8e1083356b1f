"""The webhook sink against a receiver on 127.0.0.1 that checks the HMAC like a real one."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from werkzeug.wrappers import Request, Response

from providers.demo.fakes.server import FakeServer, Fault, json_response
from scanner.config.delivery import WebhookSinkConfig
from scanner.config.secrets import SecretRef
from scanner.diff import diff
from scanner.models.enums import Status
from scanner.sinks import SinkError, run_sinks
from scanner.sinks.webhook import WebhookSink
from tests.nightly.documents import T0, document, finding

SECRET = "whsec-test-0123456789"
MFA = "aws.iam.user_console_without_mfa"


class Receiver:
    def __init__(self) -> None:
        self.deliveries: list[dict[str, Any]] = []
        self.delivery_ids: list[str] = []

    def __call__(self, request: Request) -> Response:
        body = request.get_data()
        stamp = request.headers["X-Posture-Timestamp"]
        expected = (
            "sha256="
            + hmac.new(SECRET.encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
        )
        if not hmac.compare_digest(expected, request.headers["X-Posture-Signature"]):
            return json_response({"error": "bad signature"}, 401)
        self.delivery_ids.append(request.headers["X-Posture-Delivery"])
        self.deliveries.append(json.loads(body))
        return json_response({"ok": True}, 202)


@pytest.fixture(scope="module")
def running_receiver() -> Iterator[tuple[Receiver, FakeServer]]:
    handler = Receiver()
    with FakeServer(handler) as server:
        yield handler, server


@pytest.fixture()
def receiver(
    running_receiver: tuple[Receiver, FakeServer], monkeypatch: pytest.MonkeyPatch
) -> tuple[Receiver, FakeServer]:
    monkeypatch.setenv("POSTURE_ALLOW_INSECURE_ENDPOINTS", "1")
    handler, server = running_receiver
    handler.deliveries.clear()
    handler.delivery_ids.clear()
    server.requests.clear()
    return running_receiver


def sink(url: str, secret: str = SECRET, **kw: Any) -> WebhookSink:
    cfg = WebhookSinkConfig(url=url + "/hook?token=abc", secret=SecretRef(env="HOOK_SECRET"), **kw)
    return WebhookSink(cfg, secret, backoff_factor=0)


def changes() -> tuple[Any, Any]:
    old = document([finding(MFA, "alice"), finding(MFA, "bob")])
    new = document(
        [finding(MFA, "alice"), finding(MFA, "bob", status=Status.PASS), finding(MFA, "dan")],
        started=T0 + timedelta(days=1),
    )
    return new, diff(old, new)


def test_posts_new_and_resolved_signed(receiver: tuple[Receiver, FakeServer]) -> None:
    handler, server = receiver
    doc, delta = changes()
    report = sink(server.url).deliver(doc, delta)
    assert report.ok and report.counts == {"sent new": 1, "sent resolved": 1}
    body = handler.deliveries[0]
    assert [f["resource"]["name"] for f in body["new"]] == ["dan"]
    assert [f["resource"]["name"] for f in body["resolved"]] == ["bob"]
    assert body["event"] == "posture.scan.changes"


def test_rate_limit_and_5xx_are_retried_with_one_delivery_id(
    receiver: tuple[Receiver, FakeServer],
) -> None:
    handler, server = receiver
    server.inject(Fault("/hook", 429, {"error": "slow down"}, {"Retry-After": "0"}))
    server.inject(Fault("/hook", 502, {"error": "bad gateway"}))
    doc, delta = changes()
    assert sink(server.url).deliver(doc, delta).ok
    assert [m for m, _ in server.requests] == ["POST", "POST", "POST"]
    assert len(handler.deliveries) == 1


def test_failure_is_a_sink_error_without_the_token(receiver: tuple[Receiver, FakeServer]) -> None:
    _, server = receiver
    doc, delta = changes()
    with pytest.raises(SinkError) as caught:
        sink(server.url, secret="wrong-secret").deliver(doc, delta)
    assert "HTTP 401" in str(caught.value) and "token=abc" not in str(caught.value)
    reports = run_sinks([("webhook", lambda: sink(server.url, secret="wrong"))], doc, delta)
    assert not reports[0].ok and "401" in reports[0].error


def test_nothing_changed_sends_nothing(receiver: tuple[Receiver, FakeServer]) -> None:
    handler, server = receiver
    doc = document([finding(MFA, "alice")])
    report = sink(server.url).deliver(doc, diff(doc, doc))
    assert report.ok and handler.deliveries == []
    assert sink(server.url, send_when_unchanged=True).deliver(doc, diff(doc, doc)).ok
    assert len(handler.deliveries) == 1


def test_retry_logs_never_show_the_hook_path(
    receiver: tuple[Receiver, FakeServer], caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    _, server = receiver
    server.inject(Fault("/hook", 503, {"error": "unavailable"}, {"Retry-After": "0"}))
    doc, delta = changes()
    with caplog.at_level(logging.DEBUG, logger="urllib3"):
        assert sink(server.url).deliver(doc, delta).ok
    ours = [r.getMessage() for r in caplog.records if r.name.startswith("urllib3")]
    assert ours and not any("token=abc" in m for m in ours)


def test_a_redirect_is_not_followed(receiver: tuple[Receiver, FakeServer]) -> None:
    """A compromised receiver that points elsewhere gets nothing delivered there."""
    handler, target = receiver

    def redirect(request: Request) -> Response:
        return Response(status=307, headers={"Location": f"{target.url}/hook?token=abc"})

    doc, delta = changes()
    with (
        FakeServer(redirect) as redirecting,
        pytest.raises(SinkError, match="307 redirect, not followed") as raised,
    ):
        sink(redirecting.url).deliver(doc, delta)
    assert handler.deliveries == []
    assert "token=abc" not in str(raised.value)
