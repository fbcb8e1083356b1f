from __future__ import annotations

import pytest

from checks.aws.cloudwatch import (
    cloudtrail_changes_alarm_missing,
    console_login_without_mfa_alarm_missing,
    iam_policy_changes_alarm_missing,
    root_usage_alarm_missing,
    unauthorized_api_calls_alarm_missing,
)
from checks.aws.filter_pattern import PatternError, parse
from scanner.inventory.aws import monitoring as mon
from scanner.models.enums import Outcome, Status
from tests.aws.regional_builders import ACCOUNT, context, engine_results, inventory

ROOT = (
    '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS '
    '&& $.eventType != "AwsServiceEvent" }'
)
UNAUTHORIZED = '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }'
NO_MFA = '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }'
IAM = (
    "{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)"
    "||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)"
    "||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)"
    "||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)"
    "||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)"
    "||($.eventName=DetachGroupPolicy)}"
)
TRAIL = (
    "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) "
    "|| ($.eventName = StartLogging) || ($.eventName = StopLogging) }"
)
GROUP_ARN = f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:trail-logs:*"
TOPIC = f"arn:aws:sns:us-east-1:{ACCOUNT}:alerts"


def trail(**kw: object) -> mon.Trail:
    base: dict[str, object] = {
        "arn": f"arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/main",
        "name": "main",
        "region": "us-east-1",
        "home_region": "us-east-1",
        "owner_account": ACCOUNT,
        "multi_region": True,
        "is_logging": True,
        "management_read": True,
        "management_write": True,
        "log_file_validation": True,
        "cloudwatch_log_group_arn": GROUP_ARN,
    }
    base.update(kw)
    return mon.Trail.model_validate(base)


def metric_filter(
    name: str, pattern: str, group: str = "trail-logs", region: str = "us-east-1"
) -> mon.MetricFilter:
    return mon.MetricFilter(
        name=name, region=region, log_group=group, pattern=pattern, metrics=(("CIS", name),)
    )


def alarm(
    metric: str,
    actions: tuple[str, ...] = (TOPIC,),
    enabled: bool = True,
    region: str = "us-east-1",
) -> mon.MetricAlarm:
    return mon.MetricAlarm(
        name=f"alarm-{metric}",
        arn=f"arn:aws:cloudwatch:{region}:{ACCOUNT}:alarm:alarm-{metric}",
        region=region,
        metrics=(("CIS", metric),),
        actions_enabled=enabled,
        alarm_actions=actions,
    )


CHECKS = {
    "root": (root_usage_alarm_missing.CHECK, ROOT),
    "unauthorized": (unauthorized_api_calls_alarm_missing.CHECK, UNAUTHORIZED),
    "nomfa": (console_login_without_mfa_alarm_missing.CHECK, NO_MFA),
    "iam": (iam_policy_changes_alarm_missing.CHECK, IAM),
    "trail": (cloudtrail_changes_alarm_missing.CHECK, TRAIL),
}


def statuses(check, inv):  # type: ignore[no-untyped-def]
    return [(r.status, r.region) for r in check.evaluate(inv, context())]


@pytest.mark.parametrize("kind", sorted(CHECKS))
def test_complete_setup_passes_in_the_log_group_region(kind: str) -> None:
    check, pattern = CHECKS[kind]
    inv = inventory(
        trails=(trail(),),
        metric_filters=(metric_filter(kind, pattern),),
        metric_alarms=(alarm(kind),),
    )
    assert statuses(check, inv) == [(Status.PASS, "us-east-1")]


@pytest.mark.parametrize("kind", sorted(CHECKS))
def test_each_filter_serves_only_its_own_check(kind: str) -> None:
    others = [k for k in CHECKS if k != kind]
    inv = inventory(
        trails=(trail(),),
        metric_filters=tuple(metric_filter(k, CHECKS[k][1]) for k in others),
        metric_alarms=tuple(alarm(k) for k in others),
    )
    assert statuses(CHECKS[kind][0], inv) == [(Status.FAIL, None)]


