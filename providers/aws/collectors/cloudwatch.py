"""CloudWatch: metric alarms and the metrics they watch."""

from __future__ import annotations

from typing import Any

from providers.aws.paginate import paginate
from providers.aws.runner import AwsAccount, aws_collection
from providers.aws.session import AwsClients
from scanner.inventory.aws import monitoring as mon


def _metrics(alarm: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """The watched metric, or every metric a metric-math alarm reads."""
    found: list[tuple[str, str]] = []
    if alarm.get("MetricName"):
        found.append((alarm.get("Namespace", ""), alarm["MetricName"]))
    for query in alarm.get("Metrics", []):
        metric = query.get("MetricStat", {}).get("Metric", {})
        if metric.get("MetricName"):
            found.append((metric.get("Namespace", ""), metric["MetricName"]))
    return tuple(dict.fromkeys(found))


def fetch_metric_alarms(
    clients: AwsClients, region: str, account: AwsAccount
) -> tuple[mon.MetricAlarm, ...]:
    alarms = paginate(
        clients.client("cloudwatch", region),
        "describe_alarms",
        "MetricAlarms",
        AlarmTypes=["MetricAlarm"],
    )
    return tuple(
        mon.MetricAlarm(
            name=a["AlarmName"],
            arn=a.get("AlarmArn", ""),
            region=region,
            metrics=_metrics(a),
            actions_enabled=bool(a.get("ActionsEnabled", True)),
            alarm_actions=tuple(a.get("AlarmActions", [])),
        )
        for a in alarms
    )


COLLECTIONS = (
    aws_collection(
        mon.METRIC_ALARMS,
        "metric_alarms",
        "cloudwatch",
        ("cloudwatch:DescribeAlarms",),
        fetch_metric_alarms,
        regional=True,
    ),
)
