"""Is there a metric filter, with an alarm that acts, for a kind of CloudTrail event?

A filter counts only when it sits on a log group that a multi-region trail logging management
events delivers to, catches every sample event of the kind (and not an unrelated event), and
feeds a metric that an alarm with enabled actions watches.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from checks.aws.filter_pattern import catches
from checks.aws.resources import account_control
from checks.aws.trails import any_region_collected, unique_trails
from scanner.check import CheckResult, error, fail, passed
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws.monitoring import METRIC_ALARMS, METRIC_FILTERS, Trail

Event = Mapping[str, Any]

# A complete CloudTrail record, so that filters which also test common fields (source IP,
# user agent, account) see them as a real event would carry them.
ORDINARY_EVENT: Event = {
    "eventVersion": "1.09",
    "userIdentity": {
        "type": "IAMUser",
        "principalId": "AIDAEXAMPLE",
        "arn": "arn:aws:iam::111122223333:user/alice",
        "accountId": "111122223333",
        "userName": "alice",
    },
    "eventTime": "2026-01-01T00:00:00Z",
    "eventSource": "ec2.amazonaws.com",
    "eventName": "DescribeInstances",
    "awsRegion": "us-east-1",
    "sourceIPAddress": "203.0.113.10",
    "userAgent": "aws-cli/2.15.0",
    "requestParameters": {},
    "responseElements": None,
    "requestID": "00000000-0000-0000-0000-000000000000",
    "eventID": "00000000-0000-0000-0000-000000000001",
    "readOnly": True,
    "eventType": "AwsApiCall",
    "managementEvent": True,
    "recipientAccountId": "111122223333",
    "eventCategory": "Management",
}


def api_call(source: str, name: str, **extra: Any) -> Event:
    return {**ORDINARY_EVENT, "eventSource": source, "eventName": name, "readOnly": False, **extra}


@dataclass(frozen=True)
class AlarmSpec:
    control: str
    """Short name for the resource uid, e.g. root-usage-alarm."""
    what: str
    """Words for messages, e.g. 'root user activity'."""
    must_match: tuple[Event, ...]
    must_not_match: tuple[Event, ...] = (ORDINARY_EVENT,)


@dataclass(frozen=True)
class _Target:
    trail: Trail
    region: str
    account: str
    group: str


def _target(trail: Trail) -> _Target | None:
    # arn:aws:logs:<region>:<account>:log-group:<name>[:*]
    parts = (trail.cloudwatch_log_group_arn or "").split(":")
    if len(parts) < 7 or parts[5] != "log-group":
        return None
    return _Target(trail, parts[3], parts[4], parts[6])


def _targets(inventory: AwsInventory) -> list[_Target]:
    found = [
        _target(t)
        for t in unique_trails(inventory)
        if t.multi_region and t.logs_management_events and t.cloudwatch_log_group_arn
    ]
    return [t for t in found if t is not None]


def _coverage(inventory: AwsInventory, target: _Target, spec: AlarmSpec) -> dict[str, Any]:
    filters = [
        f
        for f in inventory.metric_filters
        if f.region == target.region
        and f.log_group == target.group
        and catches(f.pattern, spec.must_match, spec.must_not_match)
    ]
    alarms_seen: list[str] = []
    for metric_filter in filters:
        for metric in metric_filter.metrics:
            for alarm in inventory.metric_alarms:
                if alarm.region != target.region or metric not in alarm.metrics:
                    continue
                alarms_seen.append(alarm.name)
                if alarm.actions_enabled and alarm.alarm_actions:
                    return {
                        "trail": target.trail.arn,
                        "log_group": target.group,
                        "metric_filter": metric_filter.name,
                        "metric": f"{metric[0]}/{metric[1]}",
                        "alarm": alarm.arn or alarm.name,
                    }
    return {
        "log_group": target.group,
        "matching_filters": [f.name for f in filters],
        "alarms_without_actions": alarms_seen,
    }


def evaluate_alarm(inventory: AwsInventory, spec: AlarmSpec) -> Iterator[CheckResult]:
    if not any_region_collected(inventory):
        return
    resource = account_control(inventory, "cloudwatch", spec.control)
    targets = _targets(inventory)
    if not targets:
        yield fail(
            resource,
            f"No multi-region trail logging management events delivers to CloudWatch Logs, so "
            f"nothing alarms on {spec.what}; send the trail to a log group and add a filter "
            "and alarm.",
            evidence={"monitored_log_groups": []},
        )
        return
    examined: list[dict[str, Any]] = []
    unknown: list[_Target] = []
    for target in targets:
        if target.account != inventory.account or target.region not in inventory.scopes:
            unknown.append(target)
            continue
        if not (
            inventory.collected(METRIC_FILTERS, target.region)
            and inventory.collected(METRIC_ALARMS, target.region)
        ):
            unknown.append(target)
            continue
        coverage = _coverage(inventory, target, spec)
        if "alarm" in coverage:
            yield passed(
                resource,
                f"Alarm {coverage['alarm']} fires on {spec.what} (filter "
                f"{coverage['metric_filter']} on {target.group}).",
                evidence=coverage,
                region=target.region,
            )
            return
        examined.append({"region": target.region, **coverage})
    outside = [
        t for t in unknown if t.account != inventory.account or t.region not in inventory.scopes
    ]
    if outside and not examined:
        first = outside[0]
        yield error(
            resource,
            f"Not evaluated: log group {first.group} ({first.account}, {first.region}) is "
            "outside the scanned account or regions.",
            evidence={"log_group_arn": first.trail.cloudwatch_log_group_arn},
        )
        return
    if unknown:
        return  # the engine reports the collections that failed; a verdict would be a guess
    yield fail(
        resource,
        f"No metric filter with an alarm that has actions watches for {spec.what}; add a "
        "filter on the trail's log group and an alarm that notifies someone.",
        evidence={"examined": examined},
    )
