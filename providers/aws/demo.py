"""An embedded demo account: moto in-process, seeded with realistic misconfigurations.

No credentials and no network: the first thing a newcomer runs.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

import boto3
from moto import mock_aws
from moto.moto_api._internal import mock_random

from providers.aws.demo_monitoring import seed_monitoring
from providers.aws.demo_storage import seed_storage
from scanner.config import PostureConfig

DEMO_REGIONS = ("us-east-1", "eu-west-1")
DEMO_RANDOM_SEED = 20261126
VENDOR_ACCOUNT = "999988887777"
_FAKE_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",  # moto's placeholder, not a credential
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}


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


def seed_all() -> None:
    """Every part of the demo account."""
    seed_identity()
    seed_storage()
    seed_monitoring()


@contextmanager
def demo_environment(config: PostureConfig) -> Iterator[PostureConfig]:
    """Starts the in-process moto account and narrows the scan to its regions."""
    env = {**_FAKE_ENV}
    removed = ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE")
    with (
        mock.patch.dict(os.environ, env),
        mock_aws(
            config={
                "iam": {"load_aws_managed_policies": True},
                "lambda": {"use_docker": False},
            }
        ),
    ):
        for name in removed:
            os.environ.pop(name, None)
        # Same resource ids on every run, so the demo's fingerprints are stable too.
        mock_random.seed(DEMO_RANDOM_SEED)
        seed_all()
        regions = config.aws.regions or DEMO_REGIONS
        aws = config.aws.model_copy(update={"regions": regions, "profile": None})
        yield config.model_copy(update={"aws": aws})
