"""A plain moto server answers iam:ListOrganizationsFeatures (which moto does not implement)
with an HTML 500 page: botocore raises ResponseParserError, which is not a BotoCoreError. The
organization scan goes on; that one collection is an error naming the call, never a crash."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest

from scanner.exit_codes import ExitCode
from tests.aws.local_moto import local_moto
from tests.distributed.support import posture


@pytest.fixture
def organization(aws_env: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with local_moto(monkeypatch) as url:
        org = boto3.client("organizations", region_name="us-east-1")
        org.create_organization(FeatureSet="ALL")
        org.create_account(Email="m@example.com", AccountName="member")
        yield url


def test_an_html_error_page_is_a_collection_error(organization: str, tmp_path: Path) -> None:
    out = tmp_path / "scan.json"
    code = posture(
            "scan", "--provider", "aws", "--org-role", "OrganizationAccountAccessRole",
            "--region", "us-east-1", "--check", "aws.iam.root_mfa_disabled", "--no-history",
            "--quiet", "--format", "json", "--output", str(out),
    )  # fmt: skip
    assert code == ExitCode.PARTIAL
    scan = json.loads(out.read_text())["scan"]
    errors = [e for e in scan["errors"] if e["collection"] == "aws.iam.organizations_features"]
    assert len(errors) == 2  # the management account and the member: each scanned, each named
    assert all("is not an AWS response (ResponseParserError)" in e["message"] for e in errors)
    assert all("<html" not in e["message"].lower() for e in errors)  # the page is not echoed
