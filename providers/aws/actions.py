"""Mapping API operations to the IAM actions that authorise them.

Most operations are authorised by the action of the same name under the service's prefix;
the exceptions below are where AWS named them differently.
"""

from __future__ import annotations

# botocore service name -> IAM action prefix, where they differ.
_PREFIX = {
    "elbv2": "elasticloadbalancing",
    "elb": "elasticloadbalancing",
    "monitoring": "cloudwatch",
    "configservice": "config",
}

# (prefix, operation) -> action, where the action is not named after the operation.
_RENAMED = {
    ("s3", "ListBuckets"): "s3:ListAllMyBuckets",
    ("s3", "GetBucketEncryption"): "s3:GetEncryptionConfiguration",
    ("s3", "GetBucketLifecycleConfiguration"): "s3:GetLifecycleConfiguration",
    ("s3", "GetPublicAccessBlock"): "s3:GetBucketPublicAccessBlock",
    ("s3", "GetBucketOwnershipControls"): "s3:GetBucketOwnershipControls",
    ("s3control", "GetPublicAccessBlock"): "s3:GetAccountPublicAccessBlock",
    ("s3control", "ListAccessPoints"): "s3:ListAccessPoints",
    ("cloudfront", "ListDistributions2019_03_26"): "cloudfront:ListDistributions",
    ("lambda", "ListFunctions20150331"): "lambda:ListFunctions",
    ("lambda", "GetFunctionConfiguration20150331v2"): "lambda:GetFunctionConfiguration",
}


def iam_prefix(service_name: str) -> str:
    return _PREFIX.get(service_name, service_name)


def iam_action(service_name: str, operation: str) -> str:
    prefix = iam_prefix(service_name)
    return _RENAMED.get((prefix, operation), f"{prefix}:{operation}")
