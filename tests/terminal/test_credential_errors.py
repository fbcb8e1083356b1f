"""A missing credential names the variables that would supply it, per provider."""

from __future__ import annotations

from pathlib import Path

import pytest

from providers.azuread.adapter import sign_in_failed
from providers.gcp.clients import ADC_FILE_ENV, GcpClients
from scanner.config.gcp import GcpConfig
from scanner.errors import CredentialsError
from tests.unit.test_cli import posture


def test_azure_without_secret_or_cli_names_the_variables() -> None:
    message = sign_in_failed("Azure CLI not found on path")
    for name in ("AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET", "az login"):
        assert name in message
    assert sign_in_failed("AADSTS7000215 invalid secret") == (
        "Azure AD sign-in failed: AADSTS7000215 invalid secret"
    )


def test_azure_cli_missing_is_one_line_naming_the_variables(tmp_path: Path) -> None:
    result = posture(
        "scan",
        "--provider",
        "azuread",
        "--no-history",
        env={"PATH": str(tmp_path), "HOME": str(tmp_path)},
    )
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "AZURE_CLIENT_SECRET" in lines[0], result.stderr


def test_gcp_says_the_named_credentials_file_is_missing(tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    clients = GcpClients(GcpConfig(), {ADC_FILE_ENV: str(missing)})
    with pytest.raises(CredentialsError, match=f"{ADC_FILE_ENV} names .*nope.json, which is not"):
        clients.credentials("cloudresourcemanager")
    configured = GcpClients(GcpConfig(credentials_file=missing), {})
    with pytest.raises(CredentialsError, match=r"gcp\.credentials_file .*nope\.json: no such file"):
        configured.credentials("cloudresourcemanager")


def test_aws_without_credentials_names_the_variables(tmp_path: Path) -> None:
    result = posture(
        "scan",
        "--provider",
        "aws",
        "--no-history",
        env={
            "HOME": str(tmp_path),
            "AWS_CONFIG_FILE": str(tmp_path / "none"),
            "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "none"),
            "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_DEFAULT_REGION": "us-east-1",
        },
    )
    assert result.returncode == 2, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    for name in ("AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "aws sso login"):
        assert name in result.stderr


def test_okta_without_an_org_names_the_variables() -> None:
    result = posture("scan", "--provider", "okta", "--no-history")
    assert result.returncode == 2
    assert "OKTA_CLIENT_ORGURL" in result.stderr and "OKTA_CLIENT_TOKEN" in result.stderr
