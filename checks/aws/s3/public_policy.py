"""S3's own meaning of a public bucket policy.

Follows the Amazon S3 User Guide, "Blocking public access to your Amazon S3 storage", section
"The meaning of 'public'" > "Bucket policies": S3 starts from public, and an Allow statement is
non-public only when it grants to fixed values (no wildcard, no policy variable) of a
principal or of one of a short list of condition keys. Anything posture cannot show to be
such a restriction counts as public: a false alarm costs a look, a false pass a data leak.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from checks.aws.policy import as_list, statements
from scanner.inventory.aws import storage as data

# Condition keys whose fixed values make a grant non-public (lower-cased; keys are
# case-insensitive). The principal keys stand for "a fixed AWS principal" (the guide names
# aws:PrincipalOrgID as its example). Keys not tied to an account or network, such as
# aws:username (the same name exists in every account), restrict nothing.
SOURCE_IP = "aws:sourceip"
USERID = "aws:userid"
ACCESS_POINT_ARN = "s3:dataaccesspointarn"
RESTRICTING_KEYS = frozenset(
    {
        SOURCE_IP,
        "aws:sourcearn",
        "aws:sourcevpc",
        "aws:sourcevpce",
        "aws:sourceowner",
        "aws:sourceaccount",
        USERID,
        ACCESS_POINT_ARN,
        "s3:dataaccesspointaccount",
        "aws:principalorgid",
        "aws:principalaccount",
        "aws:principalarn",
    }
)
# Operators that demand a match on the listed values. Negated operators (StringNotEquals,
# ArnNotLike, NotIpAddress) admit everyone else; `...IfExists` is true when the key is
# absent; `Null` tests presence only; `ForAllValues:` is true when the key is absent.
POSITIVE_OPERATORS = frozenset(
    {
        "stringequals",
        "stringequalsignorecase",
        "stringlike",
        "arnequals",
        "arnlike",
        "ipaddress",
    }
)
ANY_VALUE = "foranyvalue:"
# The guide: aws:SourceIp ranges broader than /8 (IPv4) or /32 (IPv6) are public, RFC 1918
# private ranges excepted.
MIN_PREFIX = {4: 8, 6: 32}
PRIVATE_V4 = tuple(
    ipaddress.IPv4Network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")
)


def _fixed(value: Any) -> bool:
    """A value with no wildcard (`*`, `?`) and no policy variable (`${aws:username}`)."""
    text = str(value)
    return bool(text) and not any(mark in text for mark in ("*", "?", "${"))


def _fixed_principal(principal: Any) -> bool:
    """A Principal naming only fixed AWS, service or canonical-user principals.

    `"*"`, a wildcard or variable anywhere, and web-identity `Federated` principals (the
    guide's first public example is `{"Federated": "graph.facebook.com"}`) are not fixed.
    """
    if not isinstance(principal, dict) or not principal:
        return False
    for kind, values in principal.items():
        if kind not in ("AWS", "Service", "CanonicalUser"):
            return False
        listed = as_list(values)
        if not listed or not all(_fixed(v) for v in listed):
            return False
    return True


def _non_public_cidr(value: Any) -> bool:
    try:
        network = ipaddress.ip_network(str(value), strict=False)
    except ValueError:
        return False
    if isinstance(network, ipaddress.IPv4Network) and any(network.subnet_of(p) for p in PRIVATE_V4):
        return True
    return network.prefixlen >= MIN_PREFIX[network.version]


def _fixed_access_point(value: Any) -> bool:
    """`arn:<partition>:s3:<region>:<account>:accesspoint/<name>`: the name alone may hold a
    wildcard (the guide's note on s3:DataAccessPointArn in bucket policies)."""
    parts = str(value).split(":", 5)
    if len(parts) != 6 or parts[0] != "arn" or parts[2] != "s3":
        return False
    resource = parts[5]
    if not resource.startswith("accesspoint/") or not resource[len("accesspoint/") :]:
        return False
    return all(_fixed(p) for p in parts[:5])


def _restricting_value(key: str, value: Any) -> bool:
    if key == SOURCE_IP:
        return _non_public_cidr(value)
    if key == ACCESS_POINT_ARN:
        return _fixed(value) or _fixed_access_point(value)
    return _fixed(value)


def _restricts(operator: str, key: str, values: Any) -> bool:
    """One condition clause admits only requests carrying fixed values of a listed key."""
    op = operator.lower()
    if op.startswith(ANY_VALUE):
        op = op[len(ANY_VALUE) :]
    k = key.lower()
    if op not in POSITIVE_OPERATORS or k not in RESTRICTING_KEYS:
        return False
    if (op == "ipaddress") != (k == SOURCE_IP):
        return False
    listed = as_list(values)
    # Values are alternatives: one wildcard among them opens the grant.
    return bool(listed) and all(_restricting_value(k, v) for v in listed)


def restricting_condition(statement: dict[str, Any]) -> bool:
    """Whether any clause of the statement's Condition pins fixed values (clauses are ANDed,
    so one restricting clause restricts the statement)."""
    condition = statement.get("Condition")
    if not isinstance(condition, dict):
        return False
    for operator, clause in condition.items():
        if not isinstance(clause, dict):
            continue
        if any(_restricts(str(operator), str(k), v) for k, v in clause.items()):
            return True
    return False


def public_statement(statement: dict[str, Any]) -> bool:
    """An Allow statement that S3 counts as public."""
    if statement.get("Effect") != "Allow":
        return False
    # NotPrincipal in an Allow grants to everyone but the principals it names.
    if "NotPrincipal" not in statement and _fixed_principal(statement.get("Principal")):
        return False
    return not restricting_condition(statement)


def public_statements(policy: data.PolicyDocument) -> list[str]:
    """Labels (Sid, or position) of the statements that make the policy public."""
    return [
        str(s.get("Sid") or f"statement {index + 1}")
        for index, s in enumerate(statements(policy))
        if public_statement(s)
    ]
