"""Regions an SCP closes are out of scope (not a missing permission, no partial scan); STS is
always regional; a token rejected in a region says why in one message."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import boto3
import pytest
from botocore.exceptions import ClientError

from checks.registry import all_checks, select_checks
from providers.aws.adapter import build_inventory
from providers.aws.collectors import vpc
from providers.aws.collectors.detail import AspectReader
from providers.aws.errors import outcome_for
from providers.aws.runner import run_collections
from providers.aws.session import AwsClients
from scanner.check import CheckContext
from scanner.config import PostureConfig
from scanner.config.aws import AwsConfig
from scanner.engine import evaluate_check
from scanner.models.enums import Outcome, Status
from scanner.scan import ScanPlan, is_partial, utc_now
from tests.aws.faults import MOTO_ACCOUNT, Faults

# The wording of AWS's access-denied messages (IAM User Guide, "Troubleshoot access denied
# error messages"); EC2 wraps it in UnauthorizedOperation with an encoded message after it.
SCP_EXPLICIT = (
    "You are not authorized to perform this operation. User: "
    "arn:aws:sts::123456789012:assumed-role/posture/scan is not authorized to perform: "
    "ec2:DescribeFlowLogs with an explicit deny in a service control policy. Encoded "
    "authorization failure message: AbCd"
)
SCP_ALLOW_LIST = (
    "User: arn:aws:sts::123456789012:assumed-role/posture/scan is not authorized to perform: "
    "rds:DescribeDBInstances on resource: arn:aws:rds:ap-south-1:123456789012:db:* because no "
    "service control policy allows the rds:DescribeDBInstances action"
)
IDENTITY_DENY = (
    "User: arn:aws:sts::123456789012:assumed-role/posture/scan is not authorized to perform: "
    "kms:ListKeys with an explicit deny in an identity-based policy"
)


def _client_error(code: str, message: str, operation: str) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": message}}, operation)


@pytest.mark.parametrize(
    ("code", "message"),
    [("UnauthorizedOperation", SCP_EXPLICIT), ("AccessDenied", SCP_ALLOW_LIST)],
)
def test_an_scp_denial_in_a_region_is_out_of_scope(code: str, message: str) -> None:
    got = outcome_for(
        "aws.ec2.vpcs", "ap-south-1", _client_error(code, message, "X"), "ec2:DescribeVpcs"
    )
    assert got.outcome is Outcome.OUT_OF_SCOPE
    assert got.missing is None
    assert "service control policy" in got.message and "ap-south-1" in got.message


def test_an_identity_policy_deny_is_still_a_missing_permission() -> None:
    error = _client_error("AccessDeniedException", IDENTITY_DENY, "ListKeys")
    got = outcome_for("aws.kms.keys", "us-east-1", error, "kms:ListKeys")
    assert (got.outcome, got.missing) == (Outcome.ACCESS_DENIED, "kms:ListKeys")


def test_an_scp_denying_an_account_wide_read_names_the_scp() -> None:
    error = _client_error("AccessDenied", SCP_EXPLICIT, "GetAccountSummary")
    got = outcome_for("aws.iam.account_summary", None, error, "iam:GetAccountSummary")
    assert got.outcome is Outcome.ACCESS_DENIED
    assert "service control policy" in (got.missing or "") and "cannot" in got.message


def test_a_region_closed_by_an_scp_leaves_no_gap(clients: AwsClients) -> None:
    for region in ("us-east-1", "eu-west-3"):
        boto3.client("ec2", region_name=region).create_vpc(CidrBlock="10.0.0.0/16")
    Faults(
        clients.client("ec2", "eu-west-3"),
        "DescribeFlowLogs",
        {1: (403, "UnauthorizedOperation", SCP_EXPLICIT)},
    )
    with ThreadPoolExecutor(2) as pool:
        collected = run_collections(
            vpc.COLLECTIONS[:1], ("us-east-1", "eu-west-3"), clients, MOTO_ACCOUNT, pool
        )
    inventory = build_inventory(MOTO_ACCOUNT, ("us-east-1", "eu-west-3"), collected, [])
    closed = [o for o in inventory.errors]
    assert [(o.scope, o.outcome) for o in closed] == [("eu-west-3", Outcome.OUT_OF_SCOPE)]

    checks = select_checks(all_checks(), ["aws"], ["aws.vpc.flow_logs_disabled"])
    config = PostureConfig(aws=AwsConfig(regions=("us-east-1", "eu-west-3")))
    results = evaluate_check(checks[0], inventory, CheckContext(config=config, now=utc_now()))
    assert results and {r.region for r in results} == {"us-east-1"}
    assert all(r.status is Status.FAIL for r in results)  # the us-east-1 verdicts stand
    plan = ScanPlan(providers=("aws",), checks=tuple(checks), config=config)
    assert not is_partial(plan, [inventory])


def test_sts_is_regional_even_when_the_environment_asks_for_legacy(
    aws_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_STS_REGIONAL_ENDPOINTS", "legacy")
    sts = AwsClients(AwsConfig()).client("sts", "us-east-1")
    assert sts.meta.endpoint_url == "https://sts.us-east-1.amazonaws.com"


def test_a_rejected_token_in_a_region_says_what_it_means() -> None:
    error = _client_error(
        "InvalidClientTokenId", "The security token included in the request is invalid.", "X"
    )
    got = outcome_for("aws.ec2.vpcs", "me-south-1", error, "ec2:DescribeVpcs")
    assert got.outcome is Outcome.NOT_AVAILABLE
    assert "me-south-1" in got.message
    assert "not enabled" in got.message and "global STS endpoint" in got.message


def test_a_detail_read_an_scp_denies_names_the_scp() -> None:
    reader = AspectReader()

    def denied() -> dict[str, object]:
        raise _client_error("AccessDenied", SCP_ALLOW_LIST, "GetBucketPolicy")

    assert reader.read("policy", "s3:GetBucketPolicy", denied) is None
    (unknown,) = reader.unknown
    assert unknown.reason == "AccessDenied, denied by a service control policy"
