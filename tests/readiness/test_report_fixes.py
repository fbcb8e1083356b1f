"""The readiness report counts resolved findings as `posture diff` does, keeps network exposure
apart, flags expired and stale waivers, groups findings per check (remediation once), filters
offline, labels every scan of its trend, and shows an audit window with `--window`."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from scanner.config.suppressions import Suppression
from scanner.models.enums import Category, Status
from scanner.models.findings import Finding, Waiver
from scanner.report.areas import area_of
from scanner.report.history import record_of
from scanner.report.model import build_report
from scanner.report.render import ReportFormat, nice_ticks, render_report
from scanner.waivers import WaiverState
from tests.readiness.report_documents import document, finding, sample

WHEN = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
EARLIER = WHEN - timedelta(days=7)


def _bob(status: Status, when: datetime, **kw: object) -> Finding:
    return finding(
        "identity.access.orphaned_access",
        status,
        "bob",
        soc2=("CC6.2",),
        category=Category.ACCESS_CONTROL,
        when=when,
        **kw,  # type: ignore[arg-type]
    )


def _other(when: datetime) -> Finding:
    return finding(
        "identity.access.orphaned_access", Status.PASS, "carol", soc2=("CC6.2",), when=when
    )


def _resolved(now: list[Finding]) -> int | None:
    before = document(EARLIER, [_bob(Status.FAIL, EARLIER), _other(EARLIER)])
    doc = document(WHEN, now)
    return build_report(doc, [record_of(before)], now=WHEN, previous=before).resolved


def test_resolved_counts_only_what_now_passes_on_data_that_arrived() -> None:
    waiver = Waiver(reason="accepted", owner="o", expires=date(2027, 1, 1))
    assert _resolved([_bob(Status.PASS, WHEN), _other(WHEN)]) == 1
    assert _resolved([_bob(Status.MUTED, WHEN, waiver=waiver), _other(WHEN)]) == 0
    assert _resolved([_bob(Status.ERROR, WHEN), _other(WHEN)]) == 0
    # Without the previous document only fingerprints are known: a waived one is not resolved.
    before = document(EARLIER, [_bob(Status.FAIL, EARLIER)])
    muted = document(WHEN, [_bob(Status.MUTED, WHEN, waiver=waiver)])
    assert build_report(muted, [record_of(before)], now=WHEN).resolved == 0


def test_network_exposure_is_its_own_area_and_backups_are_not_a_policy() -> None:
    open_db = finding(
        "gcp.sql.open_to_internet",
        Status.FAIL,
        "db",
        soc2=("CC6.6",),
        category=Category.NETWORK,
        when=WHEN,
    )
    backups = finding("gcp.sql.backups_disabled", Status.FAIL, "db", soc2=("A1.2",), when=WHEN)
    assert area_of(open_db).key == "network"
    assert area_of(backups).key == "retention"
    report = build_report(document(WHEN, [open_db, backups]), now=WHEN)
    by_key = {a.area.key: a for a in report.areas}
    assert by_key["network"].counts.failed == 1 and by_key["encryption"].counts.total == 0
    assert by_key["policies"].counts.total == 0 and by_key["retention"].counts.failed == 1


def test_expired_and_stale_waivers_are_flagged() -> None:
    doc = sample(WHEN)
    waivers = [
        Suppression(
            check="aws.iam.user_console_without_mfa",
            resource="alice",
            reason="Break-glass | sealed",
            owner="ciso@acme.example",
            expires=date(2027, 1, 31),
        ),
        Suppression(
            check="aws.iam.old_check", reason="long gone", owner="a@x", expires=date(2026, 1, 1)
        ),
        Suppression(
            check="identity.access.orphaned_access",
            resource="nobody",
            reason="matches nothing",
            owner="b@x",
            expires=date(2027, 1, 1),
        ),
    ]
    report = build_report(doc, now=WHEN, suppressions=waivers)
    states = {w.suppression.reason: w.state for w in report.configured_waivers}
    assert states == {
        "Break-glass | sealed": WaiverState.LIVE,
        "long gone": WaiverState.EXPIRED,
        "matches nothing": WaiverState.STALE,
    }
    html = render_report(report, ReportFormat.HTML)
    assert html.count('data-configured-waiver="expired"') == 1
    assert "stale: matches no failing finding" in html
    md = render_report(report, ReportFormat.MARKDOWN)
    assert "| expired (flagged) |" in md and "| stale (flagged) |" in md


def test_findings_are_grouped_per_check_with_the_remediation_once() -> None:
    failing = [
        finding(
            "aws.iam.user_console_without_mfa",
            Status.FAIL,
            name,
            soc2=("CC6.1",),
            category=Category.ACCESS_CONTROL,
            when=WHEN,
        )
        for name in ("ann", "ben", "cat")
    ]
    html = render_report(build_report(document(WHEN, failing), now=WHEN), ReportFormat.HTML)
    assert html.count('data-check-group="aws.iam.user_console_without_mfa"') == 1
    assert html.count("Remediation: Fix it.") == 1
    assert html.count('class="finding fail"') == 3
    # The filter is hidden until its script runs: without script the page reads the same.
    assert '<div id="filter" hidden>' in html and "<script src" not in html


def test_the_trend_labels_every_scan_and_has_a_round_axis() -> None:
    day = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)
    past = [sample(day), sample(day + timedelta(hours=12)), sample(day + timedelta(days=1))]
    report = build_report(sample(WHEN), [record_of(d) for d in past], now=WHEN)
    html = render_report(report, ReportFormat.HTML)
    labels = re.findall(r'rotate\(-30 [\d.]+ \d+\)">([^<]+)</text>', html)
    assert labels == ["11-20 01:00", "11-20 13:00", "11-21", "11-26"]
    assert len(set(labels)) == len(labels)
    assert nice_ticks(57) == [0, 20, 40, 60] and nice_ticks(4) == [0, 1, 2, 3, 4]
    peak = max(max(p.counts.failed, p.counts.passed) for p in report.trend)
    for tick in nice_ticks(peak):
        assert f'text-anchor="end">{tick}</text>' in html
