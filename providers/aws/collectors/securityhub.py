"""Security Hub: whether the account is subscribed in each region."""

from __future__ import annotations

from botocore.exceptions import ClientError

from providers.aws.errors import error_code
from providers.aws.runner import AwsAccount, aws_collection
from providers.aws.session import AwsClients
from scanner.inventory.aws import monitoring as mon

# DescribeHub answers these when the account is not subscribed in the region; a missing
# permission is AccessDeniedException and stays an access_denied outcome.
NOT_SUBSCRIBED_CODES = frozenset({"InvalidAccessException", "ResourceNotFoundException"})


def fetch_hub(
    clients: AwsClients, region: str, account: AwsAccount
) -> tuple[mon.SecurityHubRegion, ...]:
    try:
        hub = clients.client("securityhub", region).describe_hub()
    except ClientError as exc:
        if error_code(exc) in NOT_SUBSCRIBED_CODES:
            return (mon.SecurityHubRegion(region=region, enabled=False),)
        raise
    return (mon.SecurityHubRegion(region=region, enabled=True, hub_arn=hub.get("HubArn")),)


COLLECTIONS = (
    aws_collection(
        mon.SECURITYHUB_HUB,
        "securityhub",
        "securityhub",
        ("securityhub:DescribeHub",),
        fetch_hub,
        regional=True,
    ),
)
