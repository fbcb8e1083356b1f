"""CloudTrail: trails as seen from each scanned region, and their S3 buckets' exposure."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from botocore.exceptions import ClientError, EndpointConnectionError

from providers.aws.errors import ACCESS_DENIED_CODES, error_code
from providers.aws.runner import AwsAccount, aws_collection
from providers.aws.session import AwsClients
from scanner.inventory.aws import monitoring as mon

PUBLIC_GRANTEES = {
    "http://acs.amazonaws.com/groups/global/AllUsers": "AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers": "AuthenticatedUsers",
}
_FOREIGN_TRAIL_CODES = ACCESS_DENIED_CODES | {"TrailNotFoundException"}


def management_coverage(
    selectors: list[dict[str, Any]], advanced: list[dict[str, Any]]
) -> tuple[bool, bool, tuple[str, ...]]:
    """(reads logged, writes logged, excluded event sources) for management events.

    A trail that never had selectors set logs all management events (the AWS default).
    """
    if not selectors and not advanced:
        return True, True, ()
    read = write = False
    excluded: list[str] = []
    for selector in selectors:
        if not selector.get("IncludeManagementEvents", True):
            continue
        kind = selector.get("ReadWriteType", "All")
        read = read or kind in {"All", "ReadOnly"}
        write = write or kind in {"All", "WriteOnly"}
        excluded += selector.get("ExcludeManagementEventSources", [])
    for selector in advanced:
        fields = {f.get("Field"): f for f in selector.get("FieldSelectors", [])}
        category = fields.get("eventCategory", {})
        if "Management" not in category.get("Equals", []):
            continue
        read_only = fields.get("readOnly")
        if read_only is None:
            read = write = True
        else:
            equals = [str(v).lower() for v in read_only.get("Equals", [])]
            not_equals = [str(v).lower() for v in read_only.get("NotEquals", [])]
            read = read or "true" in equals or "false" in not_equals
            write = write or "false" in equals or "true" in not_equals
        excluded += fields.get("eventSource", {}).get("NotEquals", [])
    return read, write, tuple(dict.fromkeys(excluded))


def _status(client: Any, arn: str, owned: bool) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """Status and selectors, or None for another account's trail we may not read."""
    try:
        status = client.get_trail_status(Name=arn)
        selectors = client.get_event_selectors(TrailName=arn)
    except ClientError as exc:
        if not owned and error_code(exc) in _FOREIGN_TRAIL_CODES:
            return None
        raise
    return status, selectors


def _trail(clients: AwsClients, region: str, account: AwsAccount, raw: dict[str, Any]) -> mon.Trail:
    arn = raw["TrailARN"]
    home = raw.get("HomeRegion") or region
    owner = arn.split(":")[4]
    read = clients.client("cloudtrail", home)
    found = _status(read, arn, owner == account.id)
    facts: dict[str, Any] = {}
    if found is not None:
        status, selectors = found
        mgmt_read, mgmt_write, excluded = management_coverage(
            selectors.get("EventSelectors") or [], selectors.get("AdvancedEventSelectors") or []
        )
        delivery: datetime | None = status.get("LatestCloudWatchLogsDeliveryTime")
        facts = {
            "is_logging": bool(status.get("IsLogging")),
            "management_read": mgmt_read,
            "management_write": mgmt_write,
            "excluded_management_sources": excluded,
            "latest_cloudwatch_delivery": delivery,
            "latest_cloudwatch_delivery_error": status.get("LatestCloudWatchLogsDeliveryError")
            or None,
        }
    return mon.Trail(
        arn=arn,
        name=raw["Name"],
        region=region,
        home_region=home,
        owner_account=owner,
        multi_region=bool(raw.get("IsMultiRegionTrail")),
        organization=bool(raw.get("IsOrganizationTrail")),
        log_file_validation=bool(raw.get("LogFileValidationEnabled")),
        kms_key_id=raw.get("KmsKeyId") or None,
        s3_bucket=raw.get("S3BucketName") or None,
        cloudwatch_log_group_arn=raw.get("CloudWatchLogsLogGroupArn") or None,
        **facts,
    )


def _describe(clients: AwsClients, region: str) -> list[dict[str, Any]]:
    # DescribeTrails is not paginated: it returns every trail that applies to the region.
    response = clients.client("cloudtrail", region).describe_trails(includeShadowTrails=True)
    trails: list[dict[str, Any]] = response.get("trailList", [])
    return trails


def fetch_trails(clients: AwsClients, region: str, account: AwsAccount) -> tuple[mon.Trail, ...]:
    return tuple(_trail(clients, region, account, t) for t in _describe(clients, region))


def _optional(call: Callable[[], dict[str, Any]], absent: set[str]) -> dict[str, Any] | None:
    try:
        return call()
    except ClientError as exc:
        if error_code(exc) in absent:
            return None
        raise


ACCOUNT_BLOCK_ACTION = "s3:GetAccountPublicAccessBlock"
AWS_DOMAINS = (".amazonaws.com", ".amazonaws.com.cn", ".api.aws", ".c2s.ic.gov", ".sc2s.sgov.gov")


