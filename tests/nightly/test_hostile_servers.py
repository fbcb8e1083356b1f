"""Hostile receivers for the sinks, on 127.0.0.1: a slowloris, an endless answer, a Jira that
throttles the create it served, duplicates from elsewhere, and tokens in URLs."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import Any

import pytest

from providers.demo.fakes.hostile import (
    Behaviour,
    HostileServer,
    endless_array,
    hang_up,
    trickle_body,
    trickle_headers,
)
from providers.demo.fakes.jira import FakeJira
from scanner.config.delivery import JiraSinkConfig, WebhookSinkConfig
from scanner.config.secrets import SecretRef
from scanner.diff import diff
from scanner.endpoints import validate_endpoint
from scanner.errors import UsageError
from scanner.sinks import SinkError
from scanner.sinks.jira import JiraSink, fingerprint_label
from scanner.sinks.webhook import WebhookSink
from tests.nightly.documents import document, finding

TOKEN = "jira-api-token-not-real-42"
URL_TOKEN = "hooktoken-s3cr3t-in-the-path"
MFA = "aws.iam.user_console_without_mfa"


@pytest.fixture(autouse=True)
def _loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POSTURE_ALLOW_INSECURE_ENDPOINTS", "1")


@pytest.fixture
def raw_server() -> Iterator[Callable[[Behaviour], str]]:
    """A hostile server on 127.0.0.1 that answers every request with `behaviour`."""
    with ExitStack() as stack:
        yield lambda behaviour: stack.enter_context(HostileServer({}, behaviour)).url


def webhook(url: str, **kw: Any) -> WebhookSink:
    cfg = WebhookSinkConfig(
        url=f"{url}/hooks/{URL_TOKEN}?sig={URL_TOKEN}",
        secret=SecretRef(env="HOOK_SECRET"),
        send_when_unchanged=True,
        **kw,
    )
    return WebhookSink(cfg, "whsec-test", backoff_factor=0)


def jira_sink(url: str, **kw: Any) -> JiraSink:
    cfg = JiraSinkConfig(
        url=url, project="SEC", email="bot@example.com", token=SecretRef(env="T"), **kw
    )
    return JiraSink(cfg, TOKEN, sleep=lambda _: None)


def deliver(sink: WebhookSink | JiraSink, findings: list[Any]) -> Any:
    doc = document(findings)
    return sink.deliver(doc, diff(None, doc))


@pytest.mark.parametrize("behaviour", [trickle_headers, trickle_body], ids=["headers", "body"])
def test_a_trickling_webhook_is_cut_at_the_total_deadline(
    raw_server: Callable[[Behaviour], str], behaviour: Behaviour
) -> None:
    url = raw_server(behaviour)
    started = time.monotonic()
    with pytest.raises(SinkError, match="no complete answer within 2 s") as caught:
        deliver(webhook(url, call_timeout_seconds=1, max_attempts=2), [finding(MFA, "bob")])
    assert time.monotonic() - started < 6
    assert URL_TOKEN not in str(caught.value)


def test_a_trickling_jira_is_cut_at_the_total_deadline(
    raw_server: Callable[[Behaviour], str],
) -> None:
    url = raw_server(trickle_body)
    started = time.monotonic()
    with pytest.raises(SinkError, match="no complete answer within 2 s"):
        deliver(jira_sink(url, call_timeout_seconds=1, max_attempts=2), [finding(MFA, "bob")])
    assert time.monotonic() - started < 6


def test_an_endless_answer_is_cut_at_the_size_bound(
    raw_server: Callable[[Behaviour], str],
) -> None:
    url = raw_server(endless_array)
    with pytest.raises(SinkError, match="answer larger than 4096 KiB"):
        deliver(webhook(url, call_timeout_seconds=10, max_attempts=1), [finding(MFA, "bob")])


def test_a_webhook_url_token_never_appears_in_errors(
    raw_server: Callable[[Behaviour], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    closed = raw_server(hang_up)
    with pytest.raises(SinkError) as caught:
        deliver(webhook(closed, max_attempts=1), [finding(MFA, "bob")])
    assert URL_TOKEN not in str(caught.value) and closed in str(caught.value)
    for url in (
        f"http://hooks.example:8080/x/{URL_TOKEN}?t={URL_TOKEN}",
        f"ftp://user:{URL_TOKEN}@hooks.example/{URL_TOKEN}",
    ):
        with pytest.raises(UsageError) as refused:
            validate_endpoint(url, "sinks.webhook.url")
        assert URL_TOKEN not in str(refused.value) and "hooks.example" in str(refused.value)
    monkeypatch.delenv("POSTURE_ALLOW_INSECURE_ENDPOINTS")
    with pytest.raises(UsageError) as refused:
        validate_endpoint(f"http://127.0.0.1:9/{URL_TOKEN}", "sinks.jira.url")
    assert URL_TOKEN not in str(refused.value) and "http://127.0.0.1:9" in str(refused.value)


@pytest.fixture(scope="module")
def running_jira() -> Iterator[FakeJira]:
    fake = FakeJira(token=TOKEN, cloud=True)
    with fake.server:
        yield fake


@pytest.fixture
def jira(running_jira: FakeJira) -> FakeJira:
    running_jira.reset()
    return running_jira


def _creates(fake: FakeJira) -> int:
    return sum(1 for m, p in fake.server.requests if m == "POST" and p.endswith("/issue"))


def test_a_429_after_the_create_never_opens_a_second_issue(jira: FakeJira) -> None:
    jira.lose_create_responses = 1
    jira.lost_create_status = 429
    report = deliver(jira_sink(jira.url), [finding(MFA, "alice")])
    assert report.counts["created"] == 1
    assert len(jira.issues) == 1 and _creates(jira) == 1


def test_a_second_run_closes_a_duplicate(jira: FakeJira) -> None:
    alice = finding(MFA, "alice")
    deliver(jira_sink(jira.url), [alice])
    (kept,) = jira.issues.values()
    # Someone (an older posture, a copy by hand) opened the same issue again.
    jira.issues["SEC-2"] = type(kept)(
        kept.id + 1, "SEC-2", {**kept.fields, "created": "2026-02-01"}
    )
    report = deliver(jira_sink(jira.url), [alice])
    assert report.counts["duplicates closed"] == 1 and report.counts["already open"] == 1
    assert jira.issues["SEC-2"].category == "done" and jira.issues[kept.key].category != "done"
    assert kept.key in jira.issues["SEC-2"].comments[0]
    again = deliver(jira_sink(jira.url), [alice])
    assert "duplicates closed" not in again.counts
    assert len(jira.by_label(fingerprint_label(alice.fingerprint))) == 2 and _creates(jira) == 1
