"""Delivery happens only when asked, and every delivery or output problem is found before the
scan: one line, exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from checks.registry import all_checks, select_checks
from scanner.cli import _providers_of, _run
from scanner.config import PostureConfig, parse_config
from scanner.delivery import build_sinks, output_targets, parse_output
from scanner.errors import UsageError
from scanner.output import Format

JIRA = {
    "url": "https://example.atlassian.net",
    "project": "SEC",
    "email": "bot@example.com",
    "token": {"env": "POSTURE_TEST_JIRA_TOKEN"},
}


def config(**sinks: object) -> PostureConfig:
    return parse_config({"sinks": {"jira": JIRA, **sinks}}, "test")


@pytest.fixture(autouse=True)
def _jira_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POSTURE_TEST_JIRA_TOKEN", "token-value")
    monkeypatch.delenv("POSTURE_ALLOW_INSECURE_ENDPOINTS", raising=False)


def test_a_configured_sink_runs_only_when_asked() -> None:
    assert build_sinks(config(), ()) == []
    assert [name for name, _ in build_sinks(config(), ("jira",))] == ["jira"]
    assert [name for name, _ in build_sinks(config(deliver=True), ())] == ["jira"]


def test_a_demo_never_delivers() -> None:
    assert build_sinks(config(deliver=True), (), demo=True) == []
    with pytest.raises(UsageError, match="never delivered"):
        build_sinks(config(), ("jira",), demo=True)


def test_a_plain_http_sink_is_refused_before_the_scan() -> None:
    plain = parse_config(
        {"sinks": {"webhook": {"url": "http://hooks.example.com/x", "secret": {"env": "X"}}}},
        "test",
    )
    with pytest.raises(UsageError, match="plain http"):
        build_sinks(plain, ("webhook",))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("findings.json", Format.JSON),
        ("findings.jsonl", Format.JSONL),
        ("findings.csv", Format.CSV),
        ("findings.sarif", Format.SARIF),
        ("report.md", Format.MARKDOWN),
        ("summary.txt", Format.TABLE),
        ("ocsf=findings.ocsf.json", Format.OCSF),
    ],
)
def test_an_output_format_comes_from_its_file_name(value: str, expected: Format) -> None:
    assert parse_output(value, None).format is expected


def test_an_explicit_format_wins_for_a_plain_path() -> None:
    assert parse_output("findings.json", Format.CSV).format is Format.CSV


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("xml=f.xml", "unknown format 'xml'"),
        ("f.xml", "cannot tell the format"),
        ("findings", "cannot tell the format"),
    ],
)
def test_an_output_whose_format_is_unknown_is_refused(value: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        parse_output(value, None)


def test_an_output_naming_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="is a directory"):
        output_targets([f"json={tmp_path}"], None, PostureConfig())


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = _run(list(argv))
    captured = capsys.readouterr()
    return int(code), captured.out, captured.err


def test_bad_delivery_input_stops_the_scan_before_it_starts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # No AWS credentials exist here: reaching the scan would be a different error.
    code, _, err = run(capsys, "scan", "--provider", "aws", "--output", f"json={tmp_path}")
    assert code == 2 and "is a directory" in err and len(err.strip().splitlines()) == 1
    code, _, err = run(capsys, "scan", "--demo", "--ticket", "webhook")
    assert code == 2 and "never delivered" in err


def test_a_waiver_date_that_is_no_date_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "posture.yaml"
    path.write_text(
        "suppressions:\n  - check: aws.iam.root_mfa_disabled\n    reason: vendor fix pending\n"
        "    owner: secops\n    expires: 2026-13-45\n"
    )
    for argv in (("scan", "--provider", "aws"), ("waivers",)):
        code, _, err = run(capsys, *argv, "--config", str(path))
        assert code == 2 and "suppressions.0.expires" in err
        assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_waivers_refuses_a_waiver_for_a_check_that_does_not_exist(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "posture.yaml"
    path.write_text(
        "suppressions:\n  - check: aws.iam.no_such_check\n    reason: vendor fix pending\n"
        "    owner: secops\n    expires: 2026-12-30\n"
    )
    code, _, err = run(capsys, "waivers", "--config", str(path))
    assert code == 2 and "names no check" in err


def test_permissions_of_the_evidence_provider_and_of_another_providers_checks(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "permissions", "--provider", "evidence")
    assert code == 0 and "needs no cloud permissions" in out
    code, _, err = run(capsys, "permissions", "--provider", "aws", "--check", "okta.*")
    assert code == 2 and "okta checks, not aws ones" in err


def test_checks_list_knows_the_cross_provider_checks(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "checks", "list", "--provider", "identity", "--format", "json")
    assert code == 0 and '"identity.access.orphaned_access"' in out


def test_the_checks_narrow_the_providers() -> None:
    evidence_only = select_checks(all_checks(), (), ("evidence.*",))
    assert _providers_of(("aws", "evidence"), evidence_only) == ("evidence",)
    with_identity = select_checks(all_checks(), (), ("evidence.*", "identity.*"))
    assert _providers_of(("aws", "evidence"), with_identity) == ("aws", "evidence")
