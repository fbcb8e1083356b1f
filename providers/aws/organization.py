"""AWS Organizations: the member accounts to scan and a role session in each."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from providers.aws.errors import AWS_CALL_ERRORS, error_code
from providers.aws.paginate import paginate
from providers.aws.session import AwsClients
from scanner.errors import CredentialsError

ORGANIZATION_ACTIONS = ("organizations:ListAccounts", "sts:AssumeRole")


@dataclass(frozen=True)
class MemberAccount:
    id: str
    name: str | None = None


def member_accounts(clients: AwsClients, only: tuple[str, ...]) -> list[MemberAccount]:
    """Active accounts of the organization, or just `only` when given."""
    if only:
        return [MemberAccount(account_id) for account_id in dict.fromkeys(only)]
    try:
        accounts = paginate(clients.client("organizations"), "list_accounts", "Accounts")
    except AWS_CALL_ERRORS as exc:
        code = error_code(exc) if isinstance(exc, ClientError) else type(exc).__name__
        raise CredentialsError(
            f"cannot list the organization's accounts ({code}; needs organizations:ListAccounts "
            "from the management or a delegated administrator account); pass --account instead"
        ) from None
    return [
        MemberAccount(a["Id"], a.get("Name"))
        for a in accounts
        if a.get("Status", "ACTIVE") == "ACTIVE" and a.get("State", "ACTIVE") == "ACTIVE"
    ]


def assume_role_credentials(
    clients: AwsClients, partition: str, account_id: str, role_name: str
) -> dict[str, Any]:
    """Temporary credentials in a member account. Raises ClientError/BotoCoreError on failure."""
    response = clients.client("sts").assume_role(
        RoleArn=f"arn:{partition}:iam::{account_id}:role/{role_name}",
        RoleSessionName="posture-scan",
        DurationSeconds=3600,
    )
    credentials: dict[str, Any] = response["Credentials"]
    return credentials
