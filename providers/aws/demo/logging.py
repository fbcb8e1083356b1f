"""Demo seed for logging and monitoring: trails, log groups, metric filters and alarms,
threat detection and configuration recording, each problem beside a clean twin.

Runs inside moto (the demo and the tests); never against a real account.
"""

from __future__ import annotations

from providers.aws.demo.regions import HOME, OTHER, client

TRAIL_GROUP = "/demo/cloudtrail"
ALARM_NAMESPACE = "CISBenchmark"

ROOT_FILTER = (
    '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS '
    '&& $.eventType != "AwsServiceEvent" }'
)
UNAUTHORIZED_FILTER = (
    '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }'
)
CONSOLE_NO_MFA_FILTER = (
    '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") '
    '&& ($.userIdentity.userName = "nobody") }'
)


def _alarm(region: str, name: str, metric: str, actions: list[str]) -> None:
    client("cloudwatch", region_name=region).put_metric_alarm(
        AlarmName=name,
        MetricName=metric,
        Namespace=ALARM_NAMESPACE,
        Statistic="Sum",
        Period=300,
        EvaluationPeriods=1,
        Threshold=1,
        ComparisonOperator="GreaterThanOrEqualToThreshold",
        AlarmActions=actions,
    )


def _filter(name: str, pattern: str) -> None:
    client("logs", region_name=HOME).put_metric_filter(
        logGroupName=TRAIL_GROUP,
        filterName=name,
        filterPattern=pattern,
        metricTransformations=[
            {"metricName": name, "metricNamespace": ALARM_NAMESPACE, "metricValue": "1"}
        ],
    )


def seed_trails(account: str) -> None:
    """A clean multi-region trail (with alarms) and a careless single-region one."""
    s3 = client("s3", region_name=HOME)
    s3.create_bucket(Bucket="demo-audit-logs")
    s3.put_public_access_block(
        Bucket="demo-audit-logs",
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )
    s3eu = client("s3", region_name=OTHER)
    s3eu.create_bucket(
        Bucket="demo-legacy-trail", CreateBucketConfiguration={"LocationConstraint": OTHER}
    )
    s3eu.put_bucket_acl(Bucket="demo-legacy-trail", ACL="public-read")
    logs = client("logs", region_name=HOME)
    key = client("kms", region_name=HOME).create_key(Description="demo trail key")
    key_arn = key["KeyMetadata"]["Arn"]
    logs.create_log_group(logGroupName=TRAIL_GROUP, kmsKeyId=key_arn)
    logs.put_retention_policy(logGroupName=TRAIL_GROUP, retentionInDays=400)
    logs.create_log_group(logGroupName="/demo/app")  # kept forever, not encrypted
    logs.create_log_group(logGroupName="/demo/short")
    logs.put_retention_policy(logGroupName="/demo/short", retentionInDays=30)
    cloudtrail = client("cloudtrail", region_name=HOME)
    cloudtrail.create_trail(
        Name="org-audit",
        S3BucketName="demo-audit-logs",
        IsMultiRegionTrail=True,
        EnableLogFileValidation=True,
        KmsKeyId=key_arn,
        CloudWatchLogsLogGroupArn=f"arn:aws:logs:{HOME}:{account}:log-group:{TRAIL_GROUP}:*",
        CloudWatchLogsRoleArn=f"arn:aws:iam::{account}:role/demo-cloudtrail-to-logs",
    )
    cloudtrail.start_logging(Name="org-audit")
    legacy = client("cloudtrail", region_name=OTHER)
    legacy.create_trail(Name="legacy-eu", S3BucketName="demo-legacy-trail")
    legacy.start_logging(Name="legacy-eu")
    topic = client("sns", region_name=HOME).create_topic(Name="security-alerts")
    _filter("RootUsage", ROOT_FILTER)
    _alarm(HOME, "root-usage", "RootUsage", [topic["TopicArn"]])
    _filter("UnauthorizedCalls", UNAUTHORIZED_FILTER)
    _alarm(HOME, "unauthorized-calls", "UnauthorizedCalls", [])  # an alarm nobody hears
    _filter("ConsoleNoMfa", CONSOLE_NO_MFA_FILTER)  # too narrow to count
    _alarm(HOME, "console-no-mfa", "ConsoleNoMfa", [topic["TopicArn"]])


def seed_detection() -> None:
    """GuardDuty, Security Hub and Config on in the home region only."""
    client("guardduty", region_name=HOME).create_detector(Enable=True)
    client("guardduty", region_name=OTHER).create_detector(Enable=False)
    client("securityhub", region_name=HOME).enable_security_hub()
    config = client("config", region_name=HOME)
    config.put_configuration_recorder(
        ConfigurationRecorder={
            "name": "default",
            "roleARN": "arn:aws:iam::123456789012:role/demo-config",
            "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": True},
        }
    )
    config.put_delivery_channel(
        DeliveryChannel={"name": "default", "s3BucketName": "demo-audit-logs"}
    )
    config.start_configuration_recorder(ConfigurationRecorderName="default")
