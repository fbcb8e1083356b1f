"""`posture permissions --provider X`: every cloud and identity provider, as a user runs it."""

from __future__ import annotations

import json

import pytest
import yaml

from tests.unit.test_cli import posture


@pytest.mark.parametrize(
    ("provider", "expected"),
    [
        ("aws", ("sts:GetCallerIdentity", "iam:GenerateCredentialReport", "kms:ListKeys")),
        (
            "gcp",
            (
                "includedPermissions",
                "resourcemanager.projects.getIamPolicy",
                "storage.buckets.list",
                "compute.sslPolicies.list",
                "roles/iam.securityReviewer",
            ),
        ),
        ("azuread", ("User.Read.All", "Policy.Read.All", "RoleManagement.Read.Directory")),
        ("okta", ("okta.users.read", "okta.apiTokens.read", "Super Administrator")),
    ],
)
def test_every_provider_prints_its_least_privilege(
    provider: str, expected: tuple[str, ...]
) -> None:
    result = posture("permissions", "--provider", provider)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() and result.stderr == ""
    for item in expected:
        assert item in result.stdout, item


def test_formats_are_machine_readable_where_the_provider_takes_a_file() -> None:
    aws = json.loads(posture("permissions", "--provider", "aws").stdout)
    assert aws["Statement"][0]["Effect"] == "Allow"
    gcp = yaml.safe_load(posture("permissions", "--provider", "gcp").stdout)
    assert "storage.buckets.list" in gcp["includedPermissions"]


@pytest.mark.parametrize(
    ("provider", "check", "present", "absent"),
    [
        ("aws", "aws.kms.key_rotation_disabled", "kms:GetKeyRotationStatus", "iam:"),
        ("gcp", "gcp.sql.backups_disabled", "cloudsql.instances.list", "storage."),
        ("azuread", "azuread.*mfa*", "AuditLog.Read.All", "Application.Read.All"),
        ("okta", "okta.logging.no_active_log_stream", "okta.logStreams.read", "okta.users"),
    ],
)
def test_check_narrows_the_output(provider: str, check: str, present: str, absent: str) -> None:
    result = posture("permissions", "--provider", provider, "--check", check)
    assert result.returncode == 0, result.stderr
    assert present in result.stdout and absent not in result.stdout


def test_unknown_provider_is_one_line_and_exit_2() -> None:
    result = posture("permissions", "--provider", "nope")
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "unknown provider 'nope'" in lines[0]


def test_scan_help_lists_every_provider() -> None:
    result = posture("scan", "--help")
    assert result.returncode == 0
    for name in ("aws", "gcp", "azuread", "okta", "evidence"):
        assert name in result.stdout, name
