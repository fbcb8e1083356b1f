"""A credential report IAM reused (GeneratedTime hours before the scan) is re-checked against
IAM's current answers for the users it would flag (moto serves GetLoginProfile,
ListMFADevices and ListAccessKeys in botocore's shapes)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import boto3
import pytest

from providers.aws.collectors.iam_refresh import refresh_stale_rows
from scanner.inventory.aws.identity import AccessKey, CredentialReportUser

pytestmark = pytest.mark.usefixtures("moto")
NOW = datetime.now(UTC)
STALE = NOW - timedelta(hours=3)


def _row(name: str, **kw: object) -> CredentialReportUser:
    return CredentialReportUser.model_validate(
        {
            "name": name,
            "arn": f"arn:aws:iam::123456789012:user/{name}",
            "created": NOW - timedelta(days=400),
            "password_enabled": False,
            "mfa_active": False,
            "report_generated": STALE,
            **kw,
        }
    )


def test_fixes_made_after_the_report_are_seen() -> None:
    iam = boto3.client("iam", region_name="us-east-1")
    for name in ("mfa-added", "password-removed", "rotated", "untouched"):
        iam.create_user(UserName=name)
    # mfa-added: a console user who enabled an MFA device after the report.
    iam.create_login_profile(UserName="mfa-added", Password="Seed-Passw0rd-not-real!")
    serial = iam.create_virtual_mfa_device(VirtualMFADeviceName="mfa-added")["VirtualMFADevice"][
        "SerialNumber"
    ]
    iam.enable_mfa_device(
        UserName="mfa-added",
        SerialNumber=serial,
        AuthenticationCode1="123456",
        AuthenticationCode2="654321",
    )
    # rotated: the reported key deactivated, a new one created.
    old = iam.create_access_key(UserName="rotated")["AccessKey"]
    iam.update_access_key(UserName="rotated", AccessKeyId=old["AccessKeyId"], Status="Inactive")
    time.sleep(1.1)  # the report dates keys to the second: the new one must not share it
    new = iam.create_access_key(UserName="rotated")["AccessKey"]
    iam.create_login_profile(UserName="untouched", Password="Seed-Passw0rd-not-real!")
    rows = [
        _row("mfa-added", password_enabled=True),
        _row("password-removed", password_enabled=True),
        _row(
            "rotated",
            access_keys=(AccessKey(slot=1, active=True, created=old["CreateDate"]),),
        ),
        _row("untouched", password_enabled=True),
    ]
    got = {r.name: r for r in refresh_stale_rows(iam, rows, STALE, NOW)}
    assert got["mfa-added"].mfa_active and got["mfa-added"].refreshed
    assert not got["password-removed"].password_enabled
    keys = got["rotated"].access_keys
    assert [(k.slot, k.active) for k in keys] == [(1, False), (2, True)]
    assert keys[1].created is not None
    assert keys[1].created.replace(microsecond=0) == new["CreateDate"].replace(microsecond=0)
    assert got["untouched"].password_enabled and not got["untouched"].mfa_active
    assert got["untouched"].refreshed


def test_a_fresh_report_is_taken_as_it_is() -> None:
    iam = boto3.client("iam", region_name="us-east-1")
    rows = [_row("gone-user", password_enabled=True)]  # no such user: no call is made
    assert refresh_stale_rows(iam, rows, NOW - timedelta(minutes=1), NOW) == rows
