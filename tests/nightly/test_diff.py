"""new / resolved / unchanged by fingerprint; what was not evaluated is never resolved."""

from __future__ import annotations

from datetime import timedelta

from scanner.diff import diff
from scanner.models.enums import Status
from tests.nightly.documents import T0, document, finding

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
