"""The command line as a user meets it: one clear line and exit 2 for bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from scanner.schema import findings_schema


def posture(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "scanner.cli", *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=cwd,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["scan", "--provider", "nope"], "unknown provider 'nope'"),
        (["scan", "--provider", "aws", "--format", "yaml"], "unknown format 'yaml'"),
        (["scan", "--provider", "aws", "--fail-on", "urgent"], "unknown severity 'urgent'"),
        (["scan", "--provider", "aws", "--check", "aws.iam.nope"], "unknown check id"),
        (["scan", "--provider", "aws", "--config", "/nonexistent/posture.yaml"], "config file"),
        (["scan", "--bogus-flag"], "No such option"),
        (["scan"], "no provider given"),
        (["checks", "list", "--provider", "nope"], "unknown provider"),
        (["checks", "list", "--format", "sarif"], "format 'sarif' is not written here"),
        (["diff", "old.json", "new.json", "--format", "csv"], "expected one of: table, json"),
        (["history", "--format", "markdown"], "format 'markdown' is not written here"),
        (["waivers", "--format", "ocsf"], "format 'ocsf' is not written here"),
    ],
)
def test_bad_input_gets_one_line_and_exit_2(args: list[str], message: str) -> None:
    result = posture(*args)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("aws: [unclosed", "not valid YAML"),
        (
            "aws:\n  thresholds:\n    access_key_max_age_days: soon\n",
            "aws.thresholds.access_key_max_age_days",
        ),
        ("aws:\n  regoins: [us-east-1]\n", "aws.regoins"),
        ("- just\n- a list\n", "expected a mapping"),
    ],
)
def test_malformed_config_names_the_problem(tmp_path: Path, content: str, message: str) -> None:
    config = tmp_path / "posture.yaml"
    config.write_text(content)
    result = posture("scan", "--provider", "aws", "--config", str(config))
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and message in result.stderr


def test_unknown_region_is_bad_input() -> None:
    result = posture("scan", "--demo", "--provider", "aws", "--region", "us-nowhere-9")
    assert result.returncode == 2 and "unknown AWS region 'us-nowhere-9'" in result.stderr


def test_demo_json_is_valid_and_exit_code_is_1(tmp_path: Path) -> None:
    out = tmp_path / "f.json"
    result = posture(
        "scan", "--demo", "--provider", "aws", "--format", "json", "--output", str(out)
    )
    assert result.returncode == 1, result.stderr
    doc = json.loads(out.read_text())
    jsonschema.validate(doc, findings_schema())
    failing = {
        (f["check_id"], f["resource"]["name"]) for f in doc["findings"] if f["status"] == "fail"
    }
    assert ("aws.iam.user_console_without_mfa", "alice") in failing
    assert ("aws.iam.user_has_admin", "bob") in failing
    assert ("aws.iam.role_cross_account_without_external_id", "vendor-monitoring") in failing
    assert ("aws.iam.role_cross_account_without_external_id", "vendor-backup") not in failing
    assert not any(name == "carol" for _, name in failing)
    assert "Demo-Passw0rd" not in out.read_text()
    assert not list(tmp_path.glob(".*.tmp"))


def test_fail_on_threshold_controls_exit_code() -> None:
    result = posture(
        "scan",
        "--demo",
        "--provider",
        "aws",
        "--fail-on",
        "critical",
        "--check",
        "aws.iam.user_direct_policies",
        "--format",
        "json",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["scan"]["checks_run"] == 1


def test_checks_list_json() -> None:
    result = posture("checks", "list", "--provider", "aws", "--format", "json")
    assert result.returncode == 0
    catalogue = json.loads(result.stdout)
    mfa = next(c for c in catalogue if c["id"] == "aws.iam.user_console_without_mfa")
    assert mfa["soc2"] == ["CC6.1"] and mfa["severity"] == "high"


def test_table_output_when_not_a_terminal_is_plain_text() -> None:
    result = posture("scan", "--demo", "--provider", "aws")
    assert result.returncode == 1
    assert "aws.iam.user_console_without_mfa" in result.stdout
    assert "\x1b[" not in result.stdout  # no colour codes, no progress display in cron
    assert result.stderr == ""


def _wait_for_sigterm_handler(pid: int, timeout: float = 60) -> None:
    """Until posture has installed its SIGTERM handler (SigCgt in /proc), however slow imports."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = Path(f"/proc/{pid}/status").read_text()
        caught = int(
            next(line for line in status.splitlines() if line.startswith("SigCgt:")).split()[1], 16
        )
        if caught & (1 << (15 - 1)):
            return
        time.sleep(0.05)
    raise AssertionError("posture never installed its SIGTERM handler")


def test_sigterm_leaves_no_output_and_exits_143(tmp_path: Path) -> None:
    import signal
    import time

    out = tmp_path / "f.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "scanner.cli",
            "scan",
            "--demo",
            "--provider",
            "aws",
            "--format",
            "json",
            "--output",
            str(out),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    _wait_for_sigterm_handler(proc.pid)
    time.sleep(0.5)  # into the demo's set-up or the scan
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 143, stderr
    assert "terminated" in stderr and "Traceback" not in stderr
    assert list(tmp_path.iterdir()) == []


def test_unknown_aws_profile_is_bad_input(tmp_path: Path) -> None:
    result = posture(
        "scan",
        "--provider",
        "aws",
        env={"AWS_PROFILE": "nope", "AWS_CONFIG_FILE": str(tmp_path / "none")},
    )
    assert result.returncode == 2
    assert result.stderr.strip() == "posture: error: AWS profile 'nope' not found"
