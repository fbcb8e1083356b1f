"""Files and URLs an attacker (or an accident) hands posture: one line and exit 2, never a
traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.cli import _run
from scanner.config.secrets import SecretRef
from scanner.endpoints import validate_endpoint
from scanner.errors import ConfigError, UsageError


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = _run(list(argv))
    return int(code), capsys.readouterr().err


def one_line(err: str) -> bool:
    return "Traceback" not in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("url", ["https://[::1", "https://host:port/x", "http://[fe80::1%"])
def test_a_malformed_endpoint_is_bad_input(url: str) -> None:
    with pytest.raises(UsageError, match="not a valid URL"):
        validate_endpoint(url, "webhook url")


def test_a_config_that_is_not_utf8_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "posture.yaml"
    path.write_bytes(b"fail_on: \xff\xfe high\n")
    code, err = run(capsys, "scan", "--provider", "aws", "--config", str(path))
    assert code == 2 and "not UTF-8" in err and one_line(err)


def test_a_deeply_nested_config_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "posture.yaml"
    path.write_text("checks: " + "[" * 5000 + "]" * 5000 + "\n")
    code, err = run(capsys, "scan", "--provider", "aws", "--config", str(path))
    assert code == 2 and one_line(err)


def test_a_token_file_that_is_not_utf8_names_the_file(tmp_path: Path) -> None:
    token = tmp_path / "token"
    token.write_bytes(b"\xff\xfe\x00secret")
    with pytest.raises(ConfigError, match="is not UTF-8 text"):
        SecretRef(file=token).resolve("sinks.jira.token")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe{}", "not UTF-8"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (
            b'{"schema_version": "1.1.0", "scan": ' + b'{"a": ' * 3000 + b"1" + b"}" * 3001,
            "nested too deeply",
        ),
    ],
)
def test_a_hostile_findings_document_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    code, err = run(capsys, "diff", str(bad), str(bad))
    assert code == 2 and message in err and one_line(err)
