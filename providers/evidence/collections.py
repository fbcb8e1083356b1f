"""Every evidence collection: one file of the evidence directory each, or the policy folder."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from providers.evidence import layout, loaders
from providers.evidence.loaders import Loaded
from providers.evidence.problems import Problem
from scanner.collection import AnyCollection, Collection, CollectionFailedError
from scanner.inventory import evidence as ev
from scanner.models.enums import Outcome

NOT_SET = object()
"""An absent file whose field keeps the model's default."""


@dataclass(frozen=True)
class EvidenceFile:
    """What an evidence collection reads: one file (or, for policies, a folder of them)."""

    file: str
    load: Callable[[Path], Loaded[Any]]
    empty: Any = None
    """The field's value when the file is absent."""


def failure(file: str, problems: list[Problem]) -> CollectionFailedError:
    more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
    return CollectionFailedError(
        Outcome.ERROR, f"{problems[0]}{more}", missing=f"a valid {problems[0].file or file}"
    )


def load_file(source: EvidenceFile, root: Path) -> Any:
    loaded = source.load(root)
    if loaded.problems:
        raise failure(source.file, loaded.problems)
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
