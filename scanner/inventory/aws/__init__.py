"""The AWS inventory of one account, by service area. Built by providers.aws, read by checks.aws.

`identity` (IAM), `storage` (S3, KMS, EBS, RDS, DynamoDB, Secrets Manager, Lambda),
`monitoring` (CloudTrail, CloudWatch Logs and alarms, GuardDuty, Security Hub, Config) and
`network` (VPCs, security groups, load balancers, CloudFront, API Gateway, ACM) hold the models
and the collection names; `AwsInventory` gathers them.
"""

from __future__ import annotations

from pydantic import Field

from scanner.inventory.aws import monitoring as mon
from scanner.inventory.aws import network as net
from scanner.inventory.aws import storage as data
from scanner.inventory.aws.identity import (
    AuthorizationDetails,
    CredentialReportUser,
    OrganizationsFeatures,
    PasswordPolicy,
    RootAccount,
)
from scanner.inventory.common import TlsEndpoint
from scanner.models.inventory import Inventory


class AwsInventory(Inventory):
    provider: str = "aws"
    partition: str = "aws"
    credential_report: tuple[CredentialReportUser, ...] = ()
    root_report_row: CredentialReportUser | None = Field(
        default=None, description="The <root_account> row; real AWS has it, moto does not"
    )
    root: RootAccount | None = None
    organizations_features: OrganizationsFeatures | None = Field(
        default=None, description="Centralised root access of the account's organization"
    )
    authorization: AuthorizationDetails = AuthorizationDetails()
    password_policy: PasswordPolicy | None = Field(
        default=None, description="None when collected and the account has no policy"
    )
    # storage and keys
    s3_buckets: tuple[data.S3Bucket, ...] = ()
    s3_account: data.S3AccountSettings | None = None
    kms_keys: tuple[data.KmsKey, ...] = ()
    ebs_defaults: tuple[data.EbsRegionSettings, ...] = ()
    ebs_volumes: tuple[data.EbsVolume, ...] = ()
    ebs_snapshots: tuple[data.EbsSnapshot, ...] = ()
    rds_instances: tuple[data.RdsInstance, ...] = ()
    dynamodb_tables: tuple[data.DynamoTable, ...] = ()
    secrets: tuple[data.Secret, ...] = ()
    lambda_functions: tuple[data.LambdaFunction, ...] = ()
    # logging, monitoring, network and TLS
    trails: tuple[mon.Trail, ...] = ()
    trail_buckets: tuple[mon.TrailBucket, ...] = ()
    log_groups: tuple[mon.LogGroup, ...] = ()
    metric_filters: tuple[mon.MetricFilter, ...] = ()
    metric_alarms: tuple[mon.MetricAlarm, ...] = ()
    guardduty: tuple[mon.GuardDutyRegion, ...] = ()
    securityhub: tuple[mon.SecurityHubRegion, ...] = ()
    config_recorders: tuple[mon.ConfigRegion, ...] = ()
    vpcs: tuple[net.Vpc, ...] = ()
    security_groups: tuple[net.SecurityGroup, ...] = ()
    elbv2_endpoints: tuple[TlsEndpoint, ...] = ()
    elb_endpoints: tuple[TlsEndpoint, ...] = ()
    cloudfront_endpoints: tuple[TlsEndpoint, ...] = ()
    apigateway_endpoints: tuple[TlsEndpoint, ...] = ()
    acm_certificates: tuple[net.AcmCertificate, ...] = ()

    @property
    def tls_endpoints(self) -> tuple[TlsEndpoint, ...]:
        """Every TLS endpoint found (load balancer listeners, CloudFront, API domains), each
        with the earliest expiry among its ACM certificates when ACM was collected."""
        expiry = {c.arn: c.not_after for c in self.acm_certificates if c.not_after}
        endpoints = (
            *self.elbv2_endpoints,
            *self.elb_endpoints,
            *self.cloudfront_endpoints,
            *self.apigateway_endpoints,
        )
        return tuple(
            e.model_copy(update={"certificate_expires": min(known)})
            if e.certificate_expires is None
            and (known := [expiry[c] for c in e.certificate_ids if c in expiry])
            else e
            for e in endpoints
        )
