"""Helpers for the readiness tests: a fixed clock, a fake identity provider, running checks."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path

from scanner.check import AnyCheck, CheckContext, CheckResult
from scanner.config import PostureConfig
from scanner.engine import evaluate_check
from scanner.inventory.common import DirectoryUser
from scanner.models.enums import Status
from scanner.models.inventory import Inventory

WriteFiles = Callable[[dict[str, str]], Path]
"""The `write_files` fixture: {relative path: text} -> evidence root."""

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


class FakeDirectoryInventory(Inventory):
    """Test-only identity provider inventory: what Okta/Azure AD will expose."""

    provider: str = "okta"
    account: str = "acme.okta.com"
    directory_users: tuple[DirectoryUser, ...] = ()


def person(
    login: str,
    *,
    active: bool = True,
    created: datetime | None = datetime(2024, 1, 10, tzinfo=UTC),
    email: str | None = None,
    deactivated: datetime | None = None,
) -> DirectoryUser:
    return DirectoryUser(
        uid=f"00u-{login.split('@')[0]}",
        login=login,
        email=email or login,
        status="ACTIVE" if active else "DEPROVISIONED",
        active=active,
        created=created,
        deactivated=deactivated,
    )


def context(config: PostureConfig | None = None, now: datetime = NOW) -> CheckContext:
    return CheckContext(now=now, config=config or PostureConfig())


def run(
    check: AnyCheck, inventory: Inventory, ctx: CheckContext | None = None
) -> list[CheckResult]:
    """The check through the engine, as a scan runs it (missing data handling included)."""
    return evaluate_check(check, inventory, ctx or context())


def names(results: Iterable[CheckResult], status: Status) -> set[str]:
    return {r.resource.name for r in results if r.status is status}
