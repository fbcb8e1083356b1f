"""Hand-built Azure AD inventories for pure check tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from scanner.check import CheckContext, CheckResult
from scanner.config import PostureConfig
from scanner.inventory import azuread as inv
from scanner.models.enums import Status
from scanner.models.inventory import CollectionOutcome

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
TENANT = "11111111-2222-3333-4444-555555555555"
GA = inv.GLOBAL_ADMINISTRATOR_TEMPLATE_ID
USER_ADMIN = "fe930be7-5e62-47db-91af-98c3a49a38b1"
HELPDESK = "729827e3-9c14-49f7-bb1b-9608f156bbb8"
ALL_COLLECTIONS = tuple(
    v
    for k, v in vars(inv).items()
    if k.isupper() and isinstance(v, str) and v.startswith("azuread.")
)


def ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def ctx(**thresholds: Any) -> CheckContext:
    config = PostureConfig()
    if thresholds:
        azuread = config.azuread.model_copy(
            update={"thresholds": config.azuread.thresholds.model_copy(update=thresholds)}
        )
        config = config.model_copy(update={"azuread": azuread})
    return CheckContext(now=NOW, config=config)


def user(name: str, **kw: Any) -> inv.AzureUser:
    fields: dict[str, Any] = {
        "id": f"id-{name}",
        "user_principal_name": f"{name}@example.com",
        "account_enabled": True,
        "created": ago(400),
        "last_sign_in": ago(1),
        "last_successful_sign_in": ago(1),
    }
    fields.update(kw)
    return inv.AzureUser(**fields)


def signed_in(days: float | None) -> dict[str, Any]:
    """A last sign-in attempt that succeeded `days` ago (None: never signed in)."""
    at = None if days is None else ago(days)
    return {"last_sign_in": at, "last_successful_sign_in": at}


def assignment(
    principal: str, role: str = GA, kind: inv.PrincipalType = "user"
) -> inv.RoleAssignment:
    return inv.RoleAssignment(
        id=f"a-{principal}-{role[:8]}",
        role_definition_id=role,
        principal_id=f"id-{principal}",
        principal_type=kind,
        principal_name=f"{principal}@example.com" if kind == "user" else principal,
    )


ROLE_DEFINITIONS = (
    inv.RoleDefinition(id=GA, template_id=GA, display_name="Global Administrator"),
    inv.RoleDefinition(id=USER_ADMIN, template_id=USER_ADMIN, display_name="User Administrator"),
    inv.RoleDefinition(id=HELPDESK, template_id=HELPDESK, display_name="Helpdesk Administrator"),
)


def policy(name: str, **kw: Any) -> inv.ConditionalAccessPolicy:
    fields: dict[str, Any] = {
        "id": f"p-{name}",
        "display_name": name,
        "state": "enabled",
        "include_users": ("All",),
        "include_applications": ("All",),
        "client_app_types": ("all",),
        "grant_operator": "OR",
        "built_in_controls": ("mfa",),
    }
    fields.update(kw)
    return inv.ConditionalAccessPolicy(**fields)


def inventory(failed: dict[str, str] | None = None, **fields: Any) -> inv.AzureAdInventory:
    failed = failed or {}
    outcomes = tuple(
        CollectionOutcome(collection=c)
        if c not in failed
        else CollectionOutcome(collection=c, outcome=failed[c], missing="Some.Permission")
        for c in ALL_COLLECTIONS
    )
    fields.setdefault("role_definitions", ROLE_DEFINITIONS)
    return inv.AzureAdInventory(account=TENANT, outcomes=outcomes, **fields)


def verdicts(results: list[CheckResult]) -> tuple[set[str], set[str]]:
    """(failing resource names, passing resource names), with sub_key where there is one."""

    def key(r: CheckResult) -> str:
        return f"{r.resource.name}#{r.sub_key}" if r.sub_key else r.resource.name

    fails = {key(r) for r in results if r.status is Status.FAIL}
    passes = {key(r) for r in results if r.status is Status.PASS}
    return fails, passes
