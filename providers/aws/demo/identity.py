"""Demo seed for identity and access: IAM users, keys, groups, roles and trust policies, each
problem beside a clean twin.

Runs inside moto (the demo and the tests); never against a real account.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from unittest import mock

import boto3
from moto.iam.models import IAMBackend

VENDOR_ACCOUNT = "999988887777"


def _trust(principal: dict[str, object], condition: dict[str, object] | None = None) -> str:
    statement: dict[str, object] = {
        "Effect": "Allow",
        "Principal": principal,
        "Action": "sts:AssumeRole",
    }
    if condition:
        statement["Condition"] = condition
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def seed_identity(region: str = "us-east-1") -> None:
    """Users, groups, roles and policies with the problems auditors find most."""
    iam = boto3.client("iam", region_name=region)
    admin_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
    iam.create_group(GroupName="admins")
    iam.attach_group_policy(GroupName="admins", PolicyArn=admin_arn)
    iam.create_group(GroupName="developers")
    iam.attach_group_policy(
        GroupName="developers", PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess"
    )
    # alice: console user without MFA, and an administrator through her group.
    iam.create_user(UserName="alice")
    iam.create_login_profile(UserName="alice", Password="Demo-Passw0rd-not-real!")  # noqa: S106 (demo data)
    iam.add_user_to_group(GroupName="admins", UserName="alice")
    # bob: two active keys and a directly attached inline admin policy.
    iam.create_user(UserName="bob")
    iam.create_access_key(UserName="bob")
    iam.create_access_key(UserName="bob")
    iam.put_user_policy(
        UserName="bob",
        PolicyName="break-glass",
        PolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
            }
        ),
    )
    # carol: a clean developer with MFA, in a group.
    iam.create_user(UserName="carol")
    iam.create_login_profile(UserName="carol", Password="Demo-Passw0rd-not-real!")  # noqa: S106 (demo data)
    iam.add_user_to_group(GroupName="developers", UserName="carol")
    device = iam.create_virtual_mfa_device(VirtualMFADeviceName="carol")
    iam.enable_mfa_device(
        UserName="carol",
        SerialNumber=device["VirtualMFADevice"]["SerialNumber"],
        AuthenticationCode1="123456",
        AuthenticationCode2="654321",
    )
    # A vendor role without an external id, and a guarded one.
    iam.create_role(
        RoleName="vendor-monitoring",
        AssumeRolePolicyDocument=_trust({"AWS": f"arn:aws:iam::{VENDOR_ACCOUNT}:root"}),
    )
    iam.create_role(
        RoleName="vendor-backup",
        AssumeRolePolicyDocument=_trust(
            {"AWS": f"arn:aws:iam::{VENDOR_ACCOUNT}:root"},
            {"StringEquals": {"sts:ExternalId": "demo-external-id"}},
        ),
    )
    iam.update_account_password_policy(MinimumPasswordLength=8, PasswordReusePrevention=3)


ROOT_LAST_SIGN_IN_DAYS_AGO = 3


def _root_row(account: str, now: datetime) -> str:
    """The `<root_account>` row every real credential report starts with (moto leaves it out),
    in the documented form: root has no password columns of its own ("not_supported"), and
    here it signed in to the console a few days ago without MFA and has no access keys."""
    stamp = "%Y-%m-%dT%H:%M:%S+00:00"
    created = (now - timedelta(days=900)).strftime(stamp)
    used = (now - timedelta(days=ROOT_LAST_SIGN_IN_DAYS_AGO)).strftime(stamp)
    columns = [
        "<root_account>",
        f"arn:aws:iam::{account}:root",
        created,
        "not_supported",  # password_enabled
        used,  # password_last_used
        "not_supported",  # password_last_changed
        "not_supported",  # password_next_rotation
        "false",  # mfa_active
        *("false", "N/A", "N/A", "N/A", "N/A") * 2,  # access keys 1 and 2
        *("false", "N/A") * 2,  # signing certificates 1 and 2
    ]
    return ",".join(columns) + "\n"


@contextmanager
def root_in_credential_report() -> Iterator[None]:
    """Puts the root row into moto's credential report for as long as the demo runs."""
    original = IAMBackend.get_credential_report

    def with_root(backend: IAMBackend) -> str:
        header, _, users = original(backend).partition("\n")
        return f"{header}\n{_root_row(backend.account_id, datetime.now(UTC))}{users}"

    with mock.patch.object(IAMBackend, "get_credential_report", with_root):
        yield
