"""The evidence provider adapter: reads the evidence directory into an `EvidenceInventory`.

No SDK and no network. A file that is absent is data (the checks fail on it); a file that
does not validate is a failed collection whose message names the file and line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from providers.evidence import layout, loaders
from providers.evidence.loaders import Loaded
from providers.evidence.problems import Problem
from scanner.collection import AnyCollection, Collection, CollectionFailedError, Recorder
from scanner.config import PostureConfig
from scanner.errors import UsageError
from scanner.inventory import evidence as ev
from scanner.models.enums import Outcome
from scanner.models.inventory import CollectionOutcome, Inventory
from scanner.providers import CollectRequest

NOT_SET = object()
"""An absent file whose field keeps the model's default."""


@dataclass(frozen=True)
class EvidenceFile:
    """What an evidence collection reads: one file (or, for policies, a folder of them)."""

    file: str
    load: Callable[[Path], Loaded[Any]]
    empty: Any = None
    """The field's value when the file is absent."""


def _failure(file: str, problems: list[Problem]) -> CollectionFailedError:
    more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
    return CollectionFailedError(
        Outcome.ERROR, f"{problems[0]}{more}", missing=f"a valid {problems[0].file or file}"
    )


def load_file(source: EvidenceFile, root: Path) -> Any:
    loaded = source.load(root)
    if loaded.problems:
        raise _failure(source.file, loaded.problems)
    value = loaded.value if loaded.value is not None else source.empty
    return NOT_SET if value is None else value


def _declare(name: str, field: str, source: EvidenceFile) -> Collection[EvidenceFile]:
    return Collection(
        name=name,
        inventory=ev.EvidenceInventory,
        fields=(field,),
        needs=source,
        fetch=partial(load_file, source),
    )


POLICIES: Collection[str] = Collection(
    name=ev.POLICIES,
    inventory=ev.EvidenceInventory,
    fields=("policies",),
    needs=layout.POLICIES_DIR,
    fetch=loaders.load_policies,
)
"""Every policy document in the folder; one that does not load is an error in its own scope."""
FILES: tuple[Collection[EvidenceFile], ...] = (
    _declare(ev.MANIFEST, "manifest", EvidenceFile(layout.MANIFEST_FILE, loaders.load_manifest)),
    _declare(
        ev.RISK_REGISTER,
        "risk_register",
        EvidenceFile(layout.RISK_REGISTER_FILE, loaders.load_risk_register),
    ),
    _declare(ev.TRAINING, "training", EvidenceFile(layout.TRAINING_FILE, loaders.load_training)),
    _declare(ev.VENDORS, "vendors", EvidenceFile(layout.VENDORS_FILE, loaders.load_vendors)),
    _declare(
        ev.EXERCISES, "exercises", EvidenceFile(layout.EXERCISES_FILE, loaders.load_exercises)
    ),
    _declare(
        ev.ACCESS_REVIEWS,
        "access_reviews",
        EvidenceFile(layout.ACCESS_REVIEWS_FILE, loaders.load_access_reviews),
    ),
    _declare(ev.LEAVERS, "leavers", EvidenceFile(layout.LEAVERS_FILE, loaders.load_leavers, ())),
    _declare(
        ev.IDENTITY_MAP,
        "identity_map",
        EvidenceFile(layout.IDENTITY_MAP_FILE, loaders.load_identity_map, ()),
    ),
)
COLLECTIONS: tuple[AnyCollection, ...] = (*FILES, POLICIES)


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
    wanted = collections if collections is not None else frozenset(ev.ALL_COLLECTIONS)
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
            rec.failed(POLICIES, rel, _failure(rel, loaded.problems))
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
