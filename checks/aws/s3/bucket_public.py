"""Buckets anyone can read or write, through a policy or an ACL the public access block
(account or bucket level) does not neutralise."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import JsonValue

from checks.aws.resources import bucket, not_evaluated
from checks.aws.s3.access import public_grants
from checks.aws.s3.public_policy import public_statements
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, error, fail, passed
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws import storage as data
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="aws.s3.bucket_public",
    title="S3 bucket public through its policy or ACL",
    severity=Severity.CRITICAL,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.1", "CC6.6"),
    remediation=(
        "Turn on all four S3 Block Public Access settings for the account (and the bucket), "
        "and remove the policy statements or ACL grants to everyone; serve public content "
        "through CloudFront with origin access control."
    ),
    requires=(data.S3_BUCKETS, data.S3_ACCOUNT_PUBLIC_ACCESS_BLOCK),
)

Flag = bool | None
"""True, False, or None when a setting it depends on could not be read."""


def _any(*flags: Flag) -> Flag:
    if any(f is True for f in flags):
        return True
    return None if any(f is None for f in flags) else False


def _blocks(inventory: AwsInventory, b: data.S3Bucket) -> tuple[Flag, Flag]:
    """(restrict_public_buckets, ignore_public_acls), in effect at either level."""
    account: data.PublicAccessBlock | None = data.PublicAccessBlock()
    if not inventory.collected(data.S3_ACCOUNT_PUBLIC_ACCESS_BLOCK) or inventory.s3_account is None:
        account = None
    elif inventory.s3_account.public_access_block is not None:
        account = inventory.s3_account.public_access_block
    own: data.PublicAccessBlock | None = b.public_access_block or data.PublicAccessBlock()
    if b.unknown_of(data.S3_PUBLIC_ACCESS_BLOCK):
        own = None
    return (
        _any(
            account.restrict_public_buckets if account else None,
            own.restrict_public_buckets if own else None,
        ),
        _any(
            account.ignore_public_acls if account else None,
            own.ignore_public_acls if own else None,
        ),
    )


def _exposed(blocked: Flag, unreadable: bool, grants: list[str]) -> Flag:
    if blocked is True:
        return False
    if unreadable:
        return None
    if not grants:
        return False
    return True if blocked is False else None


def _block_evidence(pab: data.PublicAccessBlock | None) -> JsonValue:
    return dict(pab.model_dump()) if pab else None


S3_SAYS_PUBLIC = "GetBucketPolicyStatus: IsPublic"


def _policy_grants(b: data.S3Bucket) -> list[str]:
    """The public statements by S3's meaning of public; S3's own verdict (GetBucketPolicyStatus)
    is a second opinion: when it says public and posture found no statement, that
    disagreement is evidence of exposure, never a pass."""
    found = public_statements(b.policy) if b.policy else []
    if b.policy_status_public and not found:
        found = [S3_SAYS_PUBLIC]
    return found


def _status_evidence(b: data.S3Bucket) -> JsonValue:
    unread = b.unknown_of(data.S3_POLICY_STATUS)
    if unread:
        return f"not read: needs {unread[0].missing} ({unread[0].reason})"
    return b.policy_status_public


def evaluate(inventory: AwsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    account_pab = inventory.s3_account.public_access_block if inventory.s3_account else None
    for b in inventory.s3_buckets:
        restrict, ignore_acls = _blocks(inventory, b)
        statements = _policy_grants(b)
        grants = public_grants(b.acl_grants)
        via_policy = _exposed(restrict, bool(b.unknown_of(data.S3_POLICY)), statements)
        via_acl = _exposed(ignore_acls, bool(b.unknown_of(data.S3_ACL)), grants)
        evidence = {
            "public_policy_statements": statements,
            "policy_status_is_public": _status_evidence(b),
            "public_acl_grants": grants,
            "account_public_access_block": _block_evidence(account_pab),
            "bucket_public_access_block": _block_evidence(b.public_access_block),
        }
        if via_policy or via_acl:
            how = " and ".join(
                w for w, on in (("its policy", via_policy), ("its ACL", via_acl)) if on
            )
            yield fail(
                bucket(b),
                f"Bucket {b.name} is public through {how} and Block Public Access is off; "
                "turn Block Public Access on and remove the public grants.",
                evidence=evidence,
                region=b.region,
            )
        elif via_policy is None or via_acl is None:
            unknown = b.unknown_of(data.S3_POLICY, data.S3_ACL, data.S3_PUBLIC_ACCESS_BLOCK)
            if unknown:
                yield not_evaluated(bucket(b), unknown, b.region)
            else:
                yield error(
                    bucket(b),
                    f"Not evaluated: the account's Block Public Access setting could not be "
                    f"read, and bucket {b.name} grants public access without its own block.",
                    evidence=evidence,
                    region=b.region,
                )
        else:
            yield passed(
                bucket(b),
                f"Bucket {b.name} is not public.",
                evidence=evidence,
                region=b.region,
            )


CHECK = Check(META, AwsInventory, evaluate)
