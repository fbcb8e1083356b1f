"""S3: every bucket with its policy, ACL, public access block, encryption, versioning,
access logging and lifecycle, read from the bucket's own region; and the account-wide
public access block.

S3 answers "not configured" with an error code (NoSuchBucketPolicy, …): that is data. Any
other error on a bucket's detail call makes that aspect of that bucket unknown.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from botocore.exceptions import ClientError

from providers.aws.collectors.detail import (
    AspectReader,
    ExecutorFactory,
    ResourceGoneError,
    map_bounded,
    small_pool,
)
from providers.aws.errors import error_code
from providers.aws.paginate import paginate
from providers.aws.runner import AwsAccount, aws_collection
from providers.aws.session import AwsClients
from scanner.inventory.aws import storage as data

GONE = ("NoSuchBucket",)
BUCKET_WORKERS = 16
"""Threads, not requests: the in-flight limit per service and region bounds the requests, and a
thread sleeping out a throttled call's backoff holds none, so more threads keep S3 busy."""
LIST_BUCKETS_PAGE = 1000
"""MaxBuckets per ListBuckets page (botocore's model allows 1 to 10,000). S3 rejects
unpaginated ListBuckets above a quota of 10,000 buckets and adds BucketRegion to each bucket
only when the request carries a parameter, so every request sends MaxBuckets."""
NO_PAB = "NoSuchPublicAccessBlockConfiguration"
LEGACY_LOCATIONS = {"": "us-east-1", "EU": "eu-west-1"}


def _pab(raw: dict[str, Any] | None) -> data.PublicAccessBlock | None:
    if raw is None:
        return None
    c = raw.get("PublicAccessBlockConfiguration", {})
    return data.PublicAccessBlock(
        block_public_acls=bool(c.get("BlockPublicAcls")),
        ignore_public_acls=bool(c.get("IgnorePublicAcls")),
        block_public_policy=bool(c.get("BlockPublicPolicy")),
        restrict_public_buckets=bool(c.get("RestrictPublicBuckets")),
    )


def _grants(raw: dict[str, Any] | None) -> tuple[data.AclGrant, ...]:
    grants = []
    for g in (raw or {}).get("Grants", []):
        grantee = g.get("Grantee", {})
        who = grantee.get("URI") or grantee.get("ID") or grantee.get("EmailAddress") or ""
        grants.append(
            data.AclGrant(
                grantee_type=str(grantee.get("Type", "")),
                grantee=str(who),
                permission=str(g.get("Permission", "")),
            )
        )
    return tuple(grants)


def _lifecycle(raw: dict[str, Any] | None) -> tuple[data.LifecycleRule, ...]:
    rules = []
    for r in (raw or {}).get("Rules", []):
        expiration = r.get("Expiration", {})
        noncurrent = r.get("NoncurrentVersionExpiration", {})
        rules.append(
            data.LifecycleRule(
                id=str(r.get("ID", "")),
                enabled=r.get("Status") == "Enabled",
                expiration_days=expiration.get("Days"),
                expiration_date=expiration.get("Date"),
                noncurrent_expiration_days=noncurrent.get("NoncurrentDays"),
                transitions=len(r.get("Transitions", []))
                + len(r.get("NoncurrentVersionTransitions", [])),
            )
        )
    return tuple(rules)


def _encryption(raw: dict[str, Any] | None) -> tuple[str | None, str | None]:
    rules = (raw or {}).get("ServerSideEncryptionConfiguration", {}).get("Rules", [])
    for rule in rules:
        default = rule.get("ApplyServerSideEncryptionByDefault") or {}
        if default.get("SSEAlgorithm"):
            return str(default["SSEAlgorithm"]), default.get("KMSMasterKeyID")
    return None, None


def _policy(raw: dict[str, Any] | None, reader: AspectReader) -> data.PolicyDocument | None:
    if raw is None:
        return None
    try:
        document = json.loads(raw.get("Policy") or "{}")
    except ValueError:
        document = None
    if not isinstance(document, dict):
        reader.unknown.append(
            data.Unknown(aspect=data.S3_POLICY, missing="s3:GetBucketPolicy", reason="unparseable")
        )
        return None
    return document


def _is_public(raw: dict[str, Any] | None) -> bool | None:
    """GetBucketPolicyStatus: the output's payload is PolicyStatus, with the boolean IsPublic."""
    if raw is None:
        return None
    value = (raw.get("PolicyStatus") or {}).get("IsPublic")
    return value if isinstance(value, bool) else None


def _region(clients: AwsClients, name: str, listed: str | None, reader: AspectReader) -> str:
    if listed:
        return listed
    s3 = clients.client("s3")
    raw = reader.read(
        data.S3_LOCATION, "s3:GetBucketLocation", lambda: s3.get_bucket_location(Bucket=name)
    )
    if raw is None:
        return clients.default_region
    constraint = raw.get("LocationConstraint") or ""
    return LEGACY_LOCATIONS.get(constraint, constraint)


