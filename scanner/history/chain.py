"""The history's hash chain: each recorded scan's `record_hash` covers its content and the
`record_hash` of the previous scan of its scope (`prev_hash`), so an edited, inserted or
deleted scan breaks every link after it. Pure: the store feeds it rows, it returns hex.

The hashed bytes are length-prefixed fields (no separator can be forged into a value), the
findings in fingerprint order (the same in every database), each as its decompressed JSON.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from scanner.document import Document
from scanner.models.findings import Finding

CHAIN_FORMAT = b"posture-chain-1"


@dataclass(frozen=True)
class ScanContent:
    """A stored scan's own columns, as the chain covers them."""

    uid: str | None
    started_at: str
    finished_at: str
    scope: str
    partial: bool
    schema_version: str
    header: str
    """The header's JSON as stored."""


def content_of(doc: Document, scope: str) -> ScanContent:
    """The columns the store writes for `doc` (and an auditor recomputes from a raw document)."""
    return ScanContent(
        uid=doc.scan.id,
        started_at=doc.scan.started_at.isoformat(),
        finished_at=doc.scan.finished_at.isoformat(),
        scope=scope,
        partial=doc.scan.partial,
        schema_version=doc.schema_version,
        header=doc.scan.model_dump_json(),
    )


@dataclass(frozen=True)
class FindingRow:
    fingerprint: str
    status: str
    body: bytes
    """The finding's JSON, decompressed."""


def rows_of(findings: Iterable[Finding]) -> list[FindingRow]:
    """A document's findings as stored rows, in the chain's order."""
    rows = [
        FindingRow(f.fingerprint, f.status.value, f.model_dump_json().encode()) for f in findings
    ]
    return sorted(rows, key=lambda r: r.fingerprint)


def _field(h: hashlib._Hash, value: bytes) -> None:
    h.update(len(value).to_bytes(8, "big"))
    h.update(value)


def record_hash(prev_hash: str | None, scan: ScanContent, rows: Iterable[FindingRow]) -> str:
    """`rows` in fingerprint order."""
    h = hashlib.sha256()
    for value in (
        CHAIN_FORMAT,
        (prev_hash or "").encode(),
        (scan.uid or "").encode(),
        scan.started_at.encode(),
        scan.finished_at.encode(),
        scan.scope.encode(),
        b"1" if scan.partial else b"0",
        scan.schema_version.encode(),
        scan.header.encode("utf-8"),
    ):
        _field(h, value)
    count = 0
    for row in rows:
        count += 1
        _field(h, row.fingerprint.encode())
        _field(h, row.status.encode())
        _field(h, row.body)
    _field(h, str(count).encode())
    return h.hexdigest()
