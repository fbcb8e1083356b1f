"""KMS and CloudTrail denied: their checks say error, IAM still fails where it should, exit 3."""

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


# The seeding below runs before IAM is enforced; every call of the scan is checked.
@set_initial_no_auth_action_count(6)
@mock_aws
def test_denied_services_are_errors_and_the_rest_still_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    iam = boto3.client("iam", region_name="us-east-1")
    iam.create_user(UserName="alice")
    iam.create_login_profile(UserName="alice", Password="Seed-Passw0rd-not-real!")
    boto3.client("kms", region_name="us-east-1").create_key(Description="no rotation")
    iam.create_user(UserName="scanner")
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "*", "Resource": "*"},
            {"Effect": "Deny", "Action": ["kms:*", "cloudtrail:*"], "Resource": "*"},
        ],
    }
    iam.put_user_policy(UserName="scanner", PolicyName="p", PolicyDocument=json.dumps(policy))
    key = iam.create_access_key(UserName="scanner")["AccessKey"]
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", key["AccessKeyId"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", key["SecretAccessKey"])

    checks = select_checks(all_checks(), ["aws"], ["aws.iam.*", "aws.kms.*", "aws.cloudtrail.*"])
    config = PostureConfig(aws=AwsConfig(regions=("us-east-1",)))
    doc = run_scan(ScanPlan(providers=("aws",), checks=checks, config=config))

    denied = {(e.collection.split(".")[1], e.outcome) for e in doc.scan.errors}
    assert denied and {service for service, _ in denied} <= {"kms", "cloudtrail"}
    assert {outcome for _, outcome in denied} == {"access_denied"}
    assert all((e.missing or "").split(":")[0] in {"kms", "cloudtrail"} for e in doc.scan.errors)
    for finding in doc.findings:
        if finding.check_id.startswith(("aws.kms.", "aws.cloudtrail.")):
            assert finding.status is Status.ERROR, finding
    failing = {(f.check_id, f.resource.name) for f in doc.findings if f.status is Status.FAIL}
    assert ("aws.iam.user_console_without_mfa", "alice") in failing
    assert exit_code(doc, Severity.LOW) == 3
