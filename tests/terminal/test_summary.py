"""What a scan prints on a terminal: a compact summary, then the findings grouped by account
and check (title and remediation once, resources under it); --details lists every row."""

from __future__ import annotations

from scanner.history import HistoryStore
from scanner.models.enums import Severity, Status
from scanner.models.findings import ScanTarget
from scanner.output import table as table_output
from scanner.output.table import RESOURCES_PER_CHECK, View, pass_rate_line
from tests.nightly.documents import document, finding, golden_document
from tests.terminal.helpers import render


def _named(doc, names: dict[str, str]):  # type: ignore[no-untyped-def]
    targets = tuple(ScanTarget(provider="aws", account=a, account_name=n) for a, n in names.items())
    return doc.model_copy(update={"scan": doc.scan.model_copy(update={"targets": targets})})


def test_pass_rate_counts_pass_and_fail_and_says_what_it_leaves_out() -> None:
    line = pass_rate_line({Status.PASS: 3, Status.FAIL: 1, Status.ERROR: 2, Status.MUTED: 1})
    assert line.startswith("Pass rate 75%: 3 of 4 results pass, 1 fail")
    assert "1 muted and 2 not evaluated are not counted" in line
    assert pass_rate_line({}).startswith("Pass rate n/a")


def test_summary_has_criteria_and_account_tables_then_groups() -> None:
    out = render(table_output.build(golden_document()), colour=False)
    assert out.index("Pass rate") < out.index("SOC 2 criteria") < out.index("Failing by provider")
    assert out.index("Failing by provider") < out.index("Failing (3)")
    criteria = out[out.index("SOC 2 criteria") : out.index("Failing by provider")]
    assert "CC6.1" in criteria and "CC6.2" in criteria
    assert "Not evaluated (1)" in out
    assert "Collection errors:" in out and "needs iam:ListUsers" in out


def test_a_check_is_one_block_with_its_resources() -> None:
    findings = [finding("aws.iam.user_console_without_mfa", f"user{i}") for i in range(3)]
    out = render(table_output.build(document(findings)), colour=False)
    assert out.count("Title of aws.iam.user_console_without_mfa") == 1
    assert out.count("Fix: Fix it.") == 1
    for i in range(3):
        assert f"- user{i}" in out
    assert "user0: aws.iam.user_console_without_mfa is fail." not in out  # no repeated message


def test_a_long_group_is_cut_with_a_count() -> None:
    n = RESOURCES_PER_CHECK + 5
    findings = [finding("aws.iam.user_has_admin", f"u{i:02d}") for i in range(n)]
    out = render(table_output.build(document(findings)), colour=False)
    assert "... and 5 more (--details lists every row)" in out
    rows = render(table_output.build(document(findings), View(details=True)), colour=False)
    assert all(f"u{i:02d}" in rows for i in range(n))
    assert "u00: aws.iam.user_has_admin is fail." in rows


def test_groups_are_by_account_with_display_names_and_severity_order() -> None:
    findings = [
        finding("aws.iam.user_has_admin", "bob", account="111111111111", severity=Severity.LOW),
        finding(
            "aws.iam.root_mfa_disabled", "root", account="111111111111", severity=Severity.CRITICAL
        ),
        finding("aws.iam.user_has_admin", "eve", account="222222222222"),
    ]
    doc = _named(
        document(findings, accounts=("111111111111", "222222222222")),
        {"111111111111": "Acme Production", "222222222222": "Acme Staging"},
    )
    out = render(table_output.build(doc), colour=False)
    assert "aws · Acme Production (111111111111)" in out
    assert "aws · Acme Staging (222222222222)" in out
    prod = out[out.index("Acme Production (1111") : out.index("Acme Staging (2222")]
    assert prod.index("CRITICAL") < prod.index("LOW")
    accounts_table = out[out.index("Failing by provider") : out.index("Failing (3)")]
    assert "Acme Production" in accounts_table and "Acme Staging" in accounts_table
    rows = render(table_output.build(doc, View(details=True)), colour=False)
    assert (
        "account"
        in rows.splitlines()[
            rows.splitlines().index(
                next(line for line in rows.splitlines() if "severity" in line and "check" in line)
            )
        ]
    )
    assert "Acme Staging" in rows


def test_one_account_needs_no_account_column() -> None:
    rows = render(table_output.build(golden_document(), View(details=True)), colour=False)
    header = next(line for line in rows.splitlines() if "severity" in line and "check" in line)
    assert "account" not in header


def test_status_filter_lists_only_those_but_counts_everything() -> None:
    doc = golden_document()
    out = render(table_output.build(doc, View(statuses=frozenset({Status.MUTED}))), colour=False)
    assert "Muted by a waiver (1)" in out and "waived by secops" in out
    assert "Failing (" not in out
    assert "3 fail" in out  # the summary still counts every result
    every = render(table_output.build(doc, View(frozenset(Status), details=True)), colour=False)
    assert "Passing (1)" in every and "carol" in every


def test_closing_lines_point_to_the_report_and_history() -> None:
    out = render(
        table_output.build(golden_document(), closing=["Readiness report: posture report"]),
        colour=False,
    )
    assert out.rstrip().endswith("Readiness report: posture report")


def test_history_table_is_inert(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    from scanner.cli import main
    from tests.terminal.helpers import assert_inert, hostile_document

    doc = hostile_document()
    bad = doc.model_copy(
        update={
            "scan": doc.scan.model_copy(
                update={"targets": (ScanTarget(provider="aws", account="\x1b]0;pwned\x07[bold]"),)}
            )
        }
    )
    path = tmp_path / "h.sqlite3"
    with HistoryStore(path) as store:
        store.record(bad)
    try:
        main(["history", "--state", str(path)])
    except SystemExit as exit_:
        assert exit_.code == 0
    out = capsys.readouterr().out
    assert_inert(out)
    assert "aws:[bold]" in out  # the OSC sequence is gone whole; the markup prints as written
