"""Secrets Manager: every secret's rotation settings (ListSecrets never returns values)."""

from __future__ import annotations

from providers.aws.paginate import paginate
from providers.aws.runner import AwsAccount, aws_collection
from providers.aws.session import AwsClients
from scanner.inventory.aws import storage as data


def fetch_secrets(clients: AwsClients, region: str, account: AwsAccount) -> tuple[data.Secret, ...]:
    listed = paginate(clients.client("secretsmanager", region), "list_secrets", "SecretList")
    return tuple(
        data.Secret(
            name=str(s["Name"]),
            arn=str(s["ARN"]),
            region=region,
            rotation_enabled=bool(s.get("RotationEnabled")),
            rotation_days=(s.get("RotationRules") or {}).get("AutomaticallyAfterDays"),
            last_rotated=s.get("LastRotatedDate"),
            last_accessed=s.get("LastAccessedDate"),
            owning_service=s.get("OwningService"),
        )
        for s in listed
        if not s.get("DeletedDate")
    )


COLLECTIONS = (
    aws_collection(
        data.SECRETS,
        "secrets",
        "secretsmanager",
        ("secretsmanager:ListSecrets",),
        fetch_secrets,
        regional=True,
    ),
)
