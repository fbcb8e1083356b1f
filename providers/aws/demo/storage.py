"""Demo storage and keys: one misconfigured resource of each kind beside a clean twin.

The credential-looking values below are fabricated for the demo (never real secrets); they
exist so the Lambda check has something to find.
"""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import boto3

HOME, AWAY = "us-east-1", "eu-west-1"
_FULL_BLOCK = {
    "BlockPublicAcls": True,
    "IgnorePublicAcls": True,
    "BlockPublicPolicy": True,
    "RestrictPublicBuckets": True,
}


def _bucket(name: str, region: str) -> Any:
    s3: Any = boto3.client("s3", region_name=region)
    kwargs: dict[str, Any] = {}
    if region != "us-east-1":
        kwargs["CreateBucketConfiguration"] = {"LocationConstraint": region}
    s3.create_bucket(Bucket=name, **kwargs)
    return s3


def _tls_only_policy(name: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "DenyInsecureTransport",
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": "s3:*",
                    "Resource": [f"arn:aws:s3:::{name}", f"arn:aws:s3:::{name}/*"],
                    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                }
            ],
        }
    )


def seed_buckets(kms_key_id: str) -> None:
    # A public website bucket (ACL) and a public share (policy), with nothing else set.
    public_acl = _bucket("demo-public-assets", HOME)
    public_acl.put_bucket_acl(Bucket="demo-public-assets", ACL="public-read")
    public_policy = _bucket("demo-partner-share", AWAY)
    public_policy.put_bucket_policy(
        Bucket="demo-partner-share",
        Policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "PublicRead",
                        "Effect": "Allow",
                        "Principal": "*",
                        "Action": "s3:GetObject",
                        "Resource": "arn:aws:s3:::demo-partner-share/*",
                    }
                ],
            }
        ),
    )
    # The clean twin: blocked, TLS-only, KMS, versioned, logged, expiring.
    _bucket("demo-access-logs", HOME).put_bucket_acl(
        Bucket="demo-access-logs", ACL="log-delivery-write"
    )
    s3 = _bucket("demo-records", HOME)
    s3.put_public_access_block(Bucket="demo-records", PublicAccessBlockConfiguration=_FULL_BLOCK)
    s3.put_bucket_policy(Bucket="demo-records", Policy=_tls_only_policy("demo-records"))
    s3.put_bucket_encryption(
        Bucket="demo-records",
        ServerSideEncryptionConfiguration={
            "Rules": [
                {
                    "ApplyServerSideEncryptionByDefault": {
                        "SSEAlgorithm": "aws:kms",
                        "KMSMasterKeyID": kms_key_id,
                    }
                }
            ]
        },
    )
    s3.put_bucket_versioning(Bucket="demo-records", VersioningConfiguration={"Status": "Enabled"})
    s3.put_bucket_logging(
        Bucket="demo-records",
        BucketLoggingStatus={
            "LoggingEnabled": {"TargetBucket": "demo-access-logs", "TargetPrefix": "records/"}
        },
    )
    s3.put_bucket_lifecycle_configuration(
        Bucket="demo-records",
        LifecycleConfiguration={
            "Rules": [
                {
                    "ID": "expire-after-7-years",
                    "Status": "Enabled",
                    "Filter": {"Prefix": ""},
                    "Expiration": {"Days": 2555},
                    "NoncurrentVersionExpiration": {"NoncurrentDays": 90},
                }
            ]
        },
    )


def seed_keys() -> str:
    """A key that never rotates, one that does, one pending deletion; returns the good one."""
    kms = boto3.client("kms", region_name=HOME)
    stale = kms.create_key(Description="demo app key")["KeyMetadata"]["KeyId"]
    kms.create_alias(AliasName="alias/demo-app", TargetKeyId=stale)
    good = kms.create_key(Description="demo records key")["KeyMetadata"]["KeyId"]
    kms.create_alias(AliasName="alias/demo-records", TargetKeyId=good)
    kms.enable_key_rotation(KeyId=good)
    doomed = kms.create_key(Description="demo retired key")["KeyMetadata"]["KeyId"]
    kms.enable_key_rotation(KeyId=doomed)
    kms.schedule_key_deletion(KeyId=doomed, PendingWindowInDays=7)
    return str(good)


