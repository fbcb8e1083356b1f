"""AWS Organizations: every active member scanned through its role; one failure is reported."""

from __future__ import annotations

import json

import boto3
import pytest
from moto import mock_aws
from moto.core import set_initial_no_auth_action_count

from checks.registry import all_checks, select_checks
from scanner.config import PostureConfig
from scanner.config.aws import AwsConfig
from scanner.models.enums import Severity, Status
from scanner.scan import ScanPlan, exit_code, run_scan

pytestmark = pytest.mark.usefixtures("aws_env")
ROLE = "PostureAudit"


def _member_with_console_user(account_id: str, user: str, with_role: bool = False) -> None:
    """A console user without MFA in the member; `with_role` also creates the audit role
    (needed where moto enforces IAM)."""
    creds = boto3.client("sts").assume_role(
        RoleArn=f"arn:aws:iam::{account_id}:role/{ROLE}", RoleSessionName="seed"
    )["Credentials"]
    iam = boto3.client(
        "iam",
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )
    iam.create_user(UserName=user)
    iam.create_login_profile(UserName=user, Password="Seed-Passw0rd-not-real!")
    if with_role:
        trust = {
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": "sts:AssumeRole",
                    "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
                }
            ]
        }
        iam.create_role(RoleName=ROLE, AssumeRolePolicyDocument=json.dumps(trust))
        everything = {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
        }
        iam.put_role_policy(
            RoleName=ROLE, PolicyName="audit", PolicyDocument=json.dumps(everything)
        )


def _organization() -> tuple[str, str]:
    org = boto3.client("organizations")
    org.create_organization(FeatureSet="ALL")
    ids = []
    for name in ("prod", "staging"):
        status = org.create_account(Email=f"{name}@example.com", AccountName=name)
        ids.append(status["CreateAccountStatus"]["AccountId"])
    return ids[0], ids[1]


def _plan(**aws: object) -> ScanPlan:
    config = PostureConfig(aws=AwsConfig.model_validate({"regions": ["us-east-1"], **aws}))
    checks = select_checks(all_checks(), ["aws"], ["aws.iam.user_console_without_mfa"])
    return ScanPlan(providers=("aws",), checks=checks, config=config)


@mock_aws
def test_every_member_account_is_scanned_through_the_role() -> None:
    prod, staging = _organization()
    _member_with_console_user(prod, "prod-admin")
    _member_with_console_user(staging, "staging-dev")
    doc = run_scan(_plan(org_role=ROLE))
    failing = {(f.account, f.resource.name) for f in doc.findings if f.status is Status.FAIL}
    assert (prod, "prod-admin") in failing and (staging, "staging-dev") in failing
    assert {t.account for t in doc.scan.targets} >= {prod, staging}
    assert {t.account_name for t in doc.scan.targets} >= {"prod", "staging"}
    assert not doc.scan.partial


# Calls before IAM is enforced: the seeding below, and nothing of the scan's.
@set_initial_no_auth_action_count(11)
@mock_aws
def test_an_account_whose_role_cannot_be_assumed_is_reported_and_the_rest_go_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    prod, staging = _organization()
    _member_with_console_user(prod, "prod-admin", with_role=True)
    iam = boto3.client("iam")
    iam.create_user(UserName="scanner")
    deny_staging = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "*", "Resource": "*"},
            {
                "Effect": "Deny",
                "Action": "sts:AssumeRole",
                "Resource": f"arn:aws:iam::{staging}:role/*",
            },
        ],
    }
    iam.put_user_policy(UserName="scanner", PolicyName="p", PolicyDocument=json.dumps(deny_staging))
    key = iam.create_access_key(UserName="scanner")["AccessKey"]
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", key["AccessKeyId"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", key["SecretAccessKey"])

    doc = run_scan(_plan(org_role=ROLE, accounts=[prod, staging]))
    failing = {(f.account, f.resource.name) for f in doc.findings if f.status is Status.FAIL}
    assert (prod, "prod-admin") in failing
    staging_findings = [f for f in doc.findings if f.account == staging]
    assert staging_findings and all(f.status is Status.ERROR for f in staging_findings)
    assert "could not assume role PostureAudit" in staging_findings[0].message or any(
        "sts:AssumeRole" in (e.missing or "") for e in doc.scan.errors
    )
    assert doc.scan.partial and exit_code(doc, Severity.LOW) == 3
