"""AWS storage and keys inventory: S3, KMS, EBS, RDS, DynamoDB, Secrets Manager, Lambda.

A resource whose detail call failed (AccessDenied on one bucket, a key policy that locks the
scanner out) keeps the facts that were read and lists the rest in `unknown`; checks that need
an unknown aspect say `error` for that resource instead of guessing.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import Field, JsonValue, SecretStr

from scanner.models.inventory import Frozen

PolicyDocument = dict[str, JsonValue]

# Collection names: checks declare them in `requires`, collectors record their outcomes.
S3_BUCKETS = "aws.s3.buckets"
S3_ACCOUNT_PUBLIC_ACCESS_BLOCK = "aws.s3.account_public_access_block"
KMS_KEYS = "aws.kms.keys"
EBS_ENCRYPTION_DEFAULTS = "aws.ec2.ebs_encryption_by_default"
EBS_VOLUMES = "aws.ec2.volumes"
EBS_SNAPSHOTS = "aws.ec2.snapshots"
RDS_INSTANCES = "aws.rds.db_instances"
DYNAMODB_TABLES = "aws.dynamodb.tables"
SECRETS = "aws.secretsmanager.secrets"
LAMBDA_FUNCTIONS = "aws.lambda.functions"


class Unknown(Frozen):
    """One aspect of a resource that could not be read, and the permission it needs."""

    aspect: str
    missing: str = Field(description="The IAM action that failed, e.g. s3:GetBucketPolicy")
    reason: str = Field(description="The error code, e.g. AccessDenied")


class Unknowable(Frozen):
    unknown: tuple[Unknown, ...] = ()

    def unknown_of(self, *aspects: str) -> tuple[Unknown, ...]:
        return tuple(u for u in self.unknown if u.aspect in aspects)


# --- S3 ---------------------------------------------------------------------------------------


class PublicAccessBlock(Frozen):
    block_public_acls: bool = False
    ignore_public_acls: bool = False
    block_public_policy: bool = False
    restrict_public_buckets: bool = False

    @property
    def all_on(self) -> bool:
        return (
            self.block_public_acls
            and self.ignore_public_acls
            and self.block_public_policy
            and self.restrict_public_buckets
        )


class AclGrant(Frozen):
    grantee_type: str = Field(description="CanonicalUser, Group or AmazonCustomerByEmail")
    grantee: str = Field(description="The group URI, or the canonical user id or email")
    permission: str


class LifecycleRule(Frozen):
    id: str = ""
    enabled: bool
    expiration_days: int | None = None
    expiration_date: datetime | None = None
    noncurrent_expiration_days: int | None = None
    transitions: int = 0

    @property
    def expires_objects(self) -> bool:
        """True when the rule deletes objects (current or noncurrent versions)."""
        return self.enabled and (
            self.expiration_days is not None
            or self.expiration_date is not None
            or self.noncurrent_expiration_days is not None
        )


class S3Bucket(Unknowable):
    """A bucket with the settings the checks read. `None` means read and not configured."""

    name: str
    arn: str
    region: str
    created: datetime | None = None
    policy: PolicyDocument | None = None
    policy_status_public: bool | None = Field(
        None,
        description="S3's own verdict, GetBucketPolicyStatus PolicyStatus.IsPublic; None when "
        "the bucket has no policy or the status could not be read",
    )
    acl_grants: tuple[AclGrant, ...] = ()
    public_access_block: PublicAccessBlock | None = None
    encryption_algorithm: str | None = Field(
        None, description="SSEAlgorithm of the default encryption: AES256, aws:kms, aws:kms:dsse"
    )
    encryption_key: str | None = Field(None, description="KMSMasterKeyID, when KMS")
    versioning: str | None = Field(None, description="Enabled, Suspended, or None (never on)")
    mfa_delete: bool = False
    logging_target: str | None = Field(None, description="Target bucket of access logging")
    lifecycle_rules: tuple[LifecycleRule, ...] = ()


# Bucket aspects, as named in `S3Bucket.unknown`.
S3_POLICY = "policy"
S3_POLICY_STATUS = "policy_status"
S3_ACL = "acl"
S3_PUBLIC_ACCESS_BLOCK = "public_access_block"
S3_ENCRYPTION = "encryption"
S3_VERSIONING = "versioning"
S3_LOGGING = "logging"
S3_LIFECYCLE = "lifecycle"
S3_LOCATION = "location"


class S3AccountSettings(Frozen):
    """The account-wide S3 public access block (S3 Control); None when not configured."""

    public_access_block: PublicAccessBlock | None = None


# --- KMS --------------------------------------------------------------------------------------


class KmsKey(Unknowable):
    key_id: str
    arn: str
    region: str
    aliases: tuple[str, ...] = ()
    manager: str | None = Field(None, description="CUSTOMER or AWS; None when unknown")
    state: str | None = Field(None, description="Enabled, Disabled, PendingDeletion, …")
    key_spec: str | None = None
    key_usage: str | None = None
    origin: str | None = Field(None, description="AWS_KMS, EXTERNAL, AWS_CLOUDHSM, …")
    multi_region: bool = False
    deletion_date: datetime | None = None
    rotation_enabled: bool | None = Field(None, description="None when not applicable or unknown")

    @property
    def customer_managed(self) -> bool:
        """alias/aws/ is reserved for AWS-managed keys, whatever a (mock) endpoint reports."""
        return self.manager == "CUSTOMER" and not any(
            a.startswith("alias/aws/") for a in self.aliases
        )

    @property
    def rotatable(self) -> bool:
        """Automatic rotation applies: a symmetric encryption key with AWS-made material."""
        return (
            self.key_spec == "SYMMETRIC_DEFAULT"
            and self.key_usage in (None, "ENCRYPT_DECRYPT")
            and self.origin == "AWS_KMS"
        )


KMS_METADATA = "metadata"
KMS_ROTATION = "rotation"


# --- EBS --------------------------------------------------------------------------------------


class EbsRegionSettings(Frozen):
    region: str
    encryption_by_default: bool
    default_kms_key: str | None = None


class EbsVolume(Frozen):
    volume_id: str
    arn: str
    region: str
    encrypted: bool
    state: str | None = None
    size_gib: int | None = None
    attached_to: tuple[str, ...] = ()
    name: str | None = None


class EbsSnapshot(Frozen):
    snapshot_id: str
    arn: str
    region: str
    encrypted: bool
    volume_id: str | None = None
    started: datetime | None = None
    name: str | None = None


# --- RDS --------------------------------------------------------------------------------------


class RdsInstance(Unknowable):
    identifier: str
    arn: str
    region: str
    engine: str
    engine_version: str | None = None
    cluster: str | None = None
    replica_of: str | None = Field(None, description="Source instance of a read replica")
    storage_encrypted: bool
    publicly_accessible: bool
    backup_retention_days: int
    cluster_arn: str | None = None
    parameter_groups: tuple[str, ...] = Field(
        (), description="The group holding its TLS settings: the cluster's for cluster members"
    )
    ssl_parameters: dict[str, str] = Field(
        default_factory=dict,
        description="The TLS parameters (rds.force_ssl, require_secure_transport, DocumentDB "
        "tls, neptune_enforce_ssl) as the parameter group sets them",
    )
    static_parameters: tuple[str, ...] = Field(
        (), description="Those of them whose ApplyType is static: a change waits for a reboot"
    )
    parameter_apply_status: str | None = Field(
        None,
        description="ParameterApplyStatus of its DB parameter group, or for a cluster member "
        "DBClusterMember.DBClusterParameterGroupStatus: pending-reboot means changes to static "
        "parameters are not in force yet",
    )

    @property
    def service(self) -> str:
        """Neptune and DocumentDB instances come back from DescribeDBInstances too."""
        return {"neptune": "neptune", "docdb": "docdb"}.get(self.engine, "rds")

    @property
    def multi_az_cluster(self) -> bool:
        """A member of a Multi-AZ DB cluster: an RDS cluster whose engine is not Aurora."""
        return (
            self.cluster is not None
            and self.service == "rds"
            and not self.engine.startswith("aurora")
        )

    def pending_reboot(self, parameter: str) -> bool:
        """The group's value of `parameter` is not in force until the instance reboots."""
        return self.parameter_apply_status == "pending-reboot" and parameter in (
            self.static_parameters
        )


RDS_PARAMETERS = "parameters"


# --- DynamoDB, Secrets Manager, Lambda -------------------------------------------------------


class DynamoTable(Unknowable):
    name: str
    arn: str
    region: str
    pitr_enabled: bool | None = Field(None, description="None when unknown")


DYNAMODB_BACKUPS = "continuous_backups"


class Secret(Frozen):
    name: str
    arn: str
    region: str
    rotation_enabled: bool
    rotation_days: int | None = None
    last_rotated: datetime | None = None
    last_accessed: datetime | None = None
    owning_service: str | None = None


class LambdaVariable(Frozen):
    """An environment variable. The value stays masked in every repr and dump."""

    name: str
    value: SecretStr


class LambdaFunction(Unknowable):
    name: str
    arn: str
    region: str
    runtime: str | None = None
    variables: tuple[LambdaVariable, ...] = ()


LAMBDA_ENVIRONMENT = "environment"
