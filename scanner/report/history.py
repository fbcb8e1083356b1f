"""What the report needs from the scan history, and a file-based source of it.

`ScanHistory` is the whole interface: past scans as summaries (oldest first) and the latest
full document. `DirectoryHistory` implements it over a directory of findings JSON documents;
`StoreHistory` over the SQLite history store that `posture scan` records into (issue 7).
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Protocol

from pydantic import Field, ValidationError

from scanner.errors import UsageError
from scanner.history.location import StateLocation
from scanner.history.store import HistoryStore, scope_of
from scanner.models.enums import Status
from scanner.models.findings import FindingsDocument, ScanSummary
from scanner.models.inventory import Frozen
from scanner.report.areas import area_of


class ScanRecord(Frozen):
    """One past scan, as the trend needs it."""

    started_at: datetime
    targets: tuple[str, ...] = ()
    summary: ScanSummary
    failing: tuple[str, ...] = Field((), description="Fingerprints of the failing findings")
    failed_by_area: dict[str, int] = Field(
        default_factory=dict, description="Failing findings per readiness area (areas.AREAS)"
    )


class ScanHistory(Protocol):
    def records(self) -> Sequence[ScanRecord]:
        """Every past scan, oldest first."""
        ...

    def latest(self) -> FindingsDocument | None:
        """The most recent full findings document, or None when there is none."""
        ...

    def previous(self, doc: FindingsDocument) -> FindingsDocument | None:
        """The full document of the last scan of `doc`'s scope that started before it."""
        ...


def record_of(doc: FindingsDocument) -> ScanRecord:
    return ScanRecord(
        started_at=doc.scan.started_at,
        targets=tuple(f"{t.provider}:{t.account}" for t in doc.scan.targets),
        summary=doc.scan.summary,
        failing=tuple(sorted(f.fingerprint for f in doc.findings if f.status is Status.FAIL)),
        failed_by_area=dict(
            Counter(area_of(f).key for f in doc.findings if f.status is Status.FAIL)
        ),
    )


def load_document(path: Path) -> FindingsDocument:
    """A findings JSON document (`-` is stdin); bad input is one clear line naming the file."""
    try:
        text = sys.stdin.read() if str(path) == "-" else path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg})") from None
    try:
        return FindingsDocument.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise UsageError(
            f"{path}: not a posture findings document ({where}: {first['msg']})"
        ) from None


class DirectoryHistory:
    """Past scans as findings documents (`posture scan --format json`) in one directory."""

    def __init__(self, directory: Path) -> None:
        if not directory.is_dir():
            raise UsageError(f"history directory {directory} does not exist")
        self.directory = directory
        self._docs: list[FindingsDocument] | None = None

    def _documents(self) -> list[FindingsDocument]:
        if self._docs is None:
            docs = [load_document(p) for p in sorted(self.directory.glob("*.json"))]
            self._docs = sorted(docs, key=lambda d: d.scan.started_at)
        return self._docs

    def records(self) -> Sequence[ScanRecord]:
        return [record_of(d) for d in self._documents()]

    def latest(self) -> FindingsDocument | None:
        docs = self._documents()
        return docs[-1] if docs else None

    def previous(self, doc: FindingsDocument) -> FindingsDocument | None:
        scope = scope_of(doc)
        earlier = [
            d
            for d in self._documents()
            if d.scan.started_at < doc.scan.started_at and scope_of(d) == scope
        ]
        return earlier[-1] if earlier else None


class StoreHistory:
    """The scans `posture scan` recorded in the SQLite history store, read without changing it.

    The trend covers the scans of one scope (the same accounts): the scope of the report's
    document when given, otherwise of the latest scan. The newest `FULL_RECORDS` scans are
    read whole (new and resolved failures, failures per area); older ones only as summaries.
    """

    FULL_RECORDS = 6
    MAX_SCANS = 10_000

    def __init__(self, path: StateLocation, scope: str | None = None) -> None:
        if not path.is_file():
            raise UsageError(f"no history at {path} yet: run `posture scan` first")
        self.path = path
        self.scope = scope
        self._latest: FindingsDocument | None = None
        self._records: list[ScanRecord] | None = None

    def latest(self) -> FindingsDocument | None:
        if self._latest is None:
            with HistoryStore(self.path, read_only=True) as store:
                self._latest = store.latest(self.scope)
        return self._latest

    def previous(self, doc: FindingsDocument) -> FindingsDocument | None:
        scope = scope_of(doc)
        with HistoryStore(self.path, read_only=True) as store:
            earlier = [
                s
                for s in store.scans(self.MAX_SCANS)
                if s.scope == scope and s.started_at < doc.scan.started_at
            ]
            latest = max(earlier, key=lambda s: (s.started_at, s.id), default=None)
            return store.document(latest.id) if latest is not None else None

    def records(self) -> Sequence[ScanRecord]:
        if self._records is not None:
            return self._records
        scope = self.scope
        if scope is None:
            latest = self.latest()
            if latest is None:
                return []
            scope = scope_of(latest)
        with HistoryStore(self.path, read_only=True) as store:
            scans = [s for s in reversed(store.scans(self.MAX_SCANS)) if s.scope == scope]
            full = {s.id for s in scans[-self.FULL_RECORDS :]}
            records = [
                record_of(store.document(s.id))
                if s.id in full
                else ScanRecord(
                    started_at=s.started_at,
                    targets=tuple(s.scope.split(",")) if s.scope else (),
                    summary=s.summary,
                )
                for s in scans
            ]
        self._records = records
        return records
