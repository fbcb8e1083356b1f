"""Reading IAM policy documents: pure helpers shared by the IAM checks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import JsonValue


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def statements(document: dict[str, JsonValue]) -> Iterator[dict[str, Any]]:
    for statement in as_list(document.get("Statement")):
        if isinstance(statement, dict):
            yield statement


def grants_full_admin(document: dict[str, JsonValue]) -> bool:
    """An Allow of every action (`*`) on every resource (`*`)."""
    for s in statements(document):
        if s.get("Effect") != "Allow":
            continue
        actions = as_list(s.get("Action"))
        resources = as_list(s.get("Resource"))
        if "*" in actions and "*" in resources:
            return True
    return False


def trusted_aws_principals(statement: dict[str, Any]) -> list[str]:
    principal = statement.get("Principal")
    if principal == "*":
        return ["*"]
    if isinstance(principal, dict):
        return [str(p) for p in as_list(principal.get("AWS"))]
    return []


def principal_account(principal: str) -> str | None:
    """The account id of an AWS principal (`123456789012` or an ARN), `*` for anyone."""
    if principal == "*":
        return "*"
    if principal.isdigit() and len(principal) == 12:
        return principal
    parts = principal.split(":")
    if len(parts) >= 5 and parts[0] == "arn":
        return parts[4]
    return None


# Operators that demand the caller's sts:ExternalId equal (or match) a listed value. Negated
# operators (StringNotEquals, StringNotLike) admit every other id, `...IfExists` and
# `ForAllValues:` are true when the caller sends none, and `Null` only tests presence.
EXTERNAL_ID_OPERATORS = frozenset({"stringequals", "stringequalsignorecase", "stringlike"})
ANY_VALUE = "foranyvalue:"


def _fixed_external_id(value: Any) -> bool:
    """A value a caller must know: not empty, no wildcard (`*`, `?`), no policy variable."""
    text = value if isinstance(value, str) else ""
    return bool(text) and not any(mark in text for mark in ("*", "?", "${"))


def has_external_id_condition(statement: dict[str, Any]) -> bool:
    """A positive match of sts:ExternalId on fixed values only."""
    condition = statement.get("Condition")
    if not isinstance(condition, dict):
        return False
    for operator, clause in condition.items():
        op = str(operator).lower()
        op = op[len(ANY_VALUE) :] if op.startswith(ANY_VALUE) else op
        if not isinstance(clause, dict) or op not in EXTERNAL_ID_OPERATORS:
            continue
        for key, values in clause.items():
            listed = as_list(values)
            fixed = bool(listed) and all(_fixed_external_id(v) for v in listed)
            if str(key).lower() == "sts:externalid" and fixed:
                return True
    return False
