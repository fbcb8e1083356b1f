"""new / resolved / unchanged by fingerprint; what was not evaluated is never resolved."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from scanner.cli import _run
from scanner.diff import diff
from scanner.models.enums import Severity, Status
from tests.nightly.documents import ACCOUNT, T0, document, finding

MFA = "aws.iam.user_console_without_mfa"
KEYS = "aws.iam.user_multiple_active_keys"
LATER = T0 + timedelta(days=1)


def fps(findings: tuple[object, ...]) -> set[str]:
    return {f.fingerprint for f in findings}  # type: ignore[attr-defined]


def test_new_resolved_unchanged() -> None:
    old = document([finding(MFA, "alice"), finding(MFA, "bob"), finding(KEYS, "bob")])
    new = document(
        [finding(MFA, "alice"), finding(MFA, "bob", status=Status.PASS), finding(MFA, "dan")],
        started=LATER,
        check_ids=(MFA, KEYS),
    )
    changes = diff(old, new)
    assert fps(changes.new) == {finding(MFA, "dan").fingerprint}
    assert fps(changes.unchanged) == {finding(MFA, "alice").fingerprint}
    # bob's MFA passes now; bob's keys finding is gone while its check ran: both resolved.
    assert fps(changes.resolved) == {
        finding(MFA, "bob").fingerprint,
        finding(KEYS, "bob").fingerprint,
    }
    assert changes.not_evaluated == ()


def test_no_earlier_scan_makes_everything_open_new() -> None:
    new = document([finding(MFA, "alice"), finding(MFA, "carol", status=Status.PASS)])
    changes = diff(None, new)
    assert fps(changes.new) == {finding(MFA, "alice").fingerprint}
    assert not changes.resolved and not changes.unchanged


def test_failed_collection_is_not_resolved() -> None:
    old = document([finding(KEYS, "bob")])
    blocked = finding(
        KEYS,
        "collection",
        status=Status.ERROR,
        evidence={"collection": "aws.iam.credential_report"},
    )
    new = document([blocked], started=LATER, check_ids=(KEYS,))
    changes = diff(old, new)
    assert changes.resolved == ()
    assert fps(changes.not_evaluated) == {finding(KEYS, "bob").fingerprint}


def test_failure_in_another_region_does_not_block() -> None:
    old = document([finding(KEYS, "bob", region="us-east-1")])
    other_region = finding(KEYS, "collection", status=Status.ERROR, region="eu-west-1")
    new = document([other_region], started=LATER, check_ids=(KEYS,))
    assert fps(diff(old, new).resolved) == {finding(KEYS, "bob", region="us-east-1").fingerprint}
    same_region = finding(KEYS, "collection", status=Status.ERROR, region="us-east-1")
    new = document([same_region], started=LATER, check_ids=(KEYS,))
    assert diff(old, new).resolved == ()


def test_unscanned_account_region_or_check_is_not_resolved() -> None:
    old = document([finding(KEYS, "bob", account="111111111111", region="ap-south-1")])
    other_account = document([], started=LATER, check_ids=(KEYS,))
    assert diff(old, other_account).resolved == ()
    same_account = document(
        [], started=LATER, check_ids=(KEYS,), accounts=("111111111111",), regions=("us-east-1",)
    )
    assert diff(old, same_account).resolved == ()  # ap-south-1 was not in scope
    narrower = document([], started=LATER, check_ids=(MFA,), accounts=("111111111111",))
    assert diff(old, narrower).resolved == ()  # the check did not run


def test_muted_stays_open_and_waiver_expiry_is_not_new() -> None:
    old = document([finding(MFA, "frank", status=Status.MUTED)])
    new = document([finding(MFA, "frank")], started=LATER)
    changes = diff(old, new)
    assert fps(changes.unchanged) == {finding(MFA, "frank").fingerprint}
    assert not changes.new and not changes.resolved


def test_a_widened_scope_is_not_evaluated_before_not_new() -> None:
    old = document([finding(MFA, "alice")], check_ids=(MFA,))
    other_account = "210987654321"
    new = document(
        [
            finding(MFA, "alice"),
            finding(KEYS, "bob"),  # a check the old scan did not run
            finding(MFA, "zed", account=other_account),  # an account it did not scan
            finding(MFA, "carol"),  # truly new
        ],
        started=LATER,
        check_ids=(MFA, KEYS),
        accounts=(ACCOUNT, other_account),
    )
    changes = diff(old, new)
    assert fps(changes.new) == {finding(MFA, "carol").fingerprint}
    assert fps(changes.not_evaluated_before) == {
        finding(KEYS, "bob").fingerprint,
        finding(MFA, "zed", account=other_account).fingerprint,
    }
    widened_only = document(
        [finding(MFA, "alice"), finding(KEYS, "bob")], started=LATER, check_ids=(MFA, KEYS)
    )
    assert not diff(old, widened_only).changed  # a widened scope alone is no news


def test_a_resolved_finding_carries_its_state_now() -> None:
    old = document([finding(MFA, "alice"), finding(MFA, "bob")])
    new = document([finding(MFA, "alice", status=Status.PASS)], started=LATER, check_ids=(MFA,))
    changes = diff(old, new)
    assert changes.resolved_now == {
        finding(MFA, "alice").fingerprint: Status.PASS,
        finding(MFA, "bob").fingerprint: None,
    }


def test_fail_on_new_is_a_ci_gate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = document([finding(MFA, "alice")], check_ids=(MFA,))
    medium = finding(MFA, "carol", severity=Severity.MEDIUM)
    new = document([finding(MFA, "alice"), medium], started=LATER, check_ids=(MFA,))
    old_path, new_path = tmp_path / "old.json", tmp_path / "new.json"
    old_path.write_text(old.model_dump_json())
    new_path.write_text(new.model_dump_json())
    argv = ["diff", str(old_path), str(new_path), "--format", "json", "--fail-on-new"]
    assert _run([*argv, "high"]) == 0
    assert _run([*argv, "MEDIUM"]) == 1
    assert _run([*argv, "urgent"]) == 2
    assert "unknown severity 'urgent'" in capsys.readouterr().err
