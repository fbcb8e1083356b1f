"""Centralised root access, read from IAM and Organizations.

moto does not implement iam:ListOrganizationsFeatures, so its answers are replayed with
botocore's Stubber in the shapes of botocore's models: iam 2010-05-08 service-2.json
(ListOrganizationsFeaturesResponse: OrganizationId, EnabledFeatures of FeatureType; the errors
AccountNotManagementOrDelegatedAdministratorException, OrganizationNotFoundException, …) and
organizations 2016-11-28 service-2.json (DescribeOrganizationResponse.Organization).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from botocore.stub import Stubber

from checks.registry import all_checks, select_checks
from providers.aws.collectors import iam
from providers.aws.runner import AwsAccount, run_collections
from providers.aws.session import AwsClients
from scanner.config import PostureConfig
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws import identity as inv
from scanner.models.enums import Outcome
from scanner.scan import ScanPlan, is_partial

MEMBER = AwsAccount(id="111122223333", partition="aws")
ORGANIZATION = {
    "Organization": {
        "Id": "o-a1b2c3d4e5",
        "Arn": "arn:aws:organizations::999988887777:organization/o-a1b2c3d4e5",
        "FeatureSet": "ALL",
        "MasterAccountArn": "arn:aws:organizations::999988887777:account/o-a1b2c3d4e5/999988887777",
        "MasterAccountId": "999988887777",
        "MasterAccountEmail": "aws-root@example.com",
    }
}
FEATURES_COLLECTION = next(c for c in iam.COLLECTIONS if c.name == inv.ORGANIZATIONS_FEATURES)


def _stubbed(clients: AwsClients) -> tuple[Stubber, Stubber]:
    return (
        Stubber(clients.client("organizations", "us-east-1")),
        Stubber(clients.client("iam", "us-east-1")),
    )


def test_features_of_the_organization(offline_clients: AwsClients) -> None:
    organizations, iam_stub = _stubbed(offline_clients)
    organizations.add_response("describe_organization", ORGANIZATION)
    iam_stub.add_response(
        "list_organizations_features",
        {"OrganizationId": "o-a1b2c3d4e5", "EnabledFeatures": ["RootCredentialsManagement"]},
    )
    with organizations, iam_stub:
        got = iam.fetch_organizations_features(offline_clients, "us-east-1", MEMBER)
    assert got == inv.OrganizationsFeatures(
        organization_id="o-a1b2c3d4e5",
        enabled_features=("RootCredentialsManagement",),
        management_account="999988887777",
    )
    assert got.manages_root_of(MEMBER.id) and not got.manages_root_of("999988887777")


def test_an_account_outside_organizations_has_no_central_root_access(
    offline_clients: AwsClients,
) -> None:
    organizations, iam_stub = _stubbed(offline_clients)
    organizations.add_client_error(
        "describe_organization", "AWSOrganizationsNotInUseException", http_status_code=400
    )
    with organizations, iam_stub:  # IAM is not asked at all
        got = iam.fetch_organizations_features(offline_clients, "us-east-1", MEMBER)
    assert got == inv.OrganizationsFeatures()


def test_trusted_access_off_means_no_central_root_access(offline_clients: AwsClients) -> None:
    organizations, iam_stub = _stubbed(offline_clients)
    organizations.add_response("describe_organization", ORGANIZATION)
    iam_stub.add_client_error(
        "list_organizations_features", "ServiceAccessNotEnabledException", http_status_code=400
    )
    with organizations, iam_stub:
        got = iam.fetch_organizations_features(offline_clients, "us-east-1", MEMBER)
    assert got.enabled_features == () and got.management_account == "999988887777"


def _run(clients: AwsClients, account: AwsAccount) -> Any:
    with ThreadPoolExecutor(1) as pool:
        return run_collections([FEATURES_COLLECTION], ("us-east-1",), clients, account, pool)


def test_a_member_cannot_list_the_features_itself_and_the_scan_is_not_partial(
    offline_clients: AwsClients,
) -> None:
    organizations, iam_stub = _stubbed(offline_clients)
    organizations.add_response("describe_organization", ORGANIZATION)
    iam_stub.add_client_error(
        "list_organizations_features",
        "AccountNotManagementOrDelegatedAdministratorException",
        http_status_code=400,
    )
    with organizations, iam_stub:
        collected = _run(offline_clients, MEMBER)
    (outcome,) = collected.outcomes
    assert outcome.outcome is Outcome.NOT_AVAILABLE
    assert "management account" in (outcome.missing or "")
    inventory = AwsInventory(account=MEMBER.id, outcomes=tuple(collected.outcomes))
    checks = select_checks(all_checks(), ["aws"], ["aws.iam.root_mfa_disabled"])
    plan = ScanPlan(providers=("aws",), checks=tuple(checks), config=PostureConfig())
    assert not is_partial(plan, [inventory])


def test_an_organization_scan_hands_the_management_view_to_members(
    offline_clients: AwsClients,
) -> None:
    """Read once from the management account, the features need no call in the member."""
    features = inv.OrganizationsFeatures(
        organization_id="o-a1b2c3d4e5",
        enabled_features=("RootCredentialsManagement",),
        management_account="999988887777",
    )
    member = AwsAccount(id=MEMBER.id, partition="aws", organizations_features=features)
    organizations, iam_stub = _stubbed(offline_clients)
    with organizations, iam_stub:  # any call would fail the Stubber
        collected = _run(offline_clients, member)
    assert collected.fields() == {"organizations_features": features}
