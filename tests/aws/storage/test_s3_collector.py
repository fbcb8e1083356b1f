from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
from botocore.stub import Stubber

from fixtures import load
from providers.aws.collectors import s3
from providers.aws.runner import run_collections
from providers.aws.session import AwsClients
from scanner.inventory.aws import storage as data
from scanner.models.enums import Outcome

from .support import ACCOUNT, SequentialExecutor, inject

FULL_BLOCK = {
    "BlockPublicAcls": True,
    "IgnorePublicAcls": True,
    "BlockPublicPolicy": True,
    "RestrictPublicBuckets": True,
}


def _seed_records(home: Any) -> None:
    home.create_bucket(Bucket="records")
    home.put_public_access_block(Bucket="records", PublicAccessBlockConfiguration=FULL_BLOCK)
    home.put_bucket_encryption(
        Bucket="records",
        ServerSideEncryptionConfiguration={
            "Rules": [
                {
                    "ApplyServerSideEncryptionByDefault": {
                        "SSEAlgorithm": "aws:kms",
                        "KMSMasterKeyID": "alias/records",
                    }
                }
            ]
        },
    )


def _seed() -> None:
    home = boto3.client("s3", region_name="us-east-1")
    away = boto3.client("s3", region_name="eu-west-1")
    home.create_bucket(Bucket="open-assets")
    home.put_bucket_acl(Bucket="open-assets", ACL="public-read")
    away.create_bucket(
        Bucket="eu-share", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )
    away.put_bucket_policy(
        Bucket="eu-share",
        Policy=json.dumps(
            {
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": "*",
                        "Action": "s3:GetObject",
                        "Resource": "arn:aws:s3:::eu-share/*",
                    }
                ]
            }
        ),
    )
    home.create_bucket(Bucket="logs-target")
    home.put_bucket_acl(Bucket="logs-target", ACL="log-delivery-write")
    _seed_records(home)
    home.put_bucket_versioning(Bucket="records", VersioningConfiguration={"Status": "Enabled"})
    home.put_bucket_logging(
        Bucket="records",
        BucketLoggingStatus={"LoggingEnabled": {"TargetBucket": "logs-target", "TargetPrefix": ""}},
    )
    home.put_bucket_lifecycle_configuration(
        Bucket="records",
        LifecycleConfiguration={
            "Rules": [
                {
                    "ID": "expire",
                    "Status": "Enabled",
                    "Filter": {"Prefix": ""},
                    "Expiration": {"Days": 365},
                }
            ]
        },
    )


def _by_name(buckets: tuple[data.S3Bucket, ...]) -> dict[str, data.S3Bucket]:
    return {b.name: b for b in buckets}


def test_reads_every_setting_from_the_buckets_region(clients: AwsClients) -> None:
    _seed()
    got = _by_name(s3.collect_buckets(clients, ACCOUNT))
    assert set(got) == {"open-assets", "eu-share", "logs-target", "records"}
    assert all(not b.unknown for b in got.values())
    assert got["eu-share"].region == "eu-west-1"
    assert got["eu-share"].policy is not None
    assert got["eu-share"].policy["Statement"][0]["Principal"] == "*"  # type: ignore[index,call-overload]
    assert any(g.grantee.endswith("/AllUsers") for g in got["open-assets"].acl_grants)
    records = got["records"]
    assert records.arn == "arn:aws:s3:::records"
    assert records.public_access_block is not None and records.public_access_block.all_on
    assert (records.encryption_algorithm, records.encryption_key) == ("aws:kms", "alias/records")
    assert records.versioning == "Enabled"
    assert records.logging_target == "logs-target"
    assert [r.expires_objects for r in records.lifecycle_rules] == [True]
    bare = got["open-assets"]
    assert (bare.policy, bare.public_access_block, bare.encryption_algorithm) == (None, None, None)
    assert (bare.versioning, bare.logging_target, bare.lifecycle_rules) == (None, None, ())


def test_access_denied_on_one_bucket_makes_only_that_aspect_unknown(clients: AwsClients) -> None:
    _seed()
    for region in ("us-east-1", "eu-west-1"):
        inject(
            clients.client("s3", region),
            "GetBucketPolicy",
            403,
            "AccessDenied",
            times=10,
            when=lambda request: "eu-share" in request.url or "records" in request.url,
        )
    got = _by_name(s3.collect_buckets(clients, ACCOUNT))
    for name in ("eu-share", "records"):
        assert [(u.aspect, u.missing, u.reason) for u in got[name].unknown] == [
            ("policy", "s3:GetBucketPolicy", "AccessDenied")
        ]
        assert got[name].policy is None
    assert got["records"].versioning == "Enabled"
    assert not got["open-assets"].unknown


