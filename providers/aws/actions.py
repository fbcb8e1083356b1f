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


# Services authorised by HTTP verb on a resource path, not by operation name.
_BY_HTTP_VERB = {"apigateway": "apigateway", "apigatewayv2": "apigateway"}
_VERB_OF = (
    ("Get", "GET"),
    ("List", "GET"),
    ("Create", "POST"),
    ("Update", "PATCH"),
    ("Delete", "DELETE"),
    ("Put", "PUT"),
)


def iam_action(service_name: str, operation: str) -> str:
    if service_name in _BY_HTTP_VERB:
        verb = next((v for prefix, v in _VERB_OF if operation.startswith(prefix)), "GET")
        return f"{_BY_HTTP_VERB[service_name]}:{verb}"
    prefix = iam_prefix(service_name)
    return _RENAMED.get((prefix, operation), f"{prefix}:{operation}")