@pytest.mark.parametrize(
    ("what", "changes"),
    [
        ("alarm without actions", {"metric_alarms": (alarm("root", actions=()),)}),
        ("alarm actions disabled", {"metric_alarms": (alarm("root", enabled=False),)}),
        ("no alarm", {"metric_alarms": ()}),
        (
            "filter on another group",
            {"metric_filters": (metric_filter("root", ROOT, group="app"),)},
        ),
        (
            "filter in another region",
            {"metric_filters": (metric_filter("root", ROOT, region="eu-west-1"),)},
        ),
        ("trail not multi-region", {"trails": (trail(multi_region=False),)}),
        ("trail not logging", {"trails": (trail(is_logging=False),)}),
        ("trail without log group", {"trails": (trail(cloudwatch_log_group_arn=None),)}),
        (
            "too narrow",
            {
                "metric_filters": (
                    metric_filter("root", ROOT[:-1] + ' && $.eventName = "CreateUser" }'),
                )
            },
        ),
        ("catch-all", {"metric_filters": (metric_filter("root", '{ $.eventVersion = "*" }'),)}),
        ("not json", {"metric_filters": (metric_filter("root", "Root"),)}),
    ],
)
def test_root_alarm_fails_when_any_link_is_missing(what: str, changes: dict[str, object]) -> None:
    fields: dict[str, object] = {
        "trails": (trail(),),
        "metric_filters": (metric_filter("root", ROOT),),
        "metric_alarms": (alarm("root"),),
    }
    fields.update(changes)
    inv = inventory(**fields)
    assert [s for s, _ in statuses(root_usage_alarm_missing.CHECK, inv)] == [Status.FAIL], what


def test_console_filter_that_ignores_mfa_does_not_count() -> None:
    inv = inventory(
        trails=(trail(),),
        metric_filters=(metric_filter("nomfa", '{ $.eventName = "ConsoleLogin" }'),),
        metric_alarms=(alarm("nomfa"),),
    )
    assert statuses(console_login_without_mfa_alarm_missing.CHECK, inv) == [(Status.FAIL, None)]


def test_iam_filter_missing_one_event_does_not_count() -> None:
    partial = IAM.replace("||($.eventName=DetachGroupPolicy)", "")
    inv = inventory(
        trails=(trail(),),
        metric_filters=(metric_filter("iam", partial),),
        metric_alarms=(alarm("iam"),),
    )
    assert statuses(iam_policy_changes_alarm_missing.CHECK, inv) == [(Status.FAIL, None)]


def test_no_verdict_when_the_log_group_region_was_not_collected() -> None:
    inv = inventory(
        {(mon.METRIC_FILTERS, "us-east-1"): Outcome.ACCESS_DENIED},
        trails=(trail(),),
    )
    results = engine_results(root_usage_alarm_missing.CHECK, inv)
    assert [(r.status, r.region) for r in results] == [(Status.ERROR, "us-east-1")]


def test_log_group_outside_scanned_regions_is_an_error() -> None:
    inv = inventory(
        trails=(trail(cloudwatch_log_group_arn=GROUP_ARN.replace("us-east-1", "ap-south-1")),)
    )
    assert [s for s, _ in statuses(root_usage_alarm_missing.CHECK, inv)] == [Status.ERROR]


def test_filter_pattern_parser() -> None:
    predicate = parse('{ ($.a.b[0] = "x*") && ($.n >= 3) || $.flag IS TRUE }')
    assert predicate({"a": {"b": ["xyz"]}, "n": 3})
    assert not predicate({"a": {"b": ["xyz"]}, "n": 2})
    assert predicate({"flag": True})
    assert not predicate({"flag": "true"})
    assert parse("{ $.eventName = %^Put.*Policy$% }")({"eventName": "PutUserPolicy"})
    for bad in ("Root", "{ $.a = }", "{ $.a = 1 ", "{ $.a == 1 }"):
        with pytest.raises(PatternError):
            parse(bad)


@pytest.mark.parametrize(
    ("kind", "pattern"),
    [
        (
            "unauthorized",
            '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") '
            '&& ($.sourceIPAddress != "delivery.logs.amazonaws.com") '
            '&& ($.eventName != "HeadBucket") }',
        ),
        (
            "nomfa",
            '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") '
            '&& ($.userIdentity.type = "IAMUser") '
            '&& ($.responseElements.ConsoleLogin = "Success") }',
        ),
        (
            "iam",
            "{ ($.eventSource = iam.amazonaws.com) && (" + IAM[1:-1] + ") }",
        ),
    ],
)
def test_later_cis_variants_count(kind: str, pattern: str) -> None:
    check, _ = CHECKS[kind]
    inv = inventory(
        trails=(trail(),),
        metric_filters=(metric_filter(kind, pattern),),
        metric_alarms=(alarm(kind),),
    )
    assert statuses(check, inv) == [(Status.PASS, "us-east-1")]