def read_bucket(clients: AwsClients, account: AwsAccount, listed: dict[str, Any]) -> data.S3Bucket:
    name = str(listed["Name"])
    reader = AspectReader(gone_codes=GONE)
    region = _region(clients, name, listed.get("BucketRegion"), reader)
    s3 = clients.client("s3", region)

    def read(aspect: str, action: str, operation: str, *absent: str) -> dict[str, Any] | None:
        return reader.read(
            aspect, action, lambda: getattr(s3, operation)(Bucket=name), absent=absent
        )

    policy = read(data.S3_POLICY, "s3:GetBucketPolicy", "get_bucket_policy", "NoSuchBucketPolicy")
    status = (
        read(
            data.S3_POLICY_STATUS,
            "s3:GetBucketPolicyStatus",
            "get_bucket_policy_status",
            "NoSuchBucketPolicy",
        )
        if policy is not None
        else None
    )
    acl = read(data.S3_ACL, "s3:GetBucketAcl", "get_bucket_acl")
    pab = read(
        data.S3_PUBLIC_ACCESS_BLOCK,
        "s3:GetBucketPublicAccessBlock",
        "get_public_access_block",
        NO_PAB,
    )
    encryption = read(
        data.S3_ENCRYPTION,
        "s3:GetEncryptionConfiguration",
        "get_bucket_encryption",
        "ServerSideEncryptionConfigurationNotFoundError",
    )
    versioning = read(data.S3_VERSIONING, "s3:GetBucketVersioning", "get_bucket_versioning") or {}
    logging = read(data.S3_LOGGING, "s3:GetBucketLogging", "get_bucket_logging") or {}
    lifecycle = read(
        data.S3_LIFECYCLE,
        "s3:GetLifecycleConfiguration",
        "get_bucket_lifecycle_configuration",
        "NoSuchLifecycleConfiguration",
    )
    algorithm, key = _encryption(encryption)
    return data.S3Bucket(
        name=name,
        arn=f"arn:{account.partition}:s3:::{name}",
        region=region,
        created=listed.get("CreationDate"),
        policy=_policy(policy, reader),
        policy_status_public=_is_public(status),
        acl_grants=_grants(acl),
        public_access_block=_pab(pab),
        encryption_algorithm=algorithm,
        encryption_key=key,
        versioning=versioning.get("Status"),
        mfa_delete=versioning.get("MFADelete") == "Enabled",
        logging_target=(logging.get("LoggingEnabled") or {}).get("TargetBucket"),
        lifecycle_rules=_lifecycle(lifecycle),
        unknown=tuple(reader.unknown),
    )


def _named(exc: ClientError, action: str) -> ClientError:
    """The same error, named after the IAM action it needs where that differs from the
    operation (ListBuckets needs s3:ListAllMyBuckets), so the outcome names the right one."""
    return ClientError(exc.response, action)  # type: ignore[arg-type]


def collect_buckets(
    clients: AwsClients, account: AwsAccount, executor_factory: ExecutorFactory | None = None
) -> tuple[data.S3Bucket, ...]:
    try:
        listed = paginate(
            clients.client("s3"),
            "list_buckets",
            "Buckets",
            PaginationConfig={"PageSize": LIST_BUCKETS_PAGE},
        )
    except ClientError as exc:
        raise _named(exc, "ListAllMyBuckets") from None

    def one(item: dict[str, Any]) -> data.S3Bucket | None:
        try:
            return read_bucket(clients, account, item)
        except ResourceGoneError:
            return None

    # One global pass over every bucket (regional collections get one pool per region).
    buckets = map_bounded(one, listed, executor_factory or small_pool, workers=BUCKET_WORKERS)
    return tuple(b for b in buckets if b is not None)


def fetch_buckets(
    clients: AwsClients, region: str, account: AwsAccount
) -> tuple[data.S3Bucket, ...]:
    return collect_buckets(clients, account)


AWS_DOMAINS = (".amazonaws.com", ".amazonaws.com.cn", ".api.aws", ".c2s.ic.gov", ".sc2s.sgov.gov")


def _s3control(clients: AwsClients, region: str, account: AwsAccount) -> Any:
    """The S3 Control client. S3 Control puts the account id in the host name; a local
    endpoint (moto server, LocalStack) cannot resolve `<account>.127.0.0.1`, so there the
    request goes to the endpoint itself, which reads the account from the path and headers.
    """
    client = clients.client("s3control", region)
    endpoint = urlsplit(str(client.meta.endpoint_url))
    if (endpoint.hostname or "").endswith(AWS_DOMAINS):
        return client
    prefix = f"{account.id}."

    def to_local_endpoint(request: Any, **_: Any) -> None:
        url = urlsplit(request.url)
        if url.netloc.startswith(prefix) and url.netloc[len(prefix) :] == endpoint.netloc:
            request.url = urlunsplit(url._replace(netloc=endpoint.netloc))

    client.meta.events.register(
        "before-sign.s3-control", to_local_endpoint, unique_id="posture-s3control-local"
    )
    return client


def fetch_account_settings(
    clients: AwsClients, region: str, account: AwsAccount
) -> data.S3AccountSettings:
    try:
        raw = _s3control(clients, region, account).get_public_access_block(AccountId=account.id)
    except ClientError as exc:
        if error_code(exc) == NO_PAB:
            return data.S3AccountSettings(public_access_block=None)
        raise _named(exc, "GetAccountPublicAccessBlock") from None
    return data.S3AccountSettings(public_access_block=_pab(raw))


BUCKET_ACTIONS = (
    "s3:ListAllMyBuckets",
    "s3:GetBucketLocation",
    "s3:GetBucketPolicy",
    "s3:GetBucketPolicyStatus",
    "s3:GetBucketAcl",
    "s3:GetBucketPublicAccessBlock",
    "s3:GetEncryptionConfiguration",
    "s3:GetBucketVersioning",
    "s3:GetBucketLogging",
    "s3:GetLifecycleConfiguration",
)

COLLECTIONS = (
    aws_collection(data.S3_BUCKETS, "s3_buckets", "s3", BUCKET_ACTIONS, fetch_buckets),
    aws_collection(
        data.S3_ACCOUNT_PUBLIC_ACCESS_BLOCK,
        "s3_account",
        "s3",
        ("s3:GetAccountPublicAccessBlock",),
        fetch_account_settings,
    ),
)
