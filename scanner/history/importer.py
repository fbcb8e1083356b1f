"""`posture history import DOC.json …`: record findings documents written elsewhere.

Idempotent by the document's `scan.id`: a document already in the history is skipped. A
document of schema 1.0 or 1.1 (before `scan.id`) is upgraded: its id is derived from its
content (a UUID 5 over its canonical JSON), so importing the same file again is skipped too.
Documents are recorded oldest first, so first/last seen and each scope's chain follow time.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.exc import IntegrityError

from scanner.document_file import read_document
from scanner.history.store import HistoryStore
from scanner.models.findings import SCHEMA_VERSION, FindingsDocument

UPGRADE_NAMESPACE = uuid.UUID("6f1c2a4e-8b0d-5e3f-9a17-2c4b6d8e0f13")
"""Namespace of the ids derived for documents written before `scan.id` existed."""


def upgraded(doc: FindingsDocument) -> FindingsDocument:
    """`doc` at the current schema version, with a `scan.id` (derived when it has none)."""
    if doc.scan.id is not None and doc.schema_version == SCHEMA_VERSION:
        return doc
    scan_id = doc.scan.id
    if scan_id is None:
        canonical = doc.model_dump_json().encode("utf-8")
        scan_id = str(uuid.uuid5(UPGRADE_NAMESPACE, hashlib.sha256(canonical).hexdigest()))
    return doc.model_copy(
        update={
            "schema_version": SCHEMA_VERSION,
            "scan": doc.scan.model_copy(update={"id": scan_id}),
        }
    )


@dataclass
class ImportResult:
    imported: list[tuple[Path, str, int]] = field(default_factory=list)
    """(file, scan id, history scan number)"""
    skipped: list[tuple[Path, str, int]] = field(default_factory=list)
    """Already in the history."""
    upgraded: list[Path] = field(default_factory=list)


def import_documents(store: HistoryStore, paths: Sequence[Path], keep_scans: int) -> ImportResult:
    """Reads every file first (one bad file imports nothing), then records the new ones."""
    result = ImportResult()
    docs: list[tuple[Path, FindingsDocument]] = []
    for path in paths:
        doc = read_document(path)
        new = upgraded(doc)
        if doc.scan.id is None:
            result.upgraded.append(path)
        docs.append((path, new))
    docs.sort(key=lambda item: item[1].scan.started_at)
    for path, doc in docs:
        uid = doc.scan.id
        assert uid is not None  # upgraded() gives every document one
        existing = store.scan_id_of(uid)
        if existing is None:
            try:
                existing = store.record(doc, keep_scans=keep_scans).scan_id
            except IntegrityError:
                # Another import recorded the same scan meanwhile (uid is unique).
                existing = store.scan_id_of(uid)
                if existing is None:
                    raise
                result.skipped.append((path, uid, existing))
                continue
            result.imported.append((path, uid, existing))
        else:
            result.skipped.append((path, uid, existing))
    return result
