"""IAM collection against moto, and against recorded responses where moto falls short."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws
from moto.core import set_initial_no_auth_action_count

from checks.registry import all_checks, select_checks
from fixtures import FIXTURES_DIR, load
from providers.aws.adapter import AwsProvider
from providers.aws.collectors.iam import fetch_authorization_details, parse_credential_report
from providers.aws.demo import seed_identity
from providers.aws.runner import AwsAccount
from providers.aws.session import AwsClients
from scanner.config import PostureConfig
from scanner.config.aws import AwsConfig
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws import identity as inv
from scanner.models.enums import Outcome, Severity, Status
from scanner.providers import CollectRequest
from scanner.scan import ScanPlan, exit_code, required_collections, run_scan

pytestmark = pytest.mark.usefixtures("aws_env")
ALL_IAM = frozenset(
    {inv.CREDENTIAL_REPORT, inv.ACCOUNT_SUMMARY, inv.AUTHORIZATION_DETAILS, inv.PASSWORD_POLICY}
)
ONE_REGION = PostureConfig(aws=AwsConfig(regions=("us-east-1",)))
NOW = datetime(2026, 6, 1, tzinfo=UTC)


def collect(config: PostureConfig = ONE_REGION) -> AwsInventory:
    request = CollectRequest(config=config, collections=ALL_IAM, now=NOW)
    (inventory,) = AwsProvider(config).collect(request)
    assert isinstance(inventory, AwsInventory)
    return inventory


@mock_aws(config={"iam": {"load_aws_managed_policies": True}})
def test_collects_the_identity_inventory_in_bulk() -> None:
    seed_identity()
    inventory = collect()
    assert all(o.ok for o in inventory.outcomes)
    report = {u.name: u for u in inventory.credential_report}
    assert set(report) == {"alice", "bob", "carol"}
    assert report["alice"].password_enabled and not report["alice"].mfa_active
    assert report["carol"].mfa_active
    assert len(report["bob"].active_keys) == 2
    # GetCredentialReport's GeneratedTime rides on every row (IAM reuses a report for 4 h).
    assert all(u.report_generated is not None for u in report.values())
    assert inventory.root is not None and inventory.root.mfa_enabled is False
    authz = inventory.authorization
    assert {g.name for g in authz.groups} >= {"admins", "developers"}
    admins = next(g for g in authz.groups if g.name == "admins")
    assert [p.name for p in admins.attached_policies] == ["AdministratorAccess"]
    bob = next(u for u in authz.users if u.name == "bob")
    assert bob.inline_policies[0].document["Statement"] == [
        {"Effect": "Allow", "Action": "*", "Resource": "*"}
    ]
    assert inventory.password_policy == inv.PasswordPolicy(minimum_length=8, reuse_prevention=3)


@mock_aws
def test_missing_password_policy_is_data_not_an_error() -> None:
    inventory = collect()
    assert inventory.password_policy is None
    assert inventory.collected(inv.PASSWORD_POLICY)


@mock_aws
def test_only_requested_collections_are_fetched() -> None:
    config = ONE_REGION
    request = CollectRequest(config=config, collections=frozenset({inv.ACCOUNT_SUMMARY}), now=NOW)
    provider = AwsProvider(config)
    (inventory,) = provider.collect(request)
    assert [o.collection for o in inventory.outcomes] == [inv.ACCOUNT_SUMMARY]


def test_authorization_details_follows_every_page() -> None:
    pages = load("aws/iam/authorization_details_pages.json")
    clients = AwsClients(AwsConfig())
    iam = clients.client("iam")
    filters = ["User", "Group", "Role", "LocalManagedPolicy"]
    with Stubber(iam) as stub:
        stub.add_response("get_account_authorization_details", pages[0], {"Filter": filters})
        stub.add_response(
            "get_account_authorization_details",
            pages[1],
            {"Filter": filters, "Marker": "page-2-marker"},
        )
        stub.add_response(
            "get_account_authorization_details",
            pages[2],
            {"Filter": filters, "Marker": "page-3-marker"},
        )
        details = fetch_authorization_details(
            clients, "us-east-1", AwsAccount("111122223333", "aws")
        )
        stub.assert_no_pending_responses()
    assert [u.name for u in details.users] == ["alice", "svc-deploy"]
    assert details.users[1].inline_policies[0].document["Statement"][0]["Action"] == "*"
    assert details.roles[0].trust_policy["Statement"][0]["Principal"] == {
        "AWS": "arn:aws:iam::444455556666:root"
    }
    # the default version's document, not the first one
    assert details.policies[0].document["Statement"][0]["Action"] == "*"


def test_credential_report_parses_the_real_format_with_root_row() -> None:
    rows = parse_credential_report((FIXTURES_DIR / "aws/iam/credential_report.csv").read_bytes())
    by_name = {r.name: r for r in rows}
    root = by_name["<root_account>"]
    assert root.mfa_active and root.password_last_used == datetime(2026, 5, 30, 8, tzinfo=UTC)
    assert by_name["old-contractor"].password_last_used is None
    deploy = by_name["svc-deploy"]
    assert [k.slot for k in deploy.active_keys] == [1, 2]
    assert deploy.access_keys[0].last_used is None
    assert deploy.access_keys[1].last_used_service == "ecr"
    inactive = by_name["old-contractor"].access_keys
    assert len(inactive) == 1 and not inactive[0].active


def test_credential_report_placeholders_and_signing_certificates() -> None:
    """Columns as in the IAM User Guide, "Getting credential reports": N/A where a credential
    was never used, cert_<n>_active and cert_<n>_last_rotated for X.509 signing certificates."""
    rows = parse_credential_report((FIXTURES_DIR / "aws/iam/credential_report.csv").read_bytes())
    by_name = {r.name: r for r in rows}
    # svc-deploy's first key was never used: its last_used_service is N/A, not a service.
    assert by_name["svc-deploy"].access_keys[0].last_used_service is None
    assert by_name["alice"].access_keys[0].last_used_service == "s3"
    (cert,) = by_name["legacy-soap"].signing_certificates
    assert (cert.slot, cert.active, cert.created) == (1, True, datetime(2021, 4, 2, tzinfo=UTC))
    assert by_name["alice"].signing_certificates == ()


def _limited_credentials(monkeypatch: pytest.MonkeyPatch, deny: list[str]) -> None:
    iam = boto3.client("iam", region_name="us-east-1")
    iam.create_user(UserName="auditor")
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "*", "Resource": "*"},
            {"Effect": "Deny", "Action": deny, "Resource": "*"},
        ],
    }
    iam.put_user_policy(UserName="auditor", PolicyName="p", PolicyDocument=json.dumps(policy))
    key = iam.create_access_key(UserName="auditor")["AccessKey"]
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", key["AccessKeyId"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", key["SecretAccessKey"])


@set_initial_no_auth_action_count(4)
@mock_aws
def test_access_denied_becomes_error_results_and_the_scan_goes_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _limited_credentials(monkeypatch, ["iam:GenerateCredentialReport"])
    checks = select_checks(all_checks(), ["aws"], ["aws.iam.*"])  # moto enforces IAM on IAM
    doc = run_scan(ScanPlan(providers=("aws",), checks=checks, config=ONE_REGION))
    assert doc.scan.partial
    (err,) = doc.scan.errors
    assert err.collection == inv.CREDENTIAL_REPORT
    assert err.outcome == Outcome.ACCESS_DENIED.value
    assert err.missing == "iam:GenerateCredentialReport"
    report_checks = {c.id for c in checks if inv.CREDENTIAL_REPORT in c.meta.requires}
    for finding in doc.findings:
        if finding.check_id in report_checks:
            assert finding.status is Status.ERROR, finding
            assert "iam:GenerateCredentialReport" in finding.message
    statuses = {(f.check_id, f.status) for f in doc.findings}
    assert ("aws.iam.root_mfa_disabled", Status.FAIL) in statuses
    assert ("aws.iam.password_policy_weak", Status.FAIL) in statuses
    assert exit_code(doc, Severity.LOW) == 3


def test_required_collections_come_from_check_metadata() -> None:
    checks = select_checks(all_checks(), ["aws"], ["aws.iam.root_mfa_disabled"])
    # The summary it requires, and what it reads when available (centralised root access).
    assert required_collections(checks) == frozenset(
        {inv.ACCOUNT_SUMMARY, inv.ORGANIZATIONS_FEATURES, inv.CREDENTIAL_REPORT}
    )
