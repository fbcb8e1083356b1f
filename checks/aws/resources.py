"""Resource references for AWS findings (uids are ARNs)."""

from __future__ import annotations

from scanner.inventory.aws import AwsInventory, CredentialReportUser, IamRoleDetail
from scanner.models.findings import Resource


def iam_user(user: CredentialReportUser) -> Resource:
    return Resource(uid=user.arn, type="AWS::IAM::User", name=user.name)


def iam_role(role: IamRoleDetail) -> Resource:
    return Resource(uid=role.arn, type="AWS::IAM::Role", name=role.name)


def root_account(inventory: AwsInventory) -> Resource:
    return Resource(
        uid=f"arn:{inventory.partition}:iam::{inventory.account}:root",
        type="AWS::IAM::Root",
        name="root",
    )


def account_setting(inventory: AwsInventory, setting: str) -> Resource:
    """An account-wide IAM setting, such as the password policy."""
    return Resource(
        uid=f"arn:{inventory.partition}:iam::{inventory.account}:{setting}",
        type="AWS::Account::Setting",
        name=setting,
    )
