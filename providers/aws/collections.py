"""Every AWS collection, in the order a scan starts them."""

from __future__ import annotations

from providers.aws.collectors import (
    acm,
    apigateway,
    awslambda,
    cloudfront,
    cloudtrail,
    cloudwatch,
    dynamodb,
    ebs,
    elb,
    elbv2,
    guardduty,
    iam,
    kms,
    logs,
    rds,
    s3,
    secretsmanager,
    securityhub,
    vpc,
)
from providers.aws.collectors import config as config_service
from providers.aws.runner import AwsCollection

COLLECTIONS: tuple[AwsCollection, ...] = (
    *iam.COLLECTIONS,
    *s3.COLLECTIONS,
    *kms.COLLECTIONS,
    *ebs.COLLECTIONS,
    *rds.COLLECTIONS,
    *dynamodb.COLLECTIONS,
    *secretsmanager.COLLECTIONS,
    *awslambda.COLLECTIONS,
    *cloudtrail.COLLECTIONS,
    *logs.COLLECTIONS,
    *cloudwatch.COLLECTIONS,
    *guardduty.COLLECTIONS,
    *securityhub.COLLECTIONS,
    *config_service.COLLECTIONS,
    *vpc.COLLECTIONS,
    *elbv2.COLLECTIONS,
    *elb.COLLECTIONS,
    *cloudfront.COLLECTIONS,
    *apigateway.COLLECTIONS,
    *acm.COLLECTIONS,
)
