"""--severity, --soc2 and --exclude-check choose what runs (the exit code follows); --status
only chooses what is listed; bad values are one line and exit 2."""

from __future__ import annotations

import pytest

from checks.registry import all_checks
from scanner.diff import diff
from scanner.errors import UsageError
from scanner.filters import (
    criterion_matches,
    narrow_checks,
    of_severities,
    parse_criteria,
    parse_severities,
    parse_statuses,
)
from scanner.models.enums import Severity, Status
from tests.nightly.documents import golden_document
from tests.unit.test_cli import posture


def test_severity_forms() -> None:
    assert parse_severities(["high+"]) == {Severity.HIGH, Severity.CRITICAL}
    assert parse_severities(["high"]) == {Severity.HIGH}
    assert parse_severities(["low, critical"]) == {Severity.LOW, Severity.CRITICAL}
    assert parse_severities(["info+"]) == set(Severity)
    assert parse_severities(["MEDIUM+", "info"]) == {
        Severity.MEDIUM,
        Severity.HIGH,
        Severity.CRITICAL,
        Severity.INFO,
    }
    assert parse_severities([]) == frozenset()


@pytest.mark.parametrize("bad", ["urgent", "high++", ",", "hi+"])
def test_bad_severity_is_usage_error(bad: str) -> None:
    with pytest.raises(UsageError, match="--severity"):
        parse_severities([bad])


def test_statuses() -> None:
    assert parse_statuses(["fail,error", "MUTED"]) == {Status.FAIL, Status.ERROR, Status.MUTED}
    with pytest.raises(UsageError, match="unknown status 'failed'"):
        parse_statuses(["failed"])


def test_criteria_match_by_prefix_not_by_digits() -> None:
    assert criterion_matches("CC6.1", "CC6")
    assert criterion_matches("CC6.1", "CC6.1")
    assert not criterion_matches("CC6.10", "CC6.1")
    assert not criterion_matches("CC60.1", "CC6")
    assert parse_criteria(["cc6.1,CC7"]) == ("CC6.1", "CC7")
    with pytest.raises(UsageError, match="no Trust Services Criterion"):
        parse_criteria(["CC99"])


def test_narrow_checks_by_criterion_and_severity() -> None:
    catalogue = all_checks()
    cc61 = narrow_checks(catalogue, frozenset(), ("CC6.1",))
    assert cc61 and all("CC6.1" in c.meta.soc2 for c in cc61)
    assert len(narrow_checks(catalogue, frozenset(), ("CC6",))) >= len(cc61)
    high = narrow_checks(catalogue, parse_severities(["high+"]), ())
    assert high and {c.meta.severity for c in high} <= {Severity.HIGH, Severity.CRITICAL}
    both = narrow_checks(catalogue, parse_severities(["critical"]), ("CC6.1",))
    assert set(both) == set(high) & set(cc61) & {
        c for c in catalogue if c.meta.severity is Severity.CRITICAL
    }


def test_diff_severity_filter_narrows_every_list() -> None:
    changes = of_severities(diff(None, golden_document()), frozenset({Severity.CRITICAL}))
    assert [f.check_id for f in changes.new] == ["aws.iam.root_mfa_disabled"]
    assert not changes.unchanged and not changes.not_evaluated


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--severity", "urgent+"], "unknown severity 'urgent'"),
        (["--status", "failing"], "unknown status 'failing'"),
        (["--soc2", "XX1.1"], "no Trust Services Criterion"),
        (["--exclude-check", "aws.nope.*"], "unknown pattern 'aws.nope.*'"),
        (["--soc2", "P8"], "leaves no check to run"),  # a real criterion no AWS check maps to
    ],
)
def test_bad_filter_is_one_line_exit_2(args: list[str], message: str) -> None:
    result = posture("scan", "--provider", "aws", *args)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr


def test_a_selection_that_leaves_nothing_is_bad_input() -> None:
    result = posture("scan", "--provider", "evidence", "--severity", "critical", "--soc2", "A1.3")
    assert result.returncode == 2 and "leaves no check to run" in result.stderr
