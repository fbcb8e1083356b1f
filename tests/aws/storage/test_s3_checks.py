from __future__ import annotations

from typing import Any

from checks.aws.s3 import (
    bucket_access_logging_disabled,
    bucket_allows_non_tls,
    bucket_public,
    bucket_unencrypted,
    bucket_versioning_disabled,
    bucket_without_lifecycle,
)
from scanner.check import CheckContext
from scanner.inventory.aws import storage as data
from scanner.models.enums import Outcome

from .builders import bucket, ctx_with, inventory, results, unknown, verdicts

ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"
FULL_BLOCK = data.PublicAccessBlock(
    block_public_acls=True,
    ignore_public_acls=True,
    block_public_policy=True,
    restrict_public_buckets=True,
)


def _allow_all(**extra: Any) -> data.PolicyDocument:
    statement = {
        "Sid": "Public",
        "Effect": "Allow",
        "Principal": "*",
        "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::b/*",
    }
    statement.update(extra)
    return {"Version": "2012-10-17", "Statement": [statement]}


def _public_acl() -> tuple[data.AclGrant, ...]:
    return (data.AclGrant(grantee_type="Group", grantee=ALL_USERS, permission="READ"),)


def test_bucket_public_exact_verdicts(ctx: CheckContext) -> None:
    inv = inventory(
        s3_account=data.S3AccountSettings(public_access_block=None),
        s3_buckets=(
            bucket("policy-public", policy=_allow_all()),
            bucket("policy-aws-star", policy=_allow_all(Principal={"AWS": ["*"]})),
            bucket("acl-public", acl_grants=_public_acl()),
            bucket(
                "acl-public-but-ignored",
                acl_grants=_public_acl(),
                public_access_block=data.PublicAccessBlock(ignore_public_acls=True),
            ),
            bucket(
                "policy-public-but-restricted",
                policy=_allow_all(),
                public_access_block=data.PublicAccessBlock(restrict_public_buckets=True),
            ),
            bucket(
                "policy-limited-to-vpce",
                policy=_allow_all(Condition={"StringEquals": {"aws:SourceVpce": "vpce-1"}}),
            ),
            bucket(
                "policy-open-cidr",
                policy=_allow_all(Condition={"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}}),
            ),
            bucket(
                "cross-account-only",
                policy=_allow_all(Principal={"AWS": "arn:aws:iam::999988887777:root"}),
            ),
            bucket("private"),
        ),
    )
    assert verdicts(bucket_public.CHECK, inv, ctx) == {
        "policy-public": "fail",
        "policy-aws-star": "fail",
        "acl-public": "fail",
        "acl-public-but-ignored": "pass",
        "policy-public-but-restricted": "pass",
        "policy-limited-to-vpce": "pass",
        "policy-open-cidr": "fail",
        "cross-account-only": "pass",
        "private": "pass",
    }
    evidence = results(bucket_public.CHECK, inv, ctx)["policy-public"].evidence
    assert evidence["public_policy_statements"] == ["Public"]
    assert results(bucket_public.CHECK, inv, ctx)["policy-public"].region == "us-east-1"


def test_account_block_neutralises_public_buckets(ctx: CheckContext) -> None:
    inv = inventory(
        s3_account=data.S3AccountSettings(public_access_block=FULL_BLOCK),
        s3_buckets=(
            bucket("policy-public", policy=_allow_all()),
            bucket("acl-public", acl_grants=_public_acl()),
            bucket("policy-unknown", unknown=(unknown("policy", "s3:GetBucketPolicy"),)),
        ),
    )
    assert verdicts(bucket_public.CHECK, inv, ctx) == {
        "policy-public": "pass",
        "acl-public": "pass",
        "policy-unknown": "pass",
    }


def test_unreadable_policy_is_an_error_not_a_pass(ctx: CheckContext) -> None:
    inv = inventory(
        s3_account=data.S3AccountSettings(public_access_block=None),
        s3_buckets=(
            bucket("policy-unknown", unknown=(unknown("policy", "s3:GetBucketPolicy"),)),
            bucket(
                "pab-unknown",
                policy=_allow_all(),
                unknown=(unknown("public_access_block", "s3:GetBucketPublicAccessBlock"),),
            ),
        ),
    )
    got = results(bucket_public.CHECK, inv, ctx)
    assert {n: r.status.value for n, r in got.items()} == {
        "policy-unknown": "error",
        "pab-unknown": "error",
    }
    assert "s3:GetBucketPolicy" in got["policy-unknown"].message


def test_failed_account_block_collection_drops_passes_and_errors_public_buckets(
    ctx: CheckContext,
) -> None:
    inv = inventory(
        failed={data.S3_ACCOUNT_PUBLIC_ACCESS_BLOCK: Outcome.ACCESS_DENIED},
        s3_buckets=(bucket("policy-public", policy=_allow_all()), bucket("private")),
    )
    got = verdicts(bucket_public.CHECK, inv, ctx)
    assert got["policy-public"] == "error"
    assert "private" not in got
    assert got[data.S3_ACCOUNT_PUBLIC_ACCESS_BLOCK] == "error"


def _tls_deny(**extra: Any) -> data.PolicyDocument:
    statement = {
        "Sid": "TlsOnly",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }
    statement.update(extra)
    return {"Statement": [statement]}


def test_non_tls_exact_verdicts(ctx: CheckContext) -> None:
    inv = inventory(
        s3_buckets=(
            bucket("b", policy=_tls_deny()),
            bucket("b2", policy=_tls_deny(Resource="*", Principal={"AWS": "*"})),
            bucket(
                "bool-false", policy=_tls_deny(Condition={"Bool": {"aws:SecureTransport": False}})
            ),
            bucket("no-policy"),
            bucket("only-bucket-arn", policy=_tls_deny(Resource="arn:aws:s3:::only-bucket-arn")),
            bucket("wrong-effect", policy=_tls_deny(Effect="Allow")),
            bucket("getobject-only", policy=_tls_deny(Action="s3:GetObject")),
            bucket("unknown", unknown=(unknown("policy", "s3:GetBucketPolicy"),)),
        ),
    )
    assert verdicts(bucket_allows_non_tls.CHECK, inv, ctx) == {
        "b": "pass",
        "b2": "pass",
        "bool-false": "fail",  # resource is arn:aws:s3:::b/*, not this bucket's objects
        "no-policy": "fail",
        "only-bucket-arn": "fail",
        "wrong-effect": "fail",
        "getobject-only": "fail",
        "unknown": "error",
    }


def test_non_tls_accepts_boolean_false(ctx: CheckContext) -> None:
    policy = _tls_deny(
        Resource="arn:aws:s3:::typed/*", Condition={"Bool": {"aws:SecureTransport": False}}
    )
    inv = inventory(s3_buckets=(bucket("typed", policy=policy),))
    assert verdicts(bucket_allows_non_tls.CHECK, inv, ctx) == {"typed": "pass"}


def _encryption_buckets() -> tuple[data.S3Bucket, ...]:
    return (
        bucket("none"),
        bucket("sse-s3", encryption_algorithm="AES256"),
        bucket("sse-kms", encryption_algorithm="aws:kms", encryption_key="arn:aws:kms:k"),
        bucket("unknown", unknown=(unknown("encryption", "s3:GetEncryptionConfiguration"),)),
    )


def test_encryption_default_config(ctx: CheckContext) -> None:
    inv = inventory(s3_buckets=_encryption_buckets())
    assert verdicts(bucket_unencrypted.CHECK, inv, ctx) == {
        "none": "fail",
        "sse-s3": "pass",
        "sse-kms": "pass",
        "unknown": "error",
    }


def test_encryption_kms_required() -> None:
    inv = inventory(s3_buckets=_encryption_buckets())
    assert verdicts(bucket_unencrypted.CHECK, inv, ctx_with(s3_require_kms=True)) == {
        "none": "fail",
        "sse-s3": "fail",
        "sse-kms": "pass",
        "unknown": "error",
    }


def test_versioning_logging_lifecycle(ctx: CheckContext) -> None:
    expiring = data.LifecycleRule(id="exp", enabled=True, expiration_days=365)
    inv = inventory(
        s3_buckets=(
            bucket("on", versioning="Enabled", logging_target="logs", lifecycle_rules=(expiring,)),
            bucket(
                "suspended",
                versioning="Suspended",
                lifecycle_rules=(data.LifecycleRule(id="glacier", enabled=True, transitions=1),),
            ),
            bucket(
                "disabled-rule",
                lifecycle_rules=(data.LifecycleRule(id="x", enabled=False, expiration_days=5),),
            ),
            bucket(
                "noncurrent-only",
                lifecycle_rules=(
                    data.LifecycleRule(id="nc", enabled=True, noncurrent_expiration_days=30),
                ),
            ),
            bucket(
                "blind",
                unknown=(
                    unknown("versioning", "s3:GetBucketVersioning"),
                    unknown("logging", "s3:GetBucketLogging"),
                    unknown("lifecycle", "s3:GetLifecycleConfiguration"),
                ),
            ),
        )
    )
    assert verdicts(bucket_versioning_disabled.CHECK, inv, ctx) == {
        "on": "pass",
        "suspended": "fail",
        "disabled-rule": "fail",
        "noncurrent-only": "fail",
        "blind": "error",
    }
    assert verdicts(bucket_access_logging_disabled.CHECK, inv, ctx) == {
        "on": "pass",
        "suspended": "fail",
        "disabled-rule": "fail",
        "noncurrent-only": "fail",
        "blind": "error",
    }
    assert verdicts(bucket_without_lifecycle.CHECK, inv, ctx) == {
        "on": "pass",
        "suspended": "fail",
        "disabled-rule": "fail",
        "noncurrent-only": "pass",
        "blind": "error",
    }


def test_failed_bucket_collection_yields_only_errors(ctx: CheckContext) -> None:
    inv = inventory(failed={data.S3_BUCKETS: Outcome.ACCESS_DENIED})
    assert verdicts(bucket_versioning_disabled.CHECK, inv, ctx) == {data.S3_BUCKETS: "error"}
