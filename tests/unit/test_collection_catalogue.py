"""The check -> collection link, kept by the code rather than by hand.

For every provider: each collection a check reads is declared by the provider, each declared
collection is read by some check (or on every scan), and a check reads only the inventory
fields its collections fill: with every other field blanked, and the other collections' outcomes
gone, its results and evidence are the same.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from datetime import UTC, datetime

import pytest

from checks.registry import all_checks
from scanner.check import AnyCheck, CheckContext, CheckResult
from scanner.collection import AnyCollection, by_name
from scanner.config import PostureConfig
from scanner.identity.projection import run_inventory
from scanner.inventory.run import RUN_PROVIDER
from scanner.models.inventory import Inventory
from scanner.providers import load_collections, load_demo, plugins
from scanner.scan import ScanPlan, collect

PROVIDERS = [p.name for p in plugins()]
NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)


def _tables() -> dict[str, dict[str, AnyCollection]]:
    return {name: by_name(load_collections(name)) for name in PROVIDERS}


TABLES = _tables()


@pytest.mark.parametrize("provider", PROVIDERS)
def test_collections_carry_their_provider_and_fill_its_inventory(provider: str) -> None:
    for name, collection in TABLES[provider].items():
        assert collection.provider == provider, name
        assert collection.fills, name


@pytest.mark.parametrize("provider", PROVIDERS)
def test_every_collection_a_check_reads_is_declared(provider: str) -> None:
    for check in all_checks():
        for name in check.meta.reads:
            assert name.split(".", 1)[0] in TABLES, f"{check.id} reads {name}: no such provider"
            if name.startswith(f"{provider}."):
                assert name in TABLES[provider], f"{check.id} reads {name}, never collected"


@pytest.mark.parametrize("provider", PROVIDERS)
def test_every_declared_collection_is_read_by_some_check(provider: str) -> None:
    read = {name for check in all_checks() for name in check.meta.reads}
    unread = [n for n, c in TABLES[provider].items() if n not in read and not c.always]
    assert unread == [], f"declared but read by no check: {unread}"


def test_a_check_provider_is_a_plugin() -> None:
    for check in all_checks():
        assert check.meta.provider in TABLES or check.meta.provider == RUN_PROVIDER, check.id


# -- a check reads only what its collections fill ----------------------------------------------


@pytest.fixture(scope="module")
def demo_inventories() -> Iterator[list[Inventory]]:
    """Every provider's demo environment, collected for every check."""
    config = PostureConfig()
    with ExitStack() as stack:
        for name in PROVIDERS:
            factory = load_demo(name)
            assert factory is not None, name
            config = stack.enter_context(factory(config))
        plan = ScanPlan(providers=tuple(PROVIDERS), checks=all_checks(), config=config)
        yield collect(plan, NOW)


def _filled_by(provider: str) -> dict[str, set[str]]:
    """Inventory field -> the collections that fill it."""
    filled: dict[str, set[str]] = {}
    for name, collection in TABLES[provider].items():
        for field in collection.fills:
            filled.setdefault(field, set()).add(name)
    return filled


def blanked(inventory: Inventory, reads: Sequence[str]) -> Inventory:
    """The inventory as a scan of only `reads` would have it."""
    keep = set(reads)
    cleared = {
        field: type(inventory).model_fields[field].get_default(call_default_factory=True)
        for field, names in _filled_by(inventory.provider).items()
        if not names & keep and field in type(inventory).model_fields
    }
    outcomes = tuple(o for o in inventory.outcomes if o.collection in keep)
    return inventory.model_copy(update={**cleared, "outcomes": outcomes})


def results(check: AnyCheck, inventory: Inventory) -> list[CheckResult]:
    ctx = CheckContext(now=NOW, config=PostureConfig())
    return list(check.evaluate(inventory, ctx))


def test_the_demo_gives_every_provider_an_inventory(demo_inventories: list[Inventory]) -> None:
    assert {i.provider for i in demo_inventories} == set(PROVIDERS)


def test_a_check_reads_only_the_fields_its_collections_fill(
    demo_inventories: list[Inventory],
) -> None:
    compared = 0
    for check in all_checks():
        if check.meta.provider == RUN_PROVIDER:
            continue
        for inventory in demo_inventories:
            if not isinstance(inventory, check.inventory_type):
                continue
            full = results(check, inventory)
            alone = results(check, blanked(inventory, check.meta.reads))
            assert alone == full, f"{check.id} on {inventory.account} reads undeclared data"
            compared += 1
    assert compared > 100


def test_a_cross_provider_check_reads_only_its_collections(
    demo_inventories: list[Inventory],
) -> None:
    full_run = run_inventory(demo_inventories)
    for check in all_checks():
        if check.meta.provider != RUN_PROVIDER:
            continue
        alone = run_inventory([blanked(i, check.meta.reads) for i in demo_inventories])
        assert results(check, alone) == results(check, full_run), check.id