def test_throttled_detail_call_is_retried(clients: AwsClients) -> None:
    _seed_records(boto3.client("s3", region_name="us-east-1"))
    fault = inject(
        clients.client("s3", "us-east-1"),
        "GetBucketLifecycleConfiguration",  # the bucket's last read
        503,
        "SlowDown",
        when=lambda request: "records" in request.url,
    )
    got = _by_name(s3.collect_buckets(clients, ACCOUNT))
    assert fault.injected == 1 and fault.attempts == 2
    assert got["records"].encryption_algorithm == "aws:kms"
    assert got["records"].lifecycle_rules == ()
    assert not got["records"].unknown


def test_bucket_deleted_mid_scan_is_dropped(clients: AwsClients) -> None:
    _seed()
    inject(
        clients.client("s3", "us-east-1"),
        "GetBucketPolicy",
        404,
        "NoSuchBucket",
        when=lambda request: "open-assets" in request.url,
    )
    assert "open-assets" not in _by_name(s3.collect_buckets(clients, ACCOUNT))


def test_account_public_access_block(clients: AwsClients) -> None:
    assert s3.fetch_account_settings(clients, "us-east-1", ACCOUNT).public_access_block is None
    boto3.client("s3control", region_name="us-east-1").put_public_access_block(
        AccountId=ACCOUNT.id, PublicAccessBlockConfiguration=FULL_BLOCK
    )
    settings = s3.fetch_account_settings(clients, "us-east-1", ACCOUNT)
    assert settings.public_access_block is not None and settings.public_access_block.all_on


def test_denied_list_fails_the_collection_instead_of_listing_nothing(clients: AwsClients) -> None:
    _seed()
    inject(clients.client("s3"), "ListBuckets", 403, "AccessDenied")
    inject(clients.client("s3control"), "GetPublicAccessBlock", 403, "AccessDenied")
    with ThreadPoolExecutor(2) as pool:
        collected = run_collections(s3.COLLECTIONS, ("us-east-1",), clients, ACCOUNT, pool)
    assert collected.values == {}
    assert {(o.collection, o.outcome, o.missing) for o in collected.outcomes} == {
        (data.S3_BUCKETS, Outcome.ACCESS_DENIED, "s3:ListAllMyBuckets"),
        (
            data.S3_ACCOUNT_PUBLIC_ACCESS_BLOCK,
            Outcome.ACCESS_DENIED,
            "s3:GetAccountPublicAccessBlock",
        ),
    }


def test_every_list_page_is_read(offline_clients: AwsClients) -> None:
    """moto answers ListBuckets in one page; the recorded pages carry ContinuationToken."""
    recorded: dict[str, Any] = load("aws/s3_list_buckets_pages.json")
    client = offline_clients.client("s3", "us-east-1")
    with Stubber(client) as stub:
        token: dict[str, str] = {}
        for page in recorded["pages"]:
            # Every request is a paginated one: MaxBuckets, then the previous page's token.
            stub.add_response("list_buckets", page, {"MaxBuckets": s3.LIST_BUCKETS_PAGE, **token})
            token = {"ContinuationToken": page.get("ContinuationToken", "")}
        names = [b["Name"] for page in recorded["pages"] for b in page["Buckets"]]
        for _ in names:
            stub.add_client_error("get_bucket_policy", "NoSuchBucketPolicy", http_status_code=404)
            stub.add_response("get_bucket_acl", recorded["acl"])
            stub.add_client_error(
                "get_public_access_block",
                "NoSuchPublicAccessBlockConfiguration",
                http_status_code=404,
            )
            stub.add_response("get_bucket_encryption", recorded["encryption"])
            stub.add_response("get_bucket_versioning", {"Status": "Enabled"})
            stub.add_response("get_bucket_logging", {})
            stub.add_client_error(
                "get_bucket_lifecycle_configuration",
                "NoSuchLifecycleConfiguration",
                http_status_code=404,
            )
        got = s3.collect_buckets(offline_clients, ACCOUNT, SequentialExecutor)
        stub.assert_no_pending_responses()
    assert [b.name for b in got] == names
    assert len(recorded["pages"]) >= 3
    assert {b.encryption_algorithm for b in got} == {"AES256"}
    assert all(not b.unknown and b.region == "us-east-1" for b in got)


def test_policy_status_is_read_for_buckets_with_a_policy(clients: AwsClients) -> None:
    _seed()
    got = _by_name(s3.collect_buckets(clients, ACCOUNT))
    assert got["eu-share"].policy_status_public is True
    # No policy: GetBucketPolicyStatus is not asked (it answers NoSuchBucketPolicy).
    assert got["open-assets"].policy_status_public is None


def test_denied_policy_status_makes_only_that_aspect_unknown(clients: AwsClients) -> None:
    _seed()
    inject(clients.client("s3", "eu-west-1"), "GetBucketPolicyStatus", 403, "AccessDenied")
    share = _by_name(s3.collect_buckets(clients, ACCOUNT))["eu-share"]
    assert [(u.aspect, u.missing) for u in share.unknown] == [
        (data.S3_POLICY_STATUS, "s3:GetBucketPolicyStatus")
    ]
    assert share.policy is not None and share.policy_status_public is None
