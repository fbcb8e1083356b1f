"""A job's part of the run: what the cross-provider checks and the providers that read the run
(the TLS probe of what the clouds found) need from the job's inventories, once the job has let
them go.

In-process, the run checks read one `RunInventory` built from every inventory of the scan, and
the TLS provider reads the cloud inventories collected before it. A distributed job keeps
neither: with its done mark it stores a slim part — the directory and evidence inventories it
collected (whole: the checks read their users and records), and for every other inventory a
`RunMember` (who it is, how the collections the run checks read ended, the TLS endpoints it
exposes), the `CloudIdentity` projections and the provider:account of its cloud inventories.
Finalize rebuilds the run from the parts in plan order.
"""

from __future__ import annotations

import importlib
import json
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from scanner.identity.projection import project
from scanner.inventory.common import CloudIdentity, TlsEndpoint
from scanner.inventory.evidence import EvidenceInventory
from scanner.inventory.run import RUN_PROVIDER, RunMember
from scanner.models.enums import Outcome
from scanner.models.inventory import CollectionOutcome, Inventory
from scanner.providers import spec
from scanner.scan import ScanPlan, required_collections

INVENTORY_PACKAGE = "scanner.inventory."
"""Where every inventory class lives: a stored part names its class, and nothing else loads."""


@dataclass(frozen=True)
class RunPart:
    members: tuple[Inventory, ...] = ()
    identities: tuple[CloudIdentity, ...] = ()
    accounts: tuple[str, ...] = ()


def run_checks_of(plan: ScanPlan) -> tuple[Any, ...]:
    return tuple(c for c in plan.checks if c.meta.provider == RUN_PROVIDER)


def reads_run(plan: ScanPlan) -> tuple[str, ...]:
    """The plan's providers that read the run's inventories: they are collected at finalize."""
    return tuple(p for p in plan.providers if spec(p).reads_run)


def needs_parts(plan: ScanPlan) -> bool:
    return bool(run_checks_of(plan) or reads_run(plan))


def _whole(inv: Inventory) -> bool:
    """Directory and evidence inventories are read field by field by the run checks."""
    return hasattr(inv, "directory_users") or isinstance(inv, EvidenceInventory)


def slim(inv: Inventory, collections: frozenset[str]) -> RunMember:
    return RunMember(
        provider=inv.provider,
        account=inv.account,
        account_name=inv.account_name,
        scopes=inv.scopes,
        outcomes=tuple(o for o in inv.outcomes if o.collection in collections),
        tls_endpoints=tuple(
            e for e in getattr(inv, "tls_endpoints", ()) if isinstance(e, TlsEndpoint)
        ),
    )


def run_part(plan: ScanPlan, inventories: Sequence[Inventory]) -> RunPart:
    """The job's part; without run checks (only a TLS probe of the run) every member is slim."""
    checks = run_checks_of(plan)
    if not checks:
        return RunPart(members=tuple(slim(inv, frozenset()) for inv in inventories))
    collections = required_collections(checks)
    identities, accounts = project(inventories)
    return RunPart(
        members=tuple(inv if _whole(inv) else slim(inv, collections) for inv in inventories),
        identities=tuple(identities),
        accounts=tuple(accounts),
    )


def failed_part(plan: ScanPlan, provider: str, scope: str, reason: str) -> RunPart:
    """A job that never finished: the collections the run checks read from its provider are
    errors, so those checks say `error` rather than judge without its people."""
    wanted = sorted(
        c for c in required_collections(run_checks_of(plan)) if c.startswith(f"{provider}.")
    )
    outcomes = tuple(
        CollectionOutcome(collection=c, outcome=Outcome.ERROR, message=reason) for c in wanted
    )
    return RunPart(members=(RunMember(provider=provider, account=scope, outcomes=outcomes),))


def _class_name(inv: Inventory) -> str:
    cls = type(inv)
    return f"{cls.__module__}:{cls.__qualname__}"


def _inventory_class(name: str) -> type[Inventory]:
    module, _, qualname = name.partition(":")
    if not module.startswith(INVENTORY_PACKAGE):
        raise ValueError(f"stored part names {name!r}, not an inventory class")
    found = getattr(importlib.import_module(module), qualname, None)
    if not (isinstance(found, type) and issubclass(found, Inventory)):
        raise ValueError(f"stored part names {name!r}, not an inventory class")
    return found


def pack_part(part: RunPart) -> bytes:
    data = {
        "members": [
            {"type": _class_name(m), "inventory": m.model_dump(mode="json")} for m in part.members
        ],
        "identities": [i.model_dump(mode="json") for i in part.identities],
        "accounts": list(part.accounts),
    }
    return zlib.compress(json.dumps(data, sort_keys=True).encode("utf-8"))


def unpack_part(body: bytes) -> RunPart:
    data = json.loads(zlib.decompress(body))
    return RunPart(
        members=tuple(
            _inventory_class(m["type"]).model_validate(m["inventory"]) for m in data["members"]
        ),
        identities=tuple(CloudIdentity.model_validate(i) for i in data["identities"]),
        accounts=tuple(data["accounts"]),
    )


def joined(parts: Iterable[RunPart]) -> RunPart:
    members: list[Inventory] = []
    identities: list[CloudIdentity] = []
    accounts: list[str] = []
    for part in parts:
        members.extend(part.members)
        identities.extend(part.identities)
        accounts.extend(part.accounts)
    return RunPart(tuple(members), tuple(identities), tuple(accounts))
