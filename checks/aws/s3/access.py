"""Reading bucket policies and ACLs: who can reach a bucket, and whether TLS is required.

Whether a policy is public follows S3's own meaning, in `checks.aws.s3.public_policy`.
"""

from __future__ import annotations

import fnmatch
from typing import Any

from checks.aws.policy import as_list, statements
from scanner.inventory.aws import storage as data

PUBLIC_GROUPS = {
    "http://acs.amazonaws.com/groups/global/AllUsers": "AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers": "AuthenticatedUsers",
}


def _everyone(principal: Any) -> bool:
    if principal == "*":
        return True
    if isinstance(principal, dict):
        return any("*" in as_list(principal.get(k)) for k in ("AWS", "CanonicalUser"))
    return False


def public_grants(grants: tuple[data.AclGrant, ...]) -> list[str]:
    return [
        f"{PUBLIC_GROUPS[g.grantee]} {g.permission}"
        for g in grants
        if g.grantee_type == "Group" and g.grantee in PUBLIC_GROUPS
    ]


def _false(value: Any) -> bool:
    return all(str(v).lower() == "false" for v in as_list(value)) and bool(as_list(value))


def _denies_insecure_transport(statement: dict[str, Any]) -> bool:
    condition = statement.get("Condition")
    if not isinstance(condition, dict):
        return False
    for operator, clause in condition.items():
        if str(operator) not in ("Bool", "BoolIfExists") or not isinstance(clause, dict):
            continue
        for key, value in clause.items():
            if str(key).lower() == "aws:securetransport" and _false(value):
                return True
    return False


def tls_denial(policy: data.PolicyDocument, bucket_arn: str) -> str | None:
    """The statement denying non-TLS requests to every object for everyone, if any."""
    sample_object = f"{bucket_arn}/any-object"
    for index, s in enumerate(statements(policy)):
        if s.get("Effect") != "Deny" or not _everyone(s.get("Principal")):
            continue
        actions = [str(a).lower() for a in as_list(s.get("Action"))]
        if not any(a in ("*", "s3:*") for a in actions):
            continue
        resources = [str(r) for r in as_list(s.get("Resource"))]
        if not any(fnmatch.fnmatchcase(sample_object, r) for r in resources):
            continue
        if _denies_insecure_transport(s):
            return str(s.get("Sid") or f"statement {index + 1}")
    return None
