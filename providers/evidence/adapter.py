"""The evidence provider adapter: reads the evidence directory into an `EvidenceInventory`.

No SDK and no network. A file that is absent is data (the checks fail on it); a file that
does not validate is a failed collection whose message names the file and line.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from providers.evidence import loaders
from providers.evidence.collections import COLLECTIONS, FILES, NOT_SET, POLICIES, failure
from providers.evidence.problems import Problem
from scanner.collection import AnyCollection, Recorder
from scanner.config import PostureConfig
from scanner.errors import UsageError
from scanner.inventory import evidence as ev
from scanner.models.enums import Outcome
from scanner.models.inventory import CollectionOutcome, Inventory
from scanner.providers import CollectRequest


def _classify(collection: AnyCollection, scope: str | None, exc: Exception) -> CollectionOutcome:
    return CollectionOutcome(
        collection=collection.name,
        scope=scope,
        outcome=Outcome.ERROR,
        message=f"unexpected {type(exc).__name__} while reading {collection.name}",
    )


def evidence_root(config: PostureConfig) -> Path:
    root = config.evidence.dir
    if root is None:
        raise UsageError("the evidence provider needs a directory: --evidence DIR or evidence.dir")
    if not root.is_dir():
        raise UsageError(f"evidence directory {root} does not exist or is not a directory")
    return root


def read_evidence(root: Path, collections: frozenset[str] | None = None) -> ev.EvidenceInventory:
    """Reads every wanted collection; `None` means all of them."""
    wanted = collections if collections is not None else frozenset(c.name for c in COLLECTIONS)
    rec = Recorder(_classify)
    for c in FILES:
        if c.name in wanted:
            rec.attempt(c, None, partial(c.fetch, root), c.name)
    if POLICIES.name in wanted:
        policies = _policies(rec, root)
        rec.ok(POLICIES, None, policies)
    fields = {k: v for k, v in rec.result.fields().items() if v is not NOT_SET}
    manifest: ev.Manifest | None = fields.get("manifest")
    return ev.EvidenceInventory(
        account=manifest.organisation if manifest else root.resolve().name,
        root=str(root),
        outcomes=tuple(rec.result.outcomes),
        **fields,
    )


def _policies(rec: Recorder, root: Path) -> tuple[ev.PolicyDocument, ...]:
    """The policy documents that load; each one that does not is an error in its own scope."""
    policies = []
    for rel, loaded in loaders.load_policies(root).items():
        if loaded.problems:
            rec.failed(POLICIES, rel, failure(rel, loaded.problems))
        elif loaded.value is not None:
            policies.append(loaded.value)
    return tuple(policies)


def all_problems(root: Path) -> list[Problem]:
    """Every problem in every file, for `posture evidence validate`."""
    problems: list[Problem] = []
    for c in FILES:
        problems.extend(c.needs.load(root).problems)
    for loaded in loaders.load_policies(root).values():
        problems.extend(loaded.problems)
    return problems


class EvidenceProvider:
    def __init__(self, config: PostureConfig) -> None:
        self.config = config

    def collect(self, request: CollectRequest) -> list[Inventory]:
        root = evidence_root(request.config)
        request.progress.started("evidence")
        inventory = read_evidence(root, request.collections)
        request.progress.finished("evidence")
        return [inventory]
