"""Live waivers mute failures (keeping the reason), expired ones do not, unused ones are stale."""

from __future__ import annotations

import logging
from datetime import date

import pytest

from scanner.config import parse_config
from scanner.config.suppressions import Suppression
from scanner.delivery import warn_about_waivers
from scanner.models.enums import Status
from scanner.waivers import WaiverState, apply_waivers
from tests.nightly.documents import document, finding

KEYS = "aws.iam.user_multiple_active_keys"
MFA = "aws.iam.user_console_without_mfa"
TODAY = date(2026, 3, 1)


def waiver(expires: date, **match: str) -> Suppression:
    return Suppression(reason="key migration, SEC-12", owner="secops", expires=expires, **match)


def test_live_waiver_mutes_and_keeps_reason() -> None:
    doc = document([finding(KEYS, "frank"), finding(KEYS, "bob"), finding(MFA, "frank")])
    muted, uses = apply_waivers(
        doc, [waiver(date(2026, 12, 31), check=KEYS, resource="*frank*")], TODAY
    )
    by_user = {(f.check_id, f.resource.name): f for f in muted.findings}
    frank = by_user[(KEYS, "frank")]
    assert frank.status is Status.MUTED
    assert frank.waiver is not None and frank.waiver.reason == "key migration, SEC-12"
    assert by_user[(KEYS, "bob")].status is Status.FAIL
    assert by_user[(MFA, "frank")].status is Status.FAIL
    assert muted.scan.summary.by_status[Status.MUTED] == 1
    assert muted.scan.summary.by_status[Status.FAIL] == 2
    assert uses[0].state is WaiverState.LIVE and uses[0].matched == 1


def test_waiver_is_live_through_its_expiry_day_then_expires(
    caplog: pytest.LogCaptureFixture,
) -> None:
    doc = document([finding(KEYS, "frank")])
    s = waiver(date(2026, 3, 1), check=KEYS)
    assert apply_waivers(doc, [s], TODAY)[0].findings[0].status is Status.MUTED
    later, uses = apply_waivers(doc, [s], date(2026, 3, 2))
    assert later.findings[0].status is Status.FAIL and later.findings[0].waiver is None
    assert uses[0].state is WaiverState.EXPIRED
    with caplog.at_level(logging.WARNING):
        warn_about_waivers(uses)
    assert "expired on 2026-03-01; 1 failing finding(s) no longer muted" in caplog.text


def test_stale_and_not_evaluated(caplog: pytest.LogCaptureFixture) -> None:
    doc = document([finding(KEYS, "bob")], check_ids=(KEYS,))
    stale = waiver(date(2026, 12, 31), check=KEYS, resource="*frank*")
    other = waiver(date(2026, 12, 31), check=MFA)
    _, uses = apply_waivers(doc, [stale, other], TODAY)
    assert [u.state for u in uses] == [WaiverState.STALE, WaiverState.NOT_EVALUATED]
    with caplog.at_level(logging.WARNING):
        warn_about_waivers(uses)
    assert "suppressions.0" in caplog.text and "stale" in caplog.text
    assert "suppressions.1" not in caplog.text


def test_account_and_uid_matching() -> None:
    doc = document([finding(KEYS, "frank", account="111111111111"), finding(KEYS, "frank")])
    s = waiver(date(2026, 12, 31), resource="arn:aws:iam::111111111111:*", account="1111*")
    muted, _ = apply_waivers(doc, [s], TODAY)
    assert sorted(f.status.value for f in muted.findings) == ["fail", "muted"]


def test_pass_and_error_are_never_muted() -> None:
    doc = document(
        [finding(KEYS, "frank", status=Status.PASS), finding(KEYS, "x", status=Status.ERROR)]
    )
    muted, uses = apply_waivers(doc, [waiver(date(2026, 12, 31), check="*")], TODAY)
    assert [f.status for f in muted.findings] == [f.status for f in doc.findings]
    assert uses[0].state is WaiverState.STALE


def test_config_requires_reason_owner_expiry_and_a_matcher() -> None:
    from scanner.errors import ConfigError

    base = {"check": KEYS, "reason": "migration", "owner": "secops", "expires": "2026-12-31"}
    assert parse_config({"suppressions": [base]}, "t").suppressions[0].expires == date(2026, 12, 31)
    for broken, where in (
        ({**base, "expires": "next year"}, "suppressions.0.expires"),
        ({k: v for k, v in base.items() if k != "owner"}, "suppressions.0.owner"),
        ({"reason": "x y z", "owner": "o", "expires": "2026-01-01"}, "suppressions.0"),
    ):
        with pytest.raises(ConfigError, match=where.replace(".", r"\.")):
            parse_config({"suppressions": [broken]}, "t")


def test_example_config_parses() -> None:
    from pathlib import Path

    from scanner.config import load_config

    path = Path(__file__).resolve().parents[2] / "fixtures" / "configs" / "nightly.yaml"
    config = load_config(path)
    assert config.sinks.jira is not None and config.sinks.jira.token.env == "POSTURE_JIRA_TOKEN"
    assert [o.format for o in config.outputs] == ["json", "sarif", "ocsf"]
    assert config.suppressions[0].owner == "secops"
