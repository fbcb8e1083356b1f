"""Builders for GCP check tests: hand-built inventories, a fixed clock, verdict sets."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from checks.gcp import CHECKS as GCP_CHECKS
from scanner.check import AnyCheck, CheckContext
from scanner.config import PostureConfig
from scanner.engine import evaluate_check
from scanner.inventory.gcp import Binding, GcpInventory, IamPolicy
from scanner.models.enums import Status
from scanner.models.inventory import CollectionOutcome, Inventory
from scanner.scan import required_collections

ALL_COLLECTIONS = sorted(required_collections(GCP_CHECKS))

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def ctx(**gcp: Any) -> CheckContext:
    config = PostureConfig()
    if gcp:
        config = config.model_copy(update={"gcp": config.gcp.model_copy(update=gcp)})
    return CheckContext(now=NOW, config=config)


def policy(*grants: tuple[str, Iterable[str]], **kw: Any) -> IamPolicy:
    return IamPolicy(bindings=tuple(Binding(role=r, members=tuple(m)) for r, m in grants), **kw)


def project(**fields: Any) -> GcpInventory:
    """A project whose every collection ended ok, unless `outcomes` says otherwise."""
    fields.setdefault("outcomes", tuple(CollectionOutcome(collection=c) for c in ALL_COLLECTIONS))
    return GcpInventory(account="proj-a", scopes=("proj-a",), **fields)


def verdicts(
    check: AnyCheck, inventory: Inventory, context: CheckContext | None = None
) -> dict[str, set[str]]:
    """{status: {resource name (+ sub_key)}} after the engine's missing-data rules."""
    out: dict[str, set[str]] = {}
    for result in evaluate_check(check, inventory, context or ctx()):
        name = result.resource.name + (f"#{result.sub_key}" if result.sub_key else "")
        out.setdefault(result.status.value, set()).add(name)
    return out


def fails(check: AnyCheck, inventory: Inventory, context: CheckContext | None = None) -> set[str]:
    return verdicts(check, inventory, context).get(Status.FAIL.value, set())


def passes(check: AnyCheck, inventory: Inventory, context: CheckContext | None = None) -> set[str]:
    return verdicts(check, inventory, context).get(Status.PASS.value, set())
