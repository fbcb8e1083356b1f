"""A hostile or broken AWS environment: one line and exit 2, and nothing signed sent in clear."""

from __future__ import annotations

from pathlib import Path

import pytest

from providers.aws.session import AwsClients, check_endpoint_environment
from scanner.cli import _run
from scanner.config.aws import AwsConfig
from scanner.endpoints import ALLOW_INSECURE_ENV
from scanner.errors import UsageError

pytestmark = pytest.mark.usefixtures("aws_env")


def _scan(capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = int(_run(["scan", "--provider", "aws"]))
    return code, capsys.readouterr().err


def test_a_malformed_aws_config_file_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config"
    config.write_text("[default\nregion = us-east-1\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    code, err = _scan(capsys)
    assert code == 2 and "Traceback" not in err
    assert err.strip().splitlines() == [
        f"posture: error: cannot parse {config} (AWS_CONFIG_FILE): not a valid INI file"
    ]


@pytest.mark.parametrize(
    ("name", "url"),
    [
        ("AWS_ENDPOINT_URL", "http://aws.attacker.example"),
        ("AWS_ENDPOINT_URL_STS", "http://10.1.2.3:8080"),
        ("AWS_ENDPOINT_URL_S3", "http://[::ffff:8.8.8.8]"),
    ],
)
def test_plain_http_to_another_host_is_refused_even_when_insecure_is_allowed(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], name: str, url: str
) -> None:
    monkeypatch.setenv(name, url)
    monkeypatch.setenv(ALLOW_INSECURE_ENV, "1")
    code, err = _scan(capsys)
    assert code == 2 and name in err and "only for loopback" in err and "Traceback" not in err


def test_plain_http_to_loopback_needs_the_insecure_switch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:5000")
    with pytest.raises(UsageError, match="clear text"):
        check_endpoint_environment()
    monkeypatch.setenv(ALLOW_INSECURE_ENV, "1")
    check_endpoint_environment()
    monkeypatch.setenv("AWS_ENDPOINT_URL_STS", "https://sts.internal.example")
    monkeypatch.delenv(ALLOW_INSECURE_ENV)
    check_endpoint_environment()


def test_an_endpoint_from_the_config_file_follows_the_same_rule(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config"
    config.write_text("[default]\nendpoint_url = http://aws.attacker.example\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    with pytest.raises(UsageError, match="the AWS sts endpoint"):
        AwsClients(AwsConfig()).client("sts")
