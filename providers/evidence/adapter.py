"""The evidence provider adapter: reads the evidence directory into an `EvidenceInventory`.

No SDK and no network. A file that is absent is data (the checks fail on it); a file that
does not validate is a failed collection whose message names the file and line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from providers.evidence import layout, loaders
from providers.evidence.loaders import Loaded
from providers.evidence.problems import Problem
from scanner.config import PostureConfig
from scanner.errors import UsageError
from scanner.inventory import evidence as ev
from scanner.models.enums import Outcome
from scanner.models.inventory import CollectionOutcome, Inventory
from scanner.providers import CollectRequest


@dataclass(frozen=True)
class Source:
    collection: str
    field: str
    file: str
    load: Callable[[Path], Loaded[Any]]
    empty: Any = None
    """The field's value when the file is absent."""


SOURCES: tuple[Source, ...] = (
    Source(ev.MANIFEST, "manifest", layout.MANIFEST_FILE, loaders.load_manifest),
    Source(
        ev.RISK_REGISTER, "risk_register", layout.RISK_REGISTER_FILE, loaders.load_risk_register
    ),
    Source(ev.TRAINING, "training", layout.TRAINING_FILE, loaders.load_training),
    Source(ev.VENDORS, "vendors", layout.VENDORS_FILE, loaders.load_vendors),
    Source(ev.EXERCISES, "exercises", layout.EXERCISES_FILE, loaders.load_exercises),
    Source(
        ev.ACCESS_REVIEWS, "access_reviews", layout.ACCESS_REVIEWS_FILE, loaders.load_access_reviews
    ),
    Source(ev.LEAVERS, "leavers", layout.LEAVERS_FILE, loaders.load_leavers, ()),
    Source(
        ev.IDENTITY_MAP, "identity_map", layout.IDENTITY_MAP_FILE, loaders.load_identity_map, ()
    ),
)


def failed(
    collection: str, file: str, problems: list[Problem], scope: str | None = None
) -> CollectionOutcome:
    more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
    return CollectionOutcome(
        collection=collection,
        scope=scope,
        outcome=Outcome.ERROR,
        missing=f"a valid {problems[0].file or file}",
        message=f"{problems[0]}{more}",
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
    wanted = collections if collections is not None else frozenset(ev.ALL_COLLECTIONS)
    fields: dict[str, Any] = {}
    outcomes: list[CollectionOutcome] = []
    for source in SOURCES:
        if source.collection not in wanted:
            continue
        loaded = source.load(root)
        if loaded.problems:
            outcomes.append(failed(source.collection, source.file, loaded.problems))
            continue
        value = loaded.value if loaded.value is not None else source.empty
        if value is not None:
            fields[source.field] = value
        outcomes.append(CollectionOutcome(collection=source.collection))
    if ev.POLICIES in wanted:
        policies = []
        for rel, loaded in loaders.load_policies(root).items():
            if loaded.problems:
                outcomes.append(failed(ev.POLICIES, rel, loaded.problems, scope=rel))
            elif loaded.value is not None:
                policies.append(loaded.value)
        fields["policies"] = tuple(policies)
        outcomes.append(CollectionOutcome(collection=ev.POLICIES))
    manifest: ev.Manifest | None = fields.get("manifest")
    return ev.EvidenceInventory(
        account=manifest.organisation if manifest else root.resolve().name,
        root=str(root),
        outcomes=tuple(outcomes),
        **fields,
    )


def all_problems(root: Path) -> list[Problem]:
    """Every problem in every file, for `posture evidence validate`."""
    problems: list[Problem] = []
    for source in SOURCES:
        problems.extend(source.load(root).problems)
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
