"""`--dry-run`: the scan runs, each sink says what it would send, nothing is sent and nothing
is recorded (so the next real run still sees as new what the dry run previewed)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scanner.config import parse_config
from scanner.delivery import build_sinks, prepare
from scanner.diff import diff
from scanner.history import HistoryStore
from scanner.models.enums import Severity, Status
from scanner.sinks import run_sinks
from scanner.sinks.jira import JiraSink
from scanner.sinks.webhook import WebhookSink
from tests.nightly.documents import T0, document, finding, golden_document
from tests.unit.test_cli import posture

# Port 9 (discard) on loopback: a sink that tried to connect would fail.
HOOK = {"url": "https://hooks.example.com/T0/secret-path", "secret": {"env": "POSTURE_T_HOOK"}}
JIRA = {
    "url": "https://example.atlassian.net",
    "project": "SEC",
    "email": "bot@example.com",
    "token": {"env": "POSTURE_T_JIRA"},
    "min_severity": "medium",
}


@pytest.fixture(autouse=True)
def _secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POSTURE_T_HOOK", "hook-secret")
    monkeypatch.setenv("POSTURE_T_JIRA", "jira-token")


def _never(*args: object, **kwargs: object) -> object:
    raise AssertionError("a dry run made a request")


def test_webhook_preview_counts_and_sends_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    config = parse_config({"sinks": {"webhook": HOOK}}, "test")
    monkeypatch.setattr("requests.Session.post", _never)
    doc = golden_document()
    (report,) = run_sinks(build_sinks(config, ("webhook",)), doc, diff(None, doc), dry_run=True)
    assert report.ok
    assert report.counts == {"would send new": 3, "would send resolved": 0}
    described = report.describe()
    assert "webhook to https://hooks.example.com" in described
    assert "secret-path" not in described  # the hook's path may carry a token
    assert "bytes" in described


def test_jira_preview_is_judged_from_the_history(monkeypatch: pytest.MonkeyPatch) -> None:
    config = parse_config({"sinks": {"jira": JIRA}}, "test")
    ran = ("aws.iam.user_console_without_mfa", "aws.iam.user_has_admin")
    old = document(
        [finding("aws.iam.user_has_admin", "bob", severity=Severity.HIGH)], check_ids=ran
    )
    new = document(
        [
            finding("aws.iam.user_console_without_mfa", "alice", severity=Severity.HIGH),
            finding("aws.iam.user_has_admin", "bob", severity=Severity.HIGH),
            finding("aws.iam.user_direct_policies", "low", severity=Severity.LOW),
        ]
    )
    sink = JiraSink(config.sinks.jira, "jira-token", client_factory=_never)  # type: ignore[arg-type]
    report = sink.preview(new, diff(old, new))
    assert report.counts == {"would create": 1, "would resolve": 0, "already tracked": 1}
    gone = document([], check_ids=("aws.iam.user_has_admin",))
    resolved = sink.preview(gone, diff(old, gone))
    assert resolved.counts["would resolve"] == 1
    assert "Jira itself is not read" in resolved.describe()


def test_a_dry_run_diffs_with_the_history_but_records_nothing(tmp_path: Path) -> None:
    state = tmp_path / "h.sqlite3"
    first = document([finding("aws.iam.user_has_admin", "bob")])
    with HistoryStore(state) as store:
        store.record(first)
    config = parse_config({}, "test")
    second = document(
        [finding("aws.iam.user_has_admin", "bob"), finding("aws.iam.user_has_admin", "eve")],
        started=T0.replace(day=2),
    )
    prepared = prepare(second, config, state, record=True, dry_run=True)
    assert [f.resource.name for f in prepared.changes.new] == ["eve"]
    assert prepared.scan_id is None
    with HistoryStore(state, read_only=True) as store:
        assert len(store.scans()) == 1


def test_webhook_object_preview_skips_when_nothing_changed() -> None:
    config = parse_config({"sinks": {"webhook": HOOK}}, "test")
    sink = WebhookSink(config.sinks.webhook, "hook-secret")  # type: ignore[arg-type]
    doc = document([finding("aws.iam.user_has_admin", "bob", status=Status.PASS)])
    assert sink.preview(doc, diff(doc, doc)).counts == {"would skip (no change)": 1}


def test_cli_dry_run_on_the_demo(tmp_path: Path) -> None:
    config = tmp_path / "posture.yaml"
    config.write_text(json.dumps({"sinks": {"webhook": HOOK, "deliver": True}}))
    state = tmp_path / "history.sqlite3"
    result = posture(
        "scan",
        "--demo",
        "--provider",
        "evidence",
        "--config",
        str(config),
        "--state",
        str(state),
        "--dry-run",
        "--format",
        "json",
        env={"POSTURE_T_HOOK": "hook-secret"},
    )
    assert result.returncode in (0, 1), result.stderr
    assert "dry run: nothing sent, nothing recorded" in result.stderr
    assert "webhook to https://hooks.example.com: " in result.stderr
    assert "would send new" in result.stderr
    assert not state.exists()
    json.loads(result.stdout)
