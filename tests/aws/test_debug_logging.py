"""-vv never prints what SDKs see: Lambda environments and session tokens stay off stderr,
unless an SDK's debug output is asked for by name, and then it is redacted."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.cli import _run
from tests.aws.storage.test_lambda_collector import FABRICATED, _seed

SESSION_TOKEN = "IQoJb3JpZ2luX2VjEXAMPLEsessiontokenNotReal42"
ENV_VALUE = FABRICATED


@pytest.fixture
def lambda_with_secret(moto: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_SESSION_TOKEN", SESSION_TOKEN)
    _seed(1)  # a function whose environment holds DB_PASSWORD=FABRICATED


def _scan(tmp_path: Path, capsys: pytest.CaptureFixture[str], *flags: str) -> str:
    capsys.readouterr()
    _run(
        [
            "-vv",
            *flags,
            "scan",
            "--provider",
            "aws",
            "--region",
            "us-east-1",
            "--check",
            "aws.lambda.plaintext_credentials_in_environment",
            "--no-history",
            "--output",
            str(tmp_path / "out.json"),
        ]
    )
    return capsys.readouterr().err


@pytest.mark.usefixtures("lambda_with_secret")
def test_minus_vv_keeps_sdk_internals_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = _scan(tmp_path, capsys)
    assert (tmp_path / "out.json").is_file()
    assert "botocore" not in err and "urllib3" not in err
    assert SESSION_TOKEN not in err and ENV_VALUE not in err


@pytest.mark.usefixtures("lambda_with_secret")
def test_sdk_debug_asked_by_name_is_redacted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = _scan(tmp_path, capsys, "--debug-sdk", "botocore")
    assert "DEBUG botocore" in err and "ListFunctions" in err
    assert SESSION_TOKEN not in err and SESSION_TOKEN[:20] not in err
    assert ENV_VALUE not in err


def test_an_unknown_sdk_name_is_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["--debug-sdk", "nosuchsdk", "checks", "list"]) == 2
    assert "expected one of botocore" in capsys.readouterr().err
