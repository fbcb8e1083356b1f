"""DynamoDB tables without point-in-time recovery."""

from __future__ import annotations

from collections.abc import Iterator

from checks.aws.resources import dynamo_table, not_evaluated
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws import storage as data
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="aws.dynamodb.pitr_disabled",
    title="DynamoDB point-in-time recovery off",
    severity=Severity.MEDIUM,
    category=Category.RETENTION,
    soc2=("A1.2",),
    remediation=(
        "Enable point-in-time recovery (aws dynamodb update-continuous-backups "
        "--point-in-time-recovery-specification PointInTimeRecoveryEnabled=true)."
    ),
    requires=(data.DYNAMODB_TABLES,),
)


def evaluate(inventory: AwsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    for table in inventory.dynamodb_tables:
        unknown = table.unknown_of(data.DYNAMODB_BACKUPS)
        if unknown or table.pitr_enabled is None:
            if unknown:
                yield not_evaluated(dynamo_table(table), unknown, table.region)
            continue
        evidence = {"point_in_time_recovery": table.pitr_enabled}
        yield pass_or_fail(
            dynamo_table(table),
            table.pitr_enabled,
            f"Table {table.name} has point-in-time recovery on.",
            f"Table {table.name} has point-in-time recovery off; enable it so the table "
            "can be restored to any second of the last 35 days.",
            evidence=evidence,
            region=table.region,
        )


CHECK = Check(META, AwsInventory, evaluate)
