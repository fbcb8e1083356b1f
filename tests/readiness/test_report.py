"""The readiness report: its numbers match the findings document, in HTML and Markdown."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from scanner.cli import main
from scanner.models.enums import Status
from scanner.report.areas import AREAS, area_of
from scanner.report.history import DirectoryHistory, record_of
from scanner.report.model import build_report
from scanner.report.render import ReportFormat, render_report
from tests.readiness.report_documents import parse, sample

WHEN = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
EARLIER = datetime(2026, 11, 19, 12, 0, tzinfo=UTC)


def expected_counts(doc_findings: tuple, status: Status) -> int:  # type: ignore[type-arg]
    return sum(1 for f in doc_findings if f.status is status)


def test_areas_partition_the_findings() -> None:
    doc = sample(WHEN)
    report = build_report(doc, now=WHEN)
    for status, attr in (
        (Status.PASS, "passed"),
        (Status.FAIL, "failed"),
        (Status.ERROR, "errors"),
        (Status.MUTED, "muted"),
    ):
        assert (
            sum(getattr(a.counts, attr) for a in report.areas) == doc.scan.summary.by_status[status]
        )
        assert getattr(report.totals, attr) == doc.scan.summary.by_status[status]
    by_key = {a.area.key: a for a in report.areas}
    assert [a.key for a in AREAS][:3] == ["policies", "access", "risk"]
    assert by_key["vendors"].counts.failed == 1  # the cross-account role (CC9.2)
    assert by_key["vendors"].counts.errors == 1
    assert by_key["logging"].counts.worst is not None
    assert by_key["logging"].counts.worst.value == "critical"
    assert by_key["training"].counts.failed == 1
    assert by_key["change"].counts.verdict == "untested"
    assert area_of(doc.findings[0]).key in by_key


def test_criteria_waivers_and_trend() -> None:
    doc = sample(WHEN)
    past = sample(EARLIER)
    report = build_report(doc, [record_of(past)], now=WHEN)
    cc6 = next(g for g in report.groups if g.key == "CC6")
    cc62 = next(c for c in cc6.criteria if c.id == "CC6.2")
    assert [row.check_id for row in cc62.checks] == ["identity.access.orphaned_access"]
    cc12 = next(c for g in report.groups for c in g.criteria if c.id == "CC1.2")
    assert cc12.checks == () and "CC1.2" in report.criteria_untested
    assert [w.waiver.owner for w in report.waivers] == ["cto@acme.example", "ciso@acme.example"]
    assert report.waivers[0].expired and not report.waivers[1].expired
    assert [p.current for p in report.trend] == [False, True]
    assert report.resolved == 0 and report.new_failures == ()
    fixed = build_report(sample(WHEN, bob_fixed=True), [record_of(past)], now=WHEN)
    assert fixed.resolved == 1
    access = next(a for a in fixed.areas if a.area.key == "access")
    assert access.trend == (1, 0)  # orphaned bob failing last week, fixed now


def test_html_is_self_contained_escaped_and_counts_match() -> None:
    doc = sample(WHEN)
    html = render_report(
        build_report(doc, [record_of(sample(EARLIER))], now=WHEN), ReportFormat.HTML
    )
    parsed = parse(html)
    assert parsed.external == []
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    by_status = doc.scan.summary.by_status
    assert parsed.totals == {
        "fail": by_status[Status.FAIL],
        "pass": by_status[Status.PASS],
        "error": by_status[Status.ERROR],
        "muted": by_status[Status.MUTED],
    }
    assert set(parsed.areas) == {a.key for a in AREAS}
    assert sum(a["fail"] for a in parsed.areas.values()) == by_status[Status.FAIL]
    assert {"CC1.1", "CC6.2", "CC9.2", "A1.1", "C1.1"} <= parsed.criteria
    assert len(parsed.waivers) == 2
    assert "<svg" in html and "Partial scan" in html and "vendors.yaml:7" in html


def test_markdown_report() -> None:
    doc = sample(WHEN)
    md = render_report(build_report(doc, now=WHEN), ReportFormat.MARKDOWN)
    assert md.startswith("# SOC 2 readiness report")
    by_status = doc.scan.summary.by_status
    totals = f"| {by_status[Status.FAIL]} | {by_status[Status.PASS]} | {by_status[Status.ERROR]} |"
    assert totals in md
    assert "| Vendor management | CC9.2 | 2 | 0 | 1 | 1 | 0 | high | failing | 1 |" in md
    assert "Break-glass \\| sealed" in md  # pipes cannot break the table
    assert "#### CC6.2 · User registration, authorisation and removal (failing)" in md
    assert re.search(r"ciso@acme\.example \| 2027-01-31 \(in \d+ days\)", md)


def write_doc(path: Path, when: datetime, **kw: bool) -> None:
    path.write_text(sample(when, **kw).model_dump_json(), encoding="utf-8")


def test_cli_report_from_scan_and_latest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    history = tmp_path / "history"
    history.mkdir()
    write_doc(history / "a.json", EARLIER)
    write_doc(history / "b.json", WHEN, bob_fixed=True)
    out = tmp_path / "report.html"
    with pytest.raises(SystemExit) as done:
        main(["report", "--latest", "--history", str(history), "--output", str(out)])
    assert done.value.code == 0
    html = out.read_text(encoding="utf-8")
    assert parse(html).totals["fail"] == 5  # bob fixed in the latest scan
    assert "<strong data-resolved>1</strong> resolved" in html
    assert DirectoryHistory(history).latest() is not None
    with pytest.raises(SystemExit) as done:
        main(["report", "--scan", str(history / "a.json"), "--format", "markdown"])
    assert done.value.code == 0
    assert "# SOC 2 readiness report" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["report"], "exactly one of --scan FILE or --latest"),
        (["report", "--latest"], "--latest needs the scan history"),
        (["report", "--scan", "{bad}", "--format", "pdf"], "unknown format 'pdf'"),
        (["report", "--scan", "{bad}"], "bad.json:2: not valid JSON"),
        (["report", "--scan", "{notdoc}"], "not a posture findings document"),
        (["report", "--scan", "{missing}"], "cannot read"),
    ],
)
def test_cli_report_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    (tmp_path / "bad.json").write_text('{"a":\n  nope}', encoding="utf-8")
    (tmp_path / "notdoc.json").write_text('{"a": 1}', encoding="utf-8")
    paths = {
        "{bad}": str(tmp_path / "bad.json"),
        "{notdoc}": str(tmp_path / "notdoc.json"),
        "{missing}": str(tmp_path / "missing.json"),
    }
    with pytest.raises(SystemExit) as done:
        main([paths.get(a, a) for a in args])
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_criteria_name_the_checks_that_gave_no_result() -> None:
    from checks.registry import all_checks

    report = build_report(sample(WHEN), now=WHEN, catalogue=[c.meta for c in all_checks()])
    cc6 = next(g for g in report.groups if g.key == "CC6")
    cc61 = next(c for c in cc6.criteria if c.id == "CC6.1")
    silent = {m.id for m in cc61.silent}
    assert "aws.iam.root_mfa_disabled" in silent
    assert "aws.iam.user_console_without_mfa" not in silent  # it has a (muted) result
    html = render_report(report, ReportFormat.HTML)
    assert "<code>aws.iam.root_mfa_disabled</code>" in html


def test_cli_report_reads_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(sample(WHEN).model_dump_json()))
    with pytest.raises(SystemExit) as done:
        main(["report", "--scan", "-", "--format", "md"])
    assert done.value.code == 0
    assert "| Vendor management | CC9.2 |" in capsys.readouterr().out
