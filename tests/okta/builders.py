"""Hand-built Okta inventories for the pure check tests: a fixed clock and small models."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fixtures import load
from scanner.check import CheckContext, CheckResult
from scanner.config import PostureConfig
from scanner.inventory.common import DirectoryUser
from scanner.inventory.okta import OktaInventory
from scanner.models.enums import Status

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def user(uid: str, status: str = "ACTIVE", **kw: Any) -> DirectoryUser:
    return DirectoryUser(
        uid=uid,
        login=f"{uid}@acme.example",
        email=f"{uid}@acme.example",
        status=status,
        active=status in {"ACTIVE", "PASSWORD_EXPIRED", "LOCKED_OUT", "RECOVERY"},
        **kw,
    )


def inventory(**fields: Any) -> OktaInventory:
    return OktaInventory(account="acme.okta.com", org_url="https://acme.okta.com", **fields)


def ctx(config: PostureConfig | None = None) -> CheckContext:
    return CheckContext(now=NOW, config=config or PostureConfig())


def verdicts(results: list[CheckResult]) -> dict[str, set[str]]:
    """{"fail": {name or name#sub_key, …}, "pass": {…}} — the exact sets a test asserts."""
    out: dict[str, set[str]] = {"fail": set(), "pass": set()}
    for r in results:
        assert r.status in (Status.FAIL, Status.PASS), r
        assert r.message.endswith("."), r.message
        key = r.resource.name + (f"#{r.sub_key}" if r.sub_key else "")
        out[r.status.value].add(key)
    return out


GROUP_ONLY_HOLDER = "00u1bob00000000002"


def holder_only_a_group_names() -> dict[str, Any]:
    """Fixture overrides: bob, deprovisioned (so a listing that ignores `search` misses him),
    is a member of a role-holding group and holds no role of his own."""
    users = load("okta/acme/users.json")
    for u in users:
        if u["id"] == GROUP_ONLY_HOLDER:
            u["status"] = "DEPROVISIONED"
    members = load("okta/acme/group_members.json")
    members["00g1automation00003"].append(GROUP_ONLY_HOLDER)
    return {"users": users, "group_members": members}
