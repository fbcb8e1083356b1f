"""Resource references for AWS findings (uids are ARNs), and the verdict for a resource whose
detail could not be read."""

from __future__ import annotations

from scanner.check import CheckResult, error
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws import storage as data
from scanner.inventory.aws.identity import CredentialReportUser, IamRoleDetail
from scanner.models.findings import Resource

ELBV2_LISTENER = "AWS::ElasticLoadBalancingV2::Listener"
ELB_LISTENER = "AWS::ElasticLoadBalancing::Listener"
CLOUDFRONT_DISTRIBUTION = "AWS::CloudFront::Distribution"
APIGATEWAY_DOMAIN = "AWS::ApiGateway::DomainName"


def iam_user(user: CredentialReportUser) -> Resource:
    return Resource(uid=user.arn, type="AWS::IAM::User", name=user.name)


def iam_role(role: IamRoleDetail) -> Resource:
    return Resource(uid=role.arn, type="AWS::IAM::Role", name=role.name)


def root_account(inventory: AwsInventory) -> Resource:
    return Resource(
        uid=f"arn:{inventory.partition}:iam::{inventory.account}:root",
        type="AWS::IAM::Root",
        name="root",
    )


def account_setting(inventory: AwsInventory, setting: str) -> Resource:
    """An account-wide IAM setting, such as the password policy."""
    return Resource(
        uid=f"arn:{inventory.partition}:iam::{inventory.account}:{setting}",
        type="AWS::Account::Setting",
        name=setting,
    )


def account_control(
    inventory: AwsInventory, service: str, control: str, region: str | None = None
) -> Resource:
    """An account-wide (or account-and-region-wide) control, e.g. GuardDuty in a region.

    The uid is stable and distinct per region.
    """
    return Resource(
        uid=f"arn:{inventory.partition}:{service}:{region or ''}:{inventory.account}:{control}",
        type="AWS::Account::Control",
        name=f"{service} {control} {region}" if region else f"{service} {control}",
    )


def bucket(b: data.S3Bucket) -> Resource:
    return Resource(uid=b.arn, type="AWS::S3::Bucket", name=b.name)


def kms_key(k: data.KmsKey) -> Resource:
    return Resource(uid=k.arn, type="AWS::KMS::Key", name=k.aliases[0] if k.aliases else k.key_id)


def volume(v: data.EbsVolume) -> Resource:
    return Resource(uid=v.arn, type="AWS::EC2::Volume", name=v.name or v.volume_id)


def snapshot(s: data.EbsSnapshot) -> Resource:
    return Resource(uid=s.arn, type="AWS::EC2::Snapshot", name=s.name or s.snapshot_id)


_DB_TYPES = {"rds": "AWS::RDS", "neptune": "AWS::Neptune", "docdb": "AWS::DocDB"}
_DB_LABELS = {"rds": "RDS", "neptune": "Neptune", "docdb": "DocumentDB"}


def db_label(i: data.RdsInstance) -> str:
    """RDS, Neptune or DocumentDB: DescribeDBInstances returns all three."""
    return _DB_LABELS[i.service]


def db_instance(i: data.RdsInstance) -> Resource:
    return Resource(uid=i.arn, type=f"{_DB_TYPES[i.service]}::DBInstance", name=i.identifier)


def db_cluster(i: data.RdsInstance) -> Resource:
    """The cluster an instance belongs to (its ARN, or one built from the instance's)."""
    cluster = i.cluster or i.identifier
    prefix = i.arn.rsplit(":db:", 1)[0]
    uid = i.cluster_arn or f"{prefix}:cluster:{cluster}"
    return Resource(uid=uid, type=f"{_DB_TYPES[i.service]}::DBCluster", name=cluster)


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
