"""`posture scan --provider tls` as a user runs it, and its bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scanner.cli import main
from scanner.exit_codes import ExitCode
from tests.tls.conftest import Lab
from tests.unit.test_cli import posture


def test_a_probe_scan_finds_the_defect_and_passes_the_clean_twin(lab: Lab) -> None:
    clean, legacy = lab.endpoints["clean"], lab.endpoints["tls10"]
    done = posture(
        "scan", "--provider", "tls", "--tls-endpoint", clean, "--tls-endpoint", legacy,
        "--tls-ca-file", str(lab.ca_file), "--format", "json", "--no-history",
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    doc = json.loads(done.stdout)
    findings = doc["findings"]
    assert {f["provider"] for f in findings} == {"tls"}
    assert {f["account"] for f in findings} == {"tls"}
    assert all(f["soc2"] == ["CC6.7"] for f in findings)
    assert not [f for f in findings if f["status"] == "error"]
    failing = {(f["resource"]["uid"], f["check_id"]) for f in findings if f["status"] == "fail"}
    assert failing == {
        (legacy, "tls.protocol.legacy_version_accepted"),
        (legacy, "tls.cipher.weak_suite_accepted"),
    }
    assert doc["scan"]["partial"] is False


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--tls-endpoint", "localhost:notaport"], "the port 'notaport' is not a number"),
        (["--tls-endpoint", "localhost:70000"], "not a number from 1 to 65535"),
        (["--tls-endpoint", "localhost", "--tls-ca-file", "/nonexistent/ca.pem"], "does not exist"),
        ([], "the tls provider needs endpoints"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert_usage_error(["scan", "--provider", "tls", "--no-history", *args], message, capsys)


def test_a_ca_file_without_certificates_is_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "ca.pem"
    empty.write_text("not a certificate\n")
    args = ["--tls-endpoint", "localhost:1", "--tls-ca-file", str(empty), "--no-history"]
    assert_usage_error(["scan", "--provider", "tls", *args], "no PEM certificate", capsys)


def assert_usage_error(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == ExitCode.USAGE
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], lines


def test_permissions_say_no_api_permission_and_where_the_traffic_goes() -> None:
    done = posture("permissions", "--provider", "tls")
    assert done.returncode == 0
    assert "needs no cloud or API permissions" in done.stdout
    assert "--tls-endpoint" in done.stdout and "169.254.0.0/16" in done.stdout
