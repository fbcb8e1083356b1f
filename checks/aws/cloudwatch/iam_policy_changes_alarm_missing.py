"""No alarm on IAM policy changes."""

from __future__ import annotations

from collections.abc import Iterator

from checks.aws.alarm_coverage import AlarmSpec, api_call, evaluate_alarm
from scanner.check import Check, CheckContext, CheckMeta, CheckResult
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws.monitoring import CLOUDTRAIL_TRAILS, METRIC_ALARMS, METRIC_FILTERS
from scanner.models.enums import Category, Severity

POLICY_EVENTS = (
    "DeleteGroupPolicy",
    "DeleteRolePolicy",
    "DeleteUserPolicy",
    "PutGroupPolicy",
    "PutRolePolicy",
    "PutUserPolicy",
    "CreatePolicy",
    "DeletePolicy",
    "CreatePolicyVersion",
    "DeletePolicyVersion",
    "AttachRolePolicy",
    "DetachRolePolicy",
    "AttachUserPolicy",
    "DetachUserPolicy",
    "AttachGroupPolicy",
    "DetachGroupPolicy",
)

META = CheckMeta(
    id="aws.cloudwatch.iam_policy_changes_alarm_missing",
    title="No alarm on IAM policy changes",
    severity=Severity.MEDIUM,
    category=Category.LOGGING,
    soc2=("CC7.2",),
    remediation="Add a metric filter matching every IAM policy change "
    f"({', '.join(POLICY_EVENTS)}) on the trail's log group and an alarm with a notification "
    "action on its metric.",
    requires=(CLOUDTRAIL_TRAILS, METRIC_FILTERS, METRIC_ALARMS),
)

SPEC = AlarmSpec(
    control="iam-policy-changes-alarm",
    what="IAM policy changes",
    must_match=tuple(api_call("iam.amazonaws.com", name) for name in POLICY_EVENTS),
)


def evaluate(inventory: AwsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    return evaluate_alarm(inventory, SPEC)


CHECK = Check(META, AwsInventory, evaluate)
