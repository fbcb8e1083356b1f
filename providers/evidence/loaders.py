"""Readers for each evidence file: text in, validated models and problems out.

Every reader returns what it could validate and a list of problems naming file and line;
the adapter turns problems into failed collections, `posture evidence validate` prints them.
"""

from __future__ import annotations

import csv
import io
import os
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from providers.evidence import layout
from providers.evidence.problems import (
    LineMap,
    Problem,
    YamlSyntaxError,
    from_validation,
    line_of,
    load_yaml,
)
from scanner.inventory.evidence import (
    AccessReview,
    Exercise,
    Leaver,
    Manifest,
    PersonMapping,
    PolicyDocument,
    Risk,
    RiskRegister,
    TrainingRecord,
    Vendor,
)

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)


@dataclass
class Loaded(Generic[T]):
    value: T
    problems: list[Problem] = field(default_factory=list)


MAX_FILE_BYTES = 16 * 1024 * 1024
"""The largest evidence file read (16 MiB; an HR export of 100,000 people is a few MiB)."""


def _open_regular(root: Path, rel: str) -> bytes:
    """The bytes of `root/rel` if it is a regular file inside root (after resolving links) of at
    most MAX_FILE_BYTES; a ValueError saying why not otherwise.

    Devices and FIFOs are refused before they are opened (a FIFO would block the scan), and
    the descriptor is opened non-blocking and checked again, so a file swapped in between does
    not slip through.
    """
    base = root.resolve()
    target = (root / rel).resolve()
    if not target.is_relative_to(base):
        raise ValueError("points outside the evidence directory")
    if not stat.S_ISREG(target.stat().st_mode):
        raise ValueError("not a regular file")
    fd = os.open(target, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ValueError("not a regular file")
        data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise ValueError(f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB")
    return data


def _read(root: Path, rel: str) -> tuple[str | None, list[Problem]]:
    try:
        return _open_regular(root, rel).decode("utf-8-sig"), []
    except UnicodeDecodeError:
        return None, [Problem(rel, None, "not UTF-8 text")]
    except ValueError as exc:
        return None, [Problem(rel, None, f"refused: {exc}")]
    except OSError as exc:
        return None, [Problem(rel, None, f"cannot read: {exc.strerror or exc}")]


# ---- records: CSV or YAML lists ------------------------------------------------------------


def normalise_key(key: str) -> str:
    """`Last Reviewed`, `last-reviewed` and `last_reviewed` are the same column."""
    return "_".join(key.strip().lower().replace("-", " ").split())


def _canonical(data: dict[str, Any]) -> dict[str, Any]:
    """Keys normalised, and known alternative names mapped to the documented one."""
    out = {normalise_key(str(k)): v for k, v in data.items()}
    for name, alternatives in layout.COLUMN_ALIASES.items():
        if name in out:
            continue
        for alt in alternatives:
            if alt in out:
                out[name] = out.pop(alt)
                break
    return out


def find_file(root: Path, names: Sequence[str]) -> str | None:
    """The first of `names` that exists below root (documented name first). Anything at the
    name counts (a link, a FIFO): reading it then says why it is refused, rather than the
    file silently looking absent."""
    return next((n for n in names if os.path.lexists(root / n)), None)


def _csv_rows(
    text: str, rel: str, required: Sequence[str]
) -> tuple[list[tuple[int, dict[str, Any]]], list[Problem]]:
    reader = csv.DictReader(io.StringIO(text))
    try:
        original = list(reader.fieldnames or [])
    except csv.Error as exc:
        return [], [Problem(rel, 1, f"not valid CSV ({exc})")]
    header = list(_canonical({h: None for h in original}))
    if len(header) != len(original):
        return [], [Problem(rel, 1, "two columns have the same name")]
    missing = [c for c in required if c not in header]
    if missing:
        return [], [
            Problem(rel, 1, f"missing column(s) {', '.join(missing)} (need {', '.join(required)})")
        ]
    reader.fieldnames = header
    rows: list[tuple[int, dict[str, Any]]] = []
    problems: list[Problem] = []
    try:
        for raw in reader:
            line = reader.line_num
            if None in raw:
                problems.append(Problem(rel, line, "more cells than columns"))
                continue
            cells = {k: (v.strip() if isinstance(v, str) else v) for k, v in raw.items()}
            if not any(cells.values()):
                continue
            rows.append((line, {k: v for k, v in cells.items() if v not in ("", None)}))
    except csv.Error as exc:
        problems.append(Problem(rel, reader.line_num, f"not valid CSV ({exc})"))
    return rows, problems


def _load_csv(
    text: str, rel: str, model: type[M], columns: Sequence[str]
) -> Loaded[tuple[M, ...] | None]:
    """Rows validated into `model`. Extra columns are left out of the model (exports from HR
    and training systems carry many)."""
    rows, problems = _csv_rows(text, rel, columns)
    known = set(model.model_fields)
    items: list[M] = []
    for line, cells in rows:
        data = {k: v for k, v in cells.items() if k in known}
        try:
            items.append(model.model_validate({**data, "line": line}))
        except ValidationError as exc:
            problems.extend(from_validation(exc, rel, line=line))
    return Loaded(tuple(items), problems)


def _yaml_file(root: Path, rel: str) -> tuple[Any, LineMap, list[Problem]]:
    text, problems = _read(root, rel)
    if text is None:
        return None, {}, problems
    try:
        data, lines = load_yaml(text)
    except YamlSyntaxError as exc:
        return None, {}, [Problem(rel, exc.line, exc.message)]
    return data, lines, []


def _remap_lines(lines: LineMap) -> LineMap:
    """Line numbers keyed by normalised (and de-aliased) keys, as validation reports them."""
    out: LineMap = {}
    for path, line in lines.items():
        renamed = tuple(
            next(iter(_canonical({p: None}))) if isinstance(p, str) else p for p in path
        )
        out[renamed] = line
    return out


def _load_yaml_list(root: Path, rel: str, key: str, model: type[M]) -> Loaded[tuple[M, ...] | None]:
    """A YAML list of `model`, either at the top level or under `key`."""
    data, lines, problems = _yaml_file(root, rel)
    if problems:
        return Loaded(None, problems)
    lines = _remap_lines(lines)
    prefix: tuple[int | str, ...] = ()
    if isinstance(data, dict) and len(data) == 1:
        (only,) = data
        if normalise_key(str(only)) == key:
            data, prefix = data[only], (key,)
    if data is None:
        data = []
    if not isinstance(data, list):
        return Loaded(None, [Problem(rel, 1, f"expected a list of entries under `{key}:`")])
    items: list[M] = []
    for index, entry in enumerate(data):
        where = (*prefix, index)
        if not isinstance(entry, dict):
            problems.append(Problem(rel, line_of(lines, where), f"{key}[{index}]: not a mapping"))
            continue
        try:
            fields = _canonical(entry)
            items.append(model.model_validate({**fields, "line": line_of(lines, where) or 0}))
        except ValidationError as exc:
            problems.extend(from_validation(exc, rel, lines=lines, prefix=where))
    return Loaded(tuple(items), problems)


def load_records(
    root: Path, names: Sequence[str], key: str, model: type[M], columns: Sequence[str]
) -> tuple[str | None, Loaded[tuple[M, ...] | None]]:
    """The first existing file of `names` (CSV or YAML by its extension) as `model` records;
    (None, Loaded(None)) when there is none."""
    rel = find_file(root, names)
    if rel is None:
        return None, Loaded(None)
    if rel.endswith(".csv"):
        text, problems = _read(root, rel)
        if text is None:
            return rel, Loaded(None, problems)
        return rel, _load_csv(text, rel, model, columns)
    return rel, _load_yaml_list(root, rel, key, model)


def load_risk_register(root: Path) -> Loaded[RiskRegister | None]:
    rel, loaded = load_records(root, layout.RISK_REGISTER_NAMES, "risks", Risk, layout.RISK_COLUMNS)
    if rel is None or loaded.value is None:
        return Loaded(None, loaded.problems)
    return Loaded(RiskRegister(path=rel, risks=loaded.value), loaded.problems)


def load_training(root: Path) -> Loaded[tuple[TrainingRecord, ...] | None]:
    return load_records(
        root, layout.TRAINING_NAMES, "training", TrainingRecord, layout.TRAINING_COLUMNS
    )[1]


def load_access_reviews(root: Path) -> Loaded[tuple[AccessReview, ...] | None]:
    return load_records(
        root,
        layout.ACCESS_REVIEWS_NAMES,
        "access_reviews",
        AccessReview,
        layout.ACCESS_REVIEW_COLUMNS,
    )[1]


def load_leavers(root: Path) -> Loaded[tuple[Leaver, ...] | None]:
    return load_records(root, layout.LEAVERS_NAMES, "leavers", Leaver, layout.LEAVER_COLUMNS)[1]


def load_vendors(root: Path) -> Loaded[tuple[Vendor, ...] | None]:
    return load_records(root, layout.VENDORS_NAMES, "vendors", Vendor, layout.VENDOR_COLUMNS)[1]


def load_exercises(root: Path) -> Loaded[tuple[Exercise, ...] | None]:
    return load_records(
        root, layout.EXERCISES_NAMES, "exercises", Exercise, layout.EXERCISE_COLUMNS
    )[1]


def load_identity_map(root: Path) -> Loaded[tuple[PersonMapping, ...] | None]:
    return load_records(root, layout.IDENTITY_MAP_NAMES, "people", PersonMapping, ())[1]


_MANIFEST_ALIASES = {
    "organisation": ("organization", "company"),
    "systems_in_scope": ("systems", "in_scope"),
    "awareness_courses": ("training_courses", "courses"),
}


def load_manifest(root: Path) -> Loaded[Manifest | None]:
    rel = find_file(root, layout.MANIFEST_NAMES)
    if rel is None:
        return Loaded(None)
    data, lines, problems = _yaml_file(root, rel)
    if problems:
        return Loaded(None, problems)
    if not isinstance(data, dict):
        return Loaded(None, [Problem(rel, 1, "expected a mapping (organisation: ...)")])
    fields = {normalise_key(str(k)): v for k, v in data.items()}
    for name, alternatives in _MANIFEST_ALIASES.items():
        for alt in alternatives:
            if name not in fields and alt in fields:
                fields[name] = fields.pop(alt)
    try:
        return Loaded(Manifest.model_validate(fields))
    except ValidationError as exc:
        return Loaded(None, from_validation(exc, rel, lines=_remap_lines(lines)))


# ---- policies ------------------------------------------------------------------------------

_INTERVAL_WORDS = {
    "annual": 12,
    "annually": 12,
    "yearly": 12,
    "semi-annual": 6,
    "semi-annually": 6,
    "biannual": 6,
    "quarterly": 3,
    "monthly": 1,
}
_INTERVAL_PATTERN = re.compile(r"^(\d+)\s*(m|mo|mos|month|months|y|yr|yrs|year|years)$")


def interval_months(value: int | str) -> int:
    """12, "12 months", "1 year", "annual" -> months."""
    if isinstance(value, int):
        return value
    text = value.strip().lower()
    if text in _INTERVAL_WORDS:
        return _INTERVAL_WORDS[text]
    m = _INTERVAL_PATTERN.match(text)
    if not m:
        raise ValueError(
            "review_interval must be a number of months, 'N months', 'N years' or 'annual'"
        )
    n = int(m.group(1))
    return n * 12 if m.group(2).startswith("y") else n


class PolicyFrontMatter(BaseModel):
    """The YAML front matter of a policy document."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str | None = None
    title: str = Field(min_length=1)
    owner: str | None = None
    approved_by: str | None = None
    approved_on: date | None = None
    review_interval: int = Field(12, ge=1, le=36, description="months")
    version: str | None = None

    @field_validator("review_interval", mode="before")
    @classmethod
    def _interval(cls, v: object) -> object:
        return interval_months(v) if isinstance(v, int | str) else v

    @field_validator("owner", "approved_by", mode="before")
    @classmethod
    def _blank_is_none(cls, v: object) -> object:
        return None if isinstance(v, str) and not v.strip() else v

    @field_validator("version", mode="before")
    @classmethod
    def _version(cls, v: object) -> object:
        return str(v) if isinstance(v, int | float) else v


def _front_matter(text: str) -> tuple[str, int] | None:
    """The YAML between the leading `---` lines and the line offset of its first line."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            return "\n".join(lines[1:index]), 1
    return None


_POLICY_ALIASES = {
    "approved_on": ("approval_date", "approved_date", "last_approved", "date_approved"),
    "approved_by": ("approver",),
    "review_interval": ("review_cycle", "review_frequency", "review_period"),
}


def load_policy(root: Path, rel: str) -> Loaded[PolicyDocument | None]:
    text, problems = _read(root, rel)
    if text is None:
        return Loaded(None, problems)
    found = _front_matter(text)
    if found is None:
        return Loaded(
            None, [Problem(rel, 1, "no YAML front matter (the file must start with ---)")]
        )
    yaml_text, offset = found
    try:
        data, lines = load_yaml(yaml_text, offset=offset)
    except YamlSyntaxError as exc:
        return Loaded(None, [Problem(rel, exc.line, exc.message)])
    if not isinstance(data, dict):
        return Loaded(None, [Problem(rel, 2, "front matter must be a mapping (title: ...)")])
    fields = {normalise_key(str(k)): v for k, v in data.items()}
    for name, alternatives in _POLICY_ALIASES.items():
        for alt in alternatives:
            if name not in fields and alt in fields:
                fields[name] = fields.pop(alt)
    try:
        fm = PolicyFrontMatter.model_validate(fields)
    except ValidationError as exc:
        return Loaded(None, from_validation(exc, rel, lines=_remap_lines(lines)))
    return Loaded(
        PolicyDocument(
            id=(fm.id or Path(rel).stem).strip().lower(),
            path=rel,
            title=fm.title,
            owner=fm.owner,
            approved_by=fm.approved_by,
            approved_on=fm.approved_on,
            review_interval_months=fm.review_interval,
            version=fm.version,
        )
    )


def load_policies(root: Path) -> dict[str, Loaded[PolicyDocument | None]]:
    """Every `policies/*.md`, keyed by its path relative to the evidence directory."""
    directory = root / layout.POLICIES_DIR
    if not directory.is_dir():
        return {}
    out: dict[str, Loaded[PolicyDocument | None]] = {}
    for path in sorted(directory.glob("*.md")):
        rel = f"{layout.POLICIES_DIR}/{path.name}"
        out[rel] = load_policy(root, rel)
    return out