def _account_block(
    clients: AwsClients, region: str, account: AwsAccount
) -> tuple[dict[str, Any], str | None]:
    """The account's S3 Block Public Access settings, or why they could not be read.

    The S3 Control endpoint puts the account id in the host name, so it is unreachable behind
    a custom endpoint URL (a proxy, moto server) even where every other service answers.
    """
    s3control = clients.client("s3control", region)
    host = urlsplit(s3control.meta.endpoint_url).hostname or ""
    if not host.endswith(AWS_DOMAINS):
        # Not worth a round of connection retries: <account>.<host> does not resolve.
        return {}, f"{ACCOUNT_BLOCK_ACTION} is not reachable through the custom endpoint {host}"
    try:
        found = _optional(
            lambda: s3control.get_public_access_block(AccountId=account.id),
            {"NoSuchPublicAccessBlockConfiguration"},
        )
    except ClientError as exc:
        if error_code(exc) in ACCESS_DENIED_CODES:
            return {}, f"{error_code(exc)} on {ACCOUNT_BLOCK_ACTION}"
        raise
    except EndpointConnectionError:
        return {}, f"the S3 Control endpoint for {ACCOUNT_BLOCK_ACTION} was unreachable"
    config: dict[str, Any] = (found or {}).get("PublicAccessBlockConfiguration", {})
    return config, None


def _bucket_region(location: dict[str, Any]) -> str:
    # GetBucketLocation answers null for us-east-1 and the legacy "EU" for eu-west-1.
    constraint = location.get("LocationConstraint") or "us-east-1"
    return "eu-west-1" if constraint == "EU" else str(constraint)


def _policy_document(raw: dict[str, Any] | None) -> dict[str, Any] | None:
    """GetBucketPolicy's `Policy` is the document as a JSON string."""
    try:
        document = json.loads((raw or {}).get("Policy") or "null")
    except ValueError:
        return None
    return document if isinstance(document, dict) else None


def _bucket(
    s3: Any,
    name: str,
    trails: tuple[str, ...],
    account_block: tuple[dict[str, Any], str | None],
) -> mon.TrailBucket:
    settings, unreadable = account_block
    base: dict[str, Any] = {
        "name": name,
        "trails": trails,
        "account_restrict_public_buckets": bool(settings.get("RestrictPublicBuckets")),
        "account_ignore_public_acls": bool(settings.get("IgnorePublicAcls")),
        "account_block_unreadable": unreadable,
    }
    action = "s3:GetBucketLocation"
    try:
        base["region"] = _bucket_region(s3.get_bucket_location(Bucket=name))
        action = "s3:GetBucketPublicAccessBlock"
        block = _optional(
            lambda: s3.get_public_access_block(Bucket=name),
            {"NoSuchPublicAccessBlockConfiguration"},
        )
        action = "s3:GetBucketPolicyStatus"
        status = _optional(lambda: s3.get_bucket_policy_status(Bucket=name), {"NoSuchBucketPolicy"})
        action = "s3:GetBucketPolicy"
        policy = _optional(lambda: s3.get_bucket_policy(Bucket=name), {"NoSuchBucketPolicy"})
        action = "s3:GetBucketAcl"
        acl = s3.get_bucket_acl(Bucket=name)
    except ClientError as exc:
        code = error_code(exc)
        if code == "NoSuchBucket":
            return mon.TrailBucket(**base, exists=False)
        if code in ACCESS_DENIED_CODES:
            return mon.TrailBucket(**base, unreadable=action)
        raise
    document = _policy_document(policy)
    if policy is not None and document is None:
        return mon.TrailBucket(**base, unreadable="s3:GetBucketPolicy (unparseable policy)")
    config = (block or {}).get("PublicAccessBlockConfiguration", {})
    grants = tuple(
        f"{PUBLIC_GRANTEES[g['Grantee']['URI']]}: {g.get('Permission', '')}"
        for g in acl.get("Grants", [])
        if g.get("Grantee", {}).get("URI") in PUBLIC_GRANTEES
    )
    return mon.TrailBucket(
        **base,
        policy_public=bool((status or {}).get("PolicyStatus", {}).get("IsPublic")),
        policy=document,
        acl_public_grants=grants,
        block_public_policy=bool(config.get("BlockPublicPolicy")),
        restrict_public_buckets=bool(config.get("RestrictPublicBuckets")),
        block_public_acls=bool(config.get("BlockPublicAcls")),
        ignore_public_acls=bool(config.get("IgnorePublicAcls")),
    )


def fetch_trail_buckets(
    clients: AwsClients, region: str, account: AwsAccount
) -> tuple[mon.TrailBucket, ...]:
    """The buckets this account's trails that apply to `region` write to."""
    by_bucket: dict[str, list[str]] = {}
    for raw in _describe(clients, region):
        owned = raw["TrailARN"].split(":")[4] == account.id
        if owned and raw.get("S3BucketName"):
            by_bucket.setdefault(raw["S3BucketName"], []).append(raw["TrailARN"])
    if not by_bucket:
        return ()
    account_block = _account_block(clients, region, account)
    s3 = clients.client("s3", region)
    return tuple(
        _bucket(s3, name, tuple(arns), account_block) for name, arns in sorted(by_bucket.items())
    )


COLLECTIONS = (
    aws_collection(
        mon.CLOUDTRAIL_TRAILS,
        "trails",
        "cloudtrail",
        ("cloudtrail:DescribeTrails", "cloudtrail:GetTrailStatus", "cloudtrail:GetEventSelectors"),
        fetch_trails,
        regional=True,
    ),
    aws_collection(
        mon.CLOUDTRAIL_BUCKETS,
        "trail_buckets",
        # S3 refusals are recorded per bucket; what reaches the runner is a DescribeTrails error.
        "cloudtrail",
        (
            "cloudtrail:DescribeTrails",
            "s3:GetAccountPublicAccessBlock",
            "s3:GetBucketLocation",
            "s3:GetBucketPublicAccessBlock",
            "s3:GetBucketPolicyStatus",
            "s3:GetBucketPolicy",
            "s3:GetBucketAcl",
        ),
        fetch_trail_buckets,
        regional=True,
    ),
)
