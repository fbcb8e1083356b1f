"""Findings kept on disk while a scan runs, read back in the document's order.

A large account yields hundreds of thousands of findings; holding them (and their rendered
text) in memory would make a scan's memory grow with the account beyond its inventory. The
spool is a private temporary SQLite database: SQLite sorts it with bounded memory, and the
file is deleted as soon as the spool is closed (or the process ends).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from typing import overload

from scanner.models.enums import Severity, Status
from scanner.models.findings import Finding, ScanSummary

READ_BATCH = 500

_SCHEMA = """
CREATE TABLE findings (
    seq INTEGER PRIMARY KEY,
    status_order INTEGER NOT NULL,
    severity_order INTEGER NOT NULL,
    check_id TEXT NOT NULL,
    uid TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status TEXT NOT NULL,
    severity TEXT NOT NULL,
    body TEXT NOT NULL
)
"""
_ORDER = "status_order, severity_order, check_id, uid, fingerprint"


def sort_key(f: Finding) -> tuple[int, int, str, str, str]:
    """The document's deterministic order: fails first, then by severity, check and resource."""
    return (f.status.order, -f.severity.rank, f.check_id, f.resource.uid, f.fingerprint)


class FindingsSpool(Sequence[Finding]):
    """An append-then-read sequence of findings, iterated in the document's order."""

    def __init__(self, findings: Iterable[Finding] = ()) -> None:
        # "" is SQLite's private temporary database: on disk once past the page cache, never
        # visible to other processes, removed on close.
        self._db = sqlite3.connect("", isolation_level=None)
        self._db.execute(_SCHEMA)
        self._db.execute("BEGIN")
        self._indexed = False
        self._count = 0
        self.extend(findings)

    def add(self, f: Finding) -> None:
        if self._indexed:
            raise RuntimeError("the spool is being read; findings can no longer be added")
        self._db.execute(
            "INSERT INTO findings (status_order, severity_order, check_id, uid, fingerprint,"
            " status, severity, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (*sort_key(f), f.status.value, f.severity.value, f.model_dump_json()),
        )
        self._count += 1

    def extend(self, findings: Iterable[Finding]) -> None:
        for f in findings:
            self.add(f)

    def _seal(self) -> None:
        """The first read ends writing: commit, and index the order so reads stream."""
        if not self._indexed:
            self._db.execute("COMMIT")
            self._db.execute(f"CREATE INDEX document_order ON findings ({_ORDER})")
            self._indexed = True

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Finding]:
        self._seal()
        cursor = self._db.execute(f"SELECT body FROM findings ORDER BY {_ORDER}")  # noqa: S608
        while rows := cursor.fetchmany(READ_BATCH):
            for (body,) in rows:
                yield Finding.model_validate_json(body)

    @overload
    def __getitem__(self, index: int) -> Finding: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Finding]: ...
    def __getitem__(self, index: int | slice) -> Finding | Sequence[Finding]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._count))]
        position = index + self._count if index < 0 else index
        if not 0 <= position < self._count:
            raise IndexError("spool index out of range")
        self._seal()
        (body,) = self._db.execute(
            f"SELECT body FROM findings ORDER BY {_ORDER} LIMIT 1 OFFSET ?",  # noqa: S608
            (position,),
        ).fetchone()
        return Finding.model_validate_json(body)

    def summary(self) -> ScanSummary:
        self._seal()
        by_status = dict.fromkeys(Status, 0)
        for status, count in self._db.execute(
            "SELECT status, COUNT(*) FROM findings GROUP BY status"
        ):
            by_status[Status(status)] = count
        failed = dict.fromkeys(Severity, 0)
        for severity, count in self._db.execute(
            "SELECT severity, COUNT(*) FROM findings WHERE status = ? GROUP BY severity",
            (Status.FAIL.value,),
        ):
            failed[Severity(severity)] = count
        return ScanSummary(total=self._count, by_status=by_status, failed_by_severity=failed)

    def close(self) -> None:
        self._db.close()
