"""DynamoDB: every table in the region with its point-in-time recovery status."""

from __future__ import annotations

from providers.aws.collectors.detail import AspectReader, ResourceGoneError, map_bounded
from providers.aws.paginate import paginate
from providers.aws.runner import AwsAccount, aws_collection
from providers.aws.session import AwsClients
from scanner.inventory.aws import storage as data

GONE = ("ResourceNotFoundException", "TableNotFoundException")


def fetch_tables(
    clients: AwsClients, region: str, account: AwsAccount
) -> tuple[data.DynamoTable, ...]:
    dynamodb = clients.client("dynamodb", region)
    names = paginate(dynamodb, "list_tables", "TableNames")

    def one(name: str) -> data.DynamoTable | None:
        reader = AspectReader(gone_codes=GONE)
        try:
            raw = reader.read(
                data.DYNAMODB_BACKUPS,
                "dynamodb:DescribeContinuousBackups",
                lambda: dynamodb.describe_continuous_backups(TableName=name),
            )
        except ResourceGoneError:
            return None
        pitr: bool | None = None
        if raw is not None:
            status = (
                raw.get("ContinuousBackupsDescription", {})
                .get("PointInTimeRecoveryDescription", {})
                .get("PointInTimeRecoveryStatus")
            )
            pitr = status == "ENABLED"
        return data.DynamoTable(
            name=name,
            arn=f"arn:{account.partition}:dynamodb:{region}:{account.id}:table/{name}",
            region=region,
            pitr_enabled=pitr,
            unknown=tuple(reader.unknown),
        )

    return tuple(t for t in map_bounded(one, names) if t is not None)


COLLECTIONS = (
    aws_collection(
        data.DYNAMODB_TABLES,
        "dynamodb_tables",
        "dynamodb",
        ("dynamodb:ListTables", "dynamodb:DescribeContinuousBackups"),
        fetch_tables,
        regional=True,
    ),
)
