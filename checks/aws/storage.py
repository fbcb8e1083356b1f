"""Resource references and the "could not read it" verdict, shared by the storage checks."""

from __future__ import annotations

from scanner.check import CheckResult, error
from scanner.inventory import aws_data as data
from scanner.models.findings import Resource


def bucket(b: data.S3Bucket) -> Resource:
    return Resource(uid=b.arn, type="AWS::S3::Bucket", name=b.name)


def kms_key(k: data.KmsKey) -> Resource:
    return Resource(uid=k.arn, type="AWS::KMS::Key", name=k.aliases[0] if k.aliases else k.key_id)


def volume(v: data.EbsVolume) -> Resource:
    return Resource(uid=v.arn, type="AWS::EC2::Volume", name=v.name or v.volume_id)


def snapshot(s: data.EbsSnapshot) -> Resource:
    return Resource(uid=s.arn, type="AWS::EC2::Snapshot", name=s.name or s.snapshot_id)


def db_instance(i: data.RdsInstance) -> Resource:
    return Resource(uid=i.arn, type="AWS::RDS::DBInstance", name=i.identifier)


def dynamo_table(t: data.DynamoTable) -> Resource:
    return Resource(uid=t.arn, type="AWS::DynamoDB::Table", name=t.name)


def secret(s: data.Secret) -> Resource:
    return Resource(uid=s.arn, type="AWS::SecretsManager::Secret", name=s.name)


def lambda_function(f: data.LambdaFunction) -> Resource:
    return Resource(uid=f.arn, type="AWS::Lambda::Function", name=f.name)


def not_evaluated(
    resource: Resource, unknown: tuple[data.Unknown, ...], region: str | None
) -> CheckResult:
    """An `error` verdict for a resource whose needed settings could not be read."""
    first = unknown[0]
    return error(
        resource,
        f"Not evaluated: the {first.aspect} of {resource.name} could not be read "
        f"({first.reason}; needs {first.missing}).",
        region=region,
        evidence={
            "unknown": [
                {"aspect": u.aspect, "reason": u.reason, "missing": u.missing} for u in unknown
            ]
        },
    )