def seed_volumes() -> None:
    """Encryption by default off at home and on away; a plain and an encrypted volume each."""
    boto3.client("ec2", region_name=AWAY).enable_ebs_encryption_by_default()
    ec2 = boto3.client("ec2", region_name=HOME)
    plain = ec2.create_volume(AvailabilityZone=f"{HOME}a", Size=8, Encrypted=False)
    ec2.create_snapshot(VolumeId=plain["VolumeId"], Description="demo plain backup")
    sealed = ec2.create_volume(AvailabilityZone=f"{HOME}a", Size=8, Encrypted=True)
    ec2.create_snapshot(VolumeId=sealed["VolumeId"], Description="demo sealed backup")


def seed_databases() -> None:
    rds = boto3.client("rds", region_name=HOME)
    rds.create_db_parameter_group(
        DBParameterGroupName="demo-postgres-tls",
        DBParameterGroupFamily="postgres14",
        Description="TLS only",
    )
    rds.modify_db_parameter_group(
        DBParameterGroupName="demo-postgres-tls",
        Parameters=[
            {"ParameterName": "rds.force_ssl", "ParameterValue": "1", "ApplyMethod": "immediate"}
        ],
    )
    common = {
        "Engine": "postgres",
        "EngineVersion": "14.10",
        "DBInstanceClass": "db.t3.micro",
        "MasterUsername": "demo",
        "MasterUserPassword": "demo-not-a-real-password",
        "AllocatedStorage": 20,
    }
    rds.create_db_instance(
        DBInstanceIdentifier="demo-legacy-db",
        StorageEncrypted=False,
        PubliclyAccessible=True,
        BackupRetentionPeriod=1,
        **common,
    )
    rds.create_db_instance(
        DBInstanceIdentifier="demo-orders-db",
        StorageEncrypted=True,
        PubliclyAccessible=False,
        BackupRetentionPeriod=14,
        DBParameterGroupName="demo-postgres-tls",
        **common,
    )
    table = {
        "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
        "BillingMode": "PAY_PER_REQUEST",
    }
    dynamodb = boto3.client("dynamodb", region_name=AWAY)
    dynamodb.create_table(TableName="demo-sessions", **table)
    dynamodb.create_table(TableName="demo-orders", **table)
    dynamodb.update_continuous_backups(
        TableName="demo-orders",
        PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True},
    )


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("handler.py", "def handle(event, context):\n    return None\n")
    return buffer.getvalue()


def seed_functions_and_secrets() -> None:
    role = boto3.client("iam", region_name=HOME).create_role(
        RoleName="demo-lambda",
        AssumeRolePolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "lambda.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                    }
                ],
            }
        ),
    )["Role"]["Arn"]
    lam = boto3.client("lambda", region_name=HOME)
    base = {"Runtime": "python3.12", "Role": role, "Handler": "handler.handle"}
    fabricated_key = "sk_" + "live_" + "DEMO0fabricated0value0nope"
    lam.create_function(
        FunctionName="demo-billing-sync",
        Code={"ZipFile": _zip()},
        Environment={
            "Variables": {"DB_PASSWORD": "Demo-Fabricated-2024", "PAYMENTS_KEY": fabricated_key}
        },
        **base,
    )
    rotator = lam.create_function(
        FunctionName="demo-secret-rotator",
        Code={"ZipFile": _zip()},
        Environment={
            "Variables": {
                "DB_SECRET_ARN": f"arn:aws:secretsmanager:{HOME}:123456789012:secret:demo/db",
                "LOG_LEVEL": "info",
            }
        },
        **base,
    )["FunctionArn"]
    secrets = boto3.client("secretsmanager", region_name=HOME)
    secrets.create_secret(Name="demo/legacy-api-key", SecretString="fabricated")
    secrets.create_secret(Name="demo/db", SecretString="fabricated")
    secrets.rotate_secret(
        SecretId="demo/db",
        RotationLambdaARN=rotator,
        RotationRules={"AutomaticallyAfterDays": 30},
        RotateImmediately=False,
    )


def seed_storage() -> None:
    """Every storage and key problem the checks look for, each beside a clean twin."""
    key = seed_keys()
    seed_buckets(key)
    seed_volumes()
    seed_databases()
    seed_functions_and_secrets()
