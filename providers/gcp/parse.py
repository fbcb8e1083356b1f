"""Small parsers shared by the collectors: timestamps, durations and IAM policies."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from scanner.inventory.gcp import AuditConfig, AuditLogConfig, Binding, Condition, IamPolicy
from scanner.payload import flag as flag
from scanner.timestamps import utc_timestamp


def timestamp(value: Any) -> datetime | None:
    """RFC 3339 as Google writes it (Z, up to nanoseconds) as an aware datetime."""
    return utc_timestamp(str(value)) if value else None


def duration_seconds(value: Any) -> int | None:
    """A protobuf Duration in JSON ("7776000s", "86400.5s") as whole seconds."""
    if value in (None, ""):
        return None
    text = str(value).removesuffix("s")
    try:
        return int(float(text))
    except ValueError:
        return None


def int_or_none(value: Any) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def iam_policy(payload: dict[str, Any]) -> IamPolicy:
    """A google.iam.v1.Policy in its JSON form (REST, or MessageToDict of the protobuf)."""
    bindings = []
    for raw in payload.get("bindings") or ():
        condition = raw.get("condition")
        bindings.append(
            Binding(
                role=str(raw.get("role", "")),
                members=tuple(str(m) for m in raw.get("members") or ()),
                condition=Condition(
                    title=str(condition.get("title", "")),
                    expression=str(condition.get("expression", "")),
                )
                if condition
                else None,
            )
        )
    audit_configs = tuple(
        AuditConfig(
            service=str(raw.get("service", "")),
            audit_log_configs=tuple(
                AuditLogConfig(
                    log_type=str(c.get("logType", "LOG_TYPE_UNSPECIFIED")),
                    exempted_members=tuple(str(m) for m in c.get("exemptedMembers") or ()),
                )
                for c in raw.get("auditLogConfigs") or ()
            ),
        )
        for raw in payload.get("auditConfigs") or ()
    )
    return IamPolicy(
        version=int(payload.get("version") or 1),
        bindings=tuple(bindings),
        audit_configs=audit_configs,
    )
