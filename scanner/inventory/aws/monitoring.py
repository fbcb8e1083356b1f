"""AWS logging and monitoring inventory: CloudTrail, CloudWatch Logs and alarms, GuardDuty,
Security Hub, Config.

Every regional model carries the `region` it was read in.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import Field, JsonValue

from scanner.models.inventory import Frozen

# Collection names: checks declare them in `requires`, collectors record their outcomes.
CLOUDTRAIL_TRAILS = "aws.cloudtrail.trails"
CLOUDTRAIL_BUCKETS = "aws.cloudtrail.trail_buckets"
LOG_GROUPS = "aws.logs.log_groups"
METRIC_FILTERS = "aws.logs.metric_filters"
METRIC_ALARMS = "aws.cloudwatch.metric_alarms"
GUARDDUTY_DETECTORS = "aws.guardduty.detectors"
SECURITYHUB_HUB = "aws.securityhub.hub"
CONFIG_RECORDERS = "aws.config.recorders"


class Trail(Frozen):
    """A CloudTrail trail as seen from one scanned region (shadow copies included).

    A multi-region trail appears once per scanned region; `home_region` is where it lives.
    Status fields are None when the status could not be read (an organization trail owned
    by another account).
    """

    arn: str
    name: str
    region: str = Field(description="The scanned region the trail was listed in")
    home_region: str
    owner_account: str
    multi_region: bool
    organization: bool = False
    is_logging: bool | None = None
    management_read: bool | None = None
    management_write: bool | None = None
    excluded_management_sources: tuple[str, ...] = ()
    log_file_validation: bool
    kms_key_id: str | None = None
    s3_bucket: str | None = None
    cloudwatch_log_group_arn: str | None = None
    latest_cloudwatch_delivery: datetime | None = None
    latest_cloudwatch_delivery_error: str | None = None

    @property
    def logs_management_events(self) -> bool:
        return bool(self.is_logging and self.management_read and self.management_write)


class TrailBucket(Frozen):
    """Public-exposure facts about a bucket a trail in this account writes to.

    `unreadable` names the action that was refused when the bucket belongs to another
    account or the scanner may not read it; the other fields are then unknown.
    """

    name: str
    region: str | None = Field(None, description="Where the bucket lives, when known")
    trails: tuple[str, ...] = Field(description="ARNs of the trails writing to it")
    exists: bool = True
    unreadable: str | None = None
    policy_public: bool = Field(
        False, description="S3's own verdict: GetBucketPolicyStatus PolicyStatus.IsPublic"
    )
    policy: dict[str, JsonValue] | None = Field(
        None, description="The bucket policy (GetBucketPolicy); None when it has none"
    )
    acl_public_grants: tuple[str, ...] = Field((), description="Grantee URI: permission")
    block_public_policy: bool = False
    restrict_public_buckets: bool = False
    block_public_acls: bool = False
    ignore_public_acls: bool = False
    account_restrict_public_buckets: bool = False
    account_ignore_public_acls: bool = False
    account_block_unreadable: str | None = Field(
        None, description="Why the account-level Block Public Access could not be read"
    )

    @property
    def public_policy_restricted(self) -> bool:
        """RestrictPublicBuckets at bucket or account level neutralises a public policy."""
        return self.restrict_public_buckets or self.account_restrict_public_buckets

    @property
    def public_via_acl(self) -> bool:
        ignored = self.ignore_public_acls or self.account_ignore_public_acls
        return bool(self.acl_public_grants) and not ignored


class LogGroup(Frozen):
    arn: str
    name: str
    region: str
    retention_days: int | None = Field(description="None: never expire (kept forever)")
    kms_key_id: str | None = None


class MetricFilter(Frozen):
    name: str
    region: str
    log_group: str
    pattern: str
    metrics: tuple[tuple[str, str], ...] = Field(description="(namespace, metric name) pairs")


class MetricAlarm(Frozen):
    name: str
    arn: str
    region: str
    metrics: tuple[tuple[str, str], ...] = Field(description="(namespace, metric name) pairs")
    actions_enabled: bool
    alarm_actions: tuple[str, ...] = ()


class DetectorState(Frozen):
    id: str
    status: str


class GuardDutyRegion(Frozen):
    region: str
    detectors: tuple[DetectorState, ...] = ()

    @property
    def enabled(self) -> bool:
        return any(d.status == "ENABLED" for d in self.detectors)


class SecurityHubRegion(Frozen):
    region: str
    enabled: bool
    hub_arn: str | None = None


class ConfigRecorder(Frozen):
    name: str
    recording: bool
    last_status: str | None = None
    all_supported: bool = False
    include_global_resources: bool = False
    resource_types: int = Field(0, description="How many types a selective recorder records")


class ConfigRegion(Frozen):
    region: str
    recorders: tuple[ConfigRecorder, ...] = ()

    @property
    def recording(self) -> bool:
        return any(
            r.recording and (r.last_status or "").upper() != "FAILURE" for r in self.recorders
        )
