"""The Jira sink against a fake Jira speaking REST v2 (Server) and Cloud's search/jql."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from providers.demo.fakes.jira import FakeJira
from providers.demo.fakes.server import Fault
from scanner.config.delivery import JiraSinkConfig
from scanner.config.secrets import SecretRef
from scanner.diff import diff
from scanner.models.enums import Severity, Status
from scanner.models.findings import FindingsDocument
from scanner.sinks import SinkError
from scanner.sinks.jira import JiraSink, fingerprint_label
from tests.nightly.documents import T0, document, finding

TOKEN = "jira-api-token-not-real-42"
MFA = "aws.iam.user_console_without_mfa"
KEYS = "aws.iam.user_multiple_active_keys"


@pytest.fixture(scope="module", params=[False, True], ids=["server", "cloud"])
def running_jira(request: pytest.FixtureRequest) -> Iterator[FakeJira]:
    fake = FakeJira(token=TOKEN, cloud=request.param, page_size=2)
    with fake.server:
        yield fake


@pytest.fixture()
def jira(running_jira: FakeJira, monkeypatch: pytest.MonkeyPatch) -> FakeJira:
    monkeypatch.setenv("POSTURE_ALLOW_INSECURE_ENDPOINTS", "1")
    running_jira.reset()
    return running_jira


def sink(fake: FakeJira, token: str = TOKEN, **kw: Any) -> JiraSink:
    cfg = JiraSinkConfig(
        url=fake.url,
        project="SEC",
        email="bot@example.com",
        token=SecretRef(env="JIRA_TOKEN"),
        **kw,
    )
    return JiraSink(cfg, token, sleep=lambda _: None)


def nightly(
    fake: FakeJira, docs: list[FindingsDocument], with_history: bool = True, **kw: Any
) -> list[dict[str, int]]:
    counts = []
    previous = None
    for doc in docs:
        report = sink(fake, **kw).deliver(doc, diff(previous if with_history else None, doc))
        assert report.ok, report.error
        counts.append(report.counts)
        previous = doc
    return counts


def day(n: int, findings: list[Any], **kw: Any) -> FindingsDocument:
    return document(findings, started=T0 + timedelta(days=n), **kw)


def problems() -> list[Any]:
    return [finding(MFA, "alice"), finding(MFA, "bob"), finding(KEYS, "bob"), finding(KEYS, "erin")]


@pytest.mark.parametrize("with_history", [True, False], ids=["history", "fresh-machine"])
def test_three_nightly_runs_one_issue_per_problem(jira: FakeJira, with_history: bool) -> None:
    docs = [day(n, problems()) for n in range(3)]
    counts = nightly(jira, docs, with_history)
    assert len(jira.issues) == 4
    for f in problems():
        assert len(jira.by_label(fingerprint_label(f.fingerprint))) == 1
    assert counts[0]["created"] == 4 and counts[1]["created"] == counts[2]["created"] == 0
    assert counts[2]["already open"] == 4
    issue = jira.by_label(fingerprint_label(finding(MFA, "alice").fingerprint))[0]
    assert "posture" in issue.fields["labels"]
    assert issue.fields["issuetype"] == {"name": "Bug"}
    assert "Fingerprint: " + finding(MFA, "alice").fingerprint in issue.fields["description"]


def test_resolved_is_transitioned_and_a_comeback_commented(jira: FakeJira) -> None:
    bob = finding(MFA, "bob")
    counts = nightly(
        jira,
        [
            day(0, [finding(MFA, "alice"), bob]),
            day(1, [finding(MFA, "alice"), finding(MFA, "bob", status=Status.PASS)]),
            day(2, [finding(MFA, "alice"), bob]),
        ],
    )
    (issue,) = jira.by_label(fingerprint_label(bob.fingerprint))
    assert issue.transitions == ["Done"]
    assert counts[1]["resolved"] == 1
    assert counts[2] == {"created": 0, "reopened": 1, "resolved": 0, "already open": 1}
    assert "resolved" in issue.comments[0] and "again" in issue.comments[1]
    assert len(jira.issues) == 2


def test_reopen_transition_when_configured(jira: FakeJira) -> None:
    bob = finding(MFA, "bob")
    nightly(
        jira,
        [day(0, [bob]), day(1, [finding(MFA, "bob", status=Status.PASS)]), day(2, [bob])],
        reopen_transition="Reopen",
    )
    (issue,) = jira.by_label(fingerprint_label(bob.fingerprint))
    assert issue.transitions == ["Done", "Reopen"] and issue.category == "new"


def test_not_evaluated_keeps_the_issue_open(jira: FakeJira) -> None:
    blocked = finding(MFA, "collection", status=Status.ERROR)
    nightly(jira, [day(0, [finding(MFA, "bob")]), day(1, [blocked], check_ids=(MFA,))])
    (issue,) = jira.by_label(fingerprint_label(finding(MFA, "bob").fingerprint))
    assert issue.category == "new" and issue.transitions == []


def test_fresh_machine_closes_issues_whose_finding_passes(jira: FakeJira) -> None:
    nightly(jira, [day(0, [finding(MFA, "bob")])])
    nightly(jira, [day(1, [finding(MFA, "bob", status=Status.PASS)])], with_history=False)
    (issue,) = jira.issues.values()
    assert issue.transitions == ["Done"]


def test_closed_by_hand_while_failing_is_not_commented_every_night(jira: FakeJira) -> None:
    bob = finding(MFA, "bob")
    docs = [day(n, [bob]) for n in range(3)]
    nightly(jira, docs[:1])
    jira.close("SEC-1")
    for before, now in itertools.pairwise(docs):
        report = sink(jira).deliver(now, diff(before, now))
        assert report.counts["done but failing"] == 1
    assert jira.issues["SEC-1"].comments == []
    assert len(jira.issues) == 1


def test_min_severity(jira: FakeJira) -> None:
    low = finding(KEYS, "bob", severity=Severity.LOW)
    nightly(jira, [day(0, [low, finding(MFA, "alice")])], min_severity=Severity.MEDIUM)
    assert [i.fields["labels"][-1] for i in jira.issues.values()] == [
        fingerprint_label(finding(MFA, "alice").fingerprint)
    ]


def test_rate_limit_is_retried_and_a_lost_create_response_not_duplicated(jira: FakeJira) -> None:
    jira.server.inject(
        Fault("/search", 429, {"errorMessages": ["Rate limit"]}, {"Retry-After": "1"})
    )
    jira.lose_create_responses = 1
    nightly(jira, [day(0, [finding(MFA, "alice")])])
    assert len(jira.issues) == 1
    assert sum(1 for m, p in jira.server.requests if m == "POST" and p.endswith("/issue")) == 1
    searches = [p for m, p in jira.server.requests if "/search" in p]
    assert len(searches) >= 3  # the 429, its retry, and the re-check after the 502


def test_bad_token_is_a_sink_error_that_never_shows_it(jira: FakeJira) -> None:
    with pytest.raises(SinkError) as caught:
        sink(jira, token="wrong-token").deliver(
            day(0, [finding(MFA, "bob")]), diff(None, day(0, []))
        )
    assert "401" in str(caught.value)
    assert "wrong-token" not in str(caught.value) and TOKEN not in str(caught.value)
