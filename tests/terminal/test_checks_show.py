"""`posture checks show ID`: what the check is, what it reads, what it needs, what it uses."""

from __future__ import annotations

import json

import pytest

from checks.registry import all_checks
from scanner.commands.checks_show import describe, find_check, thresholds
from scanner.config import PostureConfig
from scanner.errors import UsageError
from tests.terminal.helpers import render
from tests.unit.test_cli import posture


def test_describes_every_part() -> None:
    check = find_check(all_checks(), "okta.admins.too_many_super_admins")
    out = render(describe(check, PostureConfig()), colour=False)
    for part in (
        "Too many Okta super administrators",
        "CC6.3  Role-based access",
        "Remediation:",
        "okta.admin_roles",
        "okta.roles.read",  # the OAuth scope the provider's renderer names
        "okta.thresholds.max_super_admins: 4",
    ):
        assert part in out, part


def test_thresholds_come_from_the_checks_own_module_and_the_config() -> None:
    catalogue = all_checks()
    config = PostureConfig.model_validate({"gcp": {"thresholds": {"kms_rotation_max_days": 30}}})
    rotation = find_check(catalogue, "gcp.kms.key_rotation_too_long")
    assert thresholds(rotation, config) == {"gcp.thresholds.kms_rotation_max_days": 30}
    mfa = find_check(catalogue, "aws.iam.root_mfa_disabled")
    assert thresholds(mfa, PostureConfig()) == {}


def test_cross_provider_check_names_each_providers_permissions() -> None:
    check = find_check(all_checks(), "identity.access.orphaned_access")
    out = render(describe(check, PostureConfig()), colour=False)
    for provider in ("aws:", "azuread:", "okta:", "gcp:", "evidence:"):
        assert f"  {provider}" in out
    assert "iam:GetCredentialReport" in out and "User.Read.All" in out
    assert "no cloud API" in out  # the evidence register reads files


def test_unknown_id_suggests_close_ones() -> None:
    with pytest.raises(UsageError, match=r"did you mean aws\.iam\.user_console_without_mfa"):
        find_check(all_checks(), "aws.iam.user_consol_without_mfa")


def test_cli_json_and_bad_id() -> None:
    ok = posture("checks", "show", "gcp.kms.key_rotation_too_long", "--format", "json")
    assert ok.returncode == 0, ok.stderr
    body = json.loads(ok.stdout)
    assert body["settings"] == {"gcp.thresholds.kms_rotation_max_days": 90}
    assert "cloudkms.cryptoKeys.list" in body["permissions"]["gcp"]
    bad = posture("checks", "show", "nope.nothing.here")
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1
    assert "unknown check id 'nope.nothing.here'" in bad.stderr
