"""Demo seed for identity and access: IAM users, keys, groups, roles and trust policies, each
problem beside a clean twin.

Runs inside moto (the demo and the tests); never against a real account.
"""

from __future__ import annotations

import json

import boto3

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
