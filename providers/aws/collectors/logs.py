"""CloudWatch Logs: log groups (retention, encryption) and metric filters."""

from __future__ import annotations

from providers.aws.paginate import paginate
from providers.aws.runner import AwsAccount, aws_collection
from providers.aws.session import AwsClients
from scanner.inventory.aws import monitoring as mon


def fetch_log_groups(
    clients: AwsClients, region: str, account: AwsAccount
) -> tuple[mon.LogGroup, ...]:
    groups = paginate(clients.client("logs", region), "describe_log_groups", "logGroups")
    return tuple(
        mon.LogGroup(
            # logGroupArn is the ARN without the trailing ":*" that `arn` carries.
            arn=g.get("logGroupArn") or str(g.get("arn", "")).removesuffix(":*"),
            name=g["logGroupName"],
            region=region,
            retention_days=g.get("retentionInDays"),
            kms_key_id=g.get("kmsKeyId") or None,
        )
        for g in groups
    )


def fetch_metric_filters(
    clients: AwsClients, region: str, account: AwsAccount
) -> tuple[mon.MetricFilter, ...]:
    filters = paginate(clients.client("logs", region), "describe_metric_filters", "metricFilters")
    return tuple(
        mon.MetricFilter(
            name=f["filterName"],
            region=region,
            log_group=f.get("logGroupName", ""),
            pattern=f.get("filterPattern", ""),
            metrics=tuple(
                (t.get("metricNamespace", ""), t.get("metricName", ""))
                for t in f.get("metricTransformations", [])
            ),
        )
        for f in filters
    )


COLLECTIONS = (
    aws_collection(
        mon.LOG_GROUPS,
        "log_groups",
        "logs",
        ("logs:DescribeLogGroups",),
        fetch_log_groups,
        regional=True,
    ),
    aws_collection(
        mon.METRIC_FILTERS,
        "metric_filters",
        "logs",
        ("logs:DescribeMetricFilters",),
        fetch_metric_filters,
        regional=True,
    ),
)
