"""SQLite scan history.

Every scan is written in one `BEGIN IMMEDIATE` transaction (recorded whole or not at all).
WAL lets readers go on while a writer commits; the busy timeout makes a second, overlapping
cron run wait for the first instead of failing. `first_seen` comes from the `seen` table: the
start of the current streak in which a fingerprint kept the same state (open, pass or error).

Format 2 adds the hash chain (scanner.history.chain): `uid` (the document's `scan.id`),
`prev_hash` and `record_hash`. Scans recorded by format 1 keep NULLs there: the chain of a
scope starts at its first hashed scan.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sqlite3
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import platformdirs

from scanner.diff import OPEN, FindingsDiff, diff
from scanner.document import Document, with_findings
from scanner.errors import UsageError
from scanner.history.chain import FindingRow, ScanContent, content_of, record_hash
from scanner.models.enums import Status
from scanner.models.findings import Finding, FindingsDocument, ScanHeader, ScanSummary

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 60_000
STORE_VERSION = 2
BATCH = 500
_SCHEMA = """
CREATE TABLE IF NOT EXISTS scans (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    scope TEXT NOT NULL,
    partial INTEGER NOT NULL,
    schema_version TEXT NOT NULL,
    header TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS scans_scope ON scans (scope, id);
CREATE TABLE IF NOT EXISTS findings (
    scan_id INTEGER NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
    fingerprint TEXT NOT NULL,
    status TEXT NOT NULL,
    body BLOB NOT NULL,
    PRIMARY KEY (scan_id, fingerprint)
);
CREATE TABLE IF NOT EXISTS seen (
    fingerprint TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL
);
"""
_MIGRATIONS: dict[int, tuple[str, ...]] = {
    2: (
        "ALTER TABLE scans ADD COLUMN uid TEXT NULL",
        "ALTER TABLE scans ADD COLUMN prev_hash TEXT NULL",
        "ALTER TABLE scans ADD COLUMN record_hash TEXT NULL",
        "CREATE UNIQUE INDEX IF NOT EXISTS scans_uid ON scans (uid)",
    ),
}
"""Per format, the statements that bring the previous format to it."""


def default_state_path() -> Path:
    return Path(platformdirs.user_state_dir("posture", appauthor=False)) / "history.sqlite3"


def scope_of(doc: Document) -> str:
    """Which accounts a scan covered: `--since-last` compares scans of the same scope."""
    return ",".join(sorted({f"{t.provider}:{t.account}" for t in doc.scan.targets}))


def _pack(f: Finding) -> bytes:
    # A year of nightly scans of a large account is millions of rows: keep them compressed.
    return zlib.compress(f.model_dump_json().encode("utf-8"))


def _unpack(body: bytes) -> Finding:
    return Finding.model_validate_json(zlib.decompress(body))


def _state(f: Finding) -> str:
    return "open" if f.status in OPEN else f.status.value


def _seen(db: sqlite3.Connection, fingerprints: Sequence[str]) -> dict[str, tuple[str, datetime]]:
    out: dict[str, tuple[str, datetime]] = {}
    for start in range(0, len(fingerprints), BATCH):
        chunk = fingerprints[start : start + BATCH]
        marks = ",".join("?" * len(chunk))
        for fp, state, first in db.execute(
            f"SELECT fingerprint, state, first_seen FROM seen WHERE fingerprint IN ({marks})",  # noqa: S608 (placeholders only)
            chunk,
        ):
            out[fp] = (state, datetime.fromisoformat(first))
    return out


class _ScanWriter:
    """Stores a scan's findings batch by batch, filling in first and last seen."""

    def __init__(self, db: sqlite3.Connection, scan_id: int, started: datetime) -> None:
        self.db = db
        self.scan_id = scan_id
        self.started = started
        self.duplicates = 0

    def stored(self, findings: Iterable[Finding]) -> Iterator[Finding]:
        """Yields each finding as recorded: first_seen carried over while its state holds."""
        batch: list[Finding] = []
        for f in findings:
            batch.append(f)
            if len(batch) == BATCH:
                yield from self._store(batch)
                batch = []
        yield from self._store(batch)

    def _store(self, batch: list[Finding]) -> list[Finding]:
        if not batch:
            return []
        seen = _seen(self.db, [f.fingerprint for f in batch])
        findings = []
        for f in batch:
            state, first = seen.get(f.fingerprint, (None, None))
            first_seen = self.started
            if state == _state(f) and first is not None:
                # min(): an overlapping run that started earlier may record later.
                first_seen = min(first, first_seen)
            findings.append(
                f.model_copy(update={"first_seen": first_seen, "last_seen": self.started})
            )
        rows = [(self.scan_id, f.fingerprint, f.status.value, _pack(f)) for f in findings]
        inserted = self.db.executemany(
            "INSERT OR IGNORE INTO findings (scan_id, fingerprint, status, body)"
            " VALUES (?, ?, ?, ?)",
            rows,
        ).rowcount
        self.duplicates += len(rows) - inserted
        self.db.executemany(
            "INSERT INTO seen (fingerprint, state, first_seen, last_seen) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (fingerprint) DO UPDATE SET state = excluded.state,"
            " first_seen = excluded.first_seen, last_seen = excluded.last_seen",
            [
                (f.fingerprint, _state(f), f.first_seen.isoformat(), self.started.isoformat())
                for f in findings
            ],
        )
        return findings


@dataclass(frozen=True)
class ScanRecord:
    id: int
    started_at: datetime
    finished_at: datetime
    scope: str
    partial: bool
    summary: ScanSummary


@dataclass(frozen=True)
class ChainLink:
    """A stored scan's place in the hash chain of its scope."""

    id: int
    uid: str | None
    started_at: datetime
    scope: str
    partial: bool
    prev_hash: str | None
    record_hash: str | None


@dataclass(frozen=True)
class Recorded:
    scan_id: int
    document: Document
    """The document with first_seen and last_seen from the history."""
    previous: FindingsDocument | None
    """The last scan of the same scope, with its open findings only."""
    diff: FindingsDiff


class HistoryStore:
    def __init__(self, path: Path, read_only: bool = False) -> None:
        self.path = path
        if read_only:
            self._open_read_only(path)
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            # Findings name users and resources: the store (and its WAL, which SQLite creates
            # with the same mode) is readable by its owner only.
            os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
            self._db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            self._db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA foreign_keys = ON")
            self._db.execute("PRAGMA synchronous = FULL")
            with self._transaction() as db:
                version = db.execute("PRAGMA user_version").fetchone()[0]
                if version > STORE_VERSION:
                    raise UsageError(
                        f"history store {path} was written by a newer posture (format {version})"
                    )
                for statement in filter(str.strip, _SCHEMA.split(";")):
                    db.execute(statement)
                for target in range(max(version, 1) + 1, STORE_VERSION + 1):
                    for statement in _MIGRATIONS[target]:
                        db.execute(statement)
                db.execute(f"PRAGMA user_version = {STORE_VERSION}")
            self.version = STORE_VERSION
        except sqlite3.DatabaseError as exc:
            raise UsageError(f"history store {path}: {exc}") from None
        except OSError as exc:
            raise UsageError(f"history store {path}: {exc.strerror or exc}") from None

    def _open_read_only(self, path: Path) -> None:
        """For `posture history` and `posture waivers`: reading never changes the store."""
        try:
            self._db = sqlite3.connect(
                f"{path.resolve().as_uri()}?mode=ro",
                uri=True,
                timeout=BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,
            )
            self._db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise UsageError(f"history store {path}: {exc}") from None
        if not 1 <= version <= STORE_VERSION:
            self._db.close()
            raise UsageError(f"history store {path}: not a posture history (format {version})")
        self.version = version

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def record(self, doc: Document, keep_scans: int = 400) -> Recorded:
        """Stores `doc` whole, with first/last seen filled in, and diffs it with the last scan
        of the same scope. One transaction: a crash leaves the store as it was.

        The findings pass through in batches: the store never holds a whole scan in memory.
        """
        started = doc.scan.started_at
        scope = scope_of(doc)
        with self._transaction() as db:
            previous_id = self._latest_id(db, scope)
            previous = self._load(db, previous_id, open_only=True) if previous_id else None
            changes = diff(previous, doc)
            content = content_of(doc, scope)
            prev_hash = self._record_hash(db, previous_id) if previous_id else None
            cur = db.execute(
                "INSERT INTO scans (started_at, finished_at, scope, partial, schema_version,"
                " header, uid, prev_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    content.started_at,
                    content.finished_at,
                    scope,
                    int(content.partial),
                    content.schema_version,
                    content.header,
                    content.uid,
                    prev_hash,
                ),
            )
            scan_id = int(cur.lastrowid or 0)
            writer = _ScanWriter(db, scan_id, started)
            recorded = with_findings(doc, writer.stored(doc.findings))
            if writer.duplicates:
                log.warning("%d findings share a fingerprint; kept the first", writer.duplicates)
            still_open = self._still_present(db, scan_id, [f.fingerprint for f in changes.resolved])
            db.executemany(
                "UPDATE seen SET state = 'resolved' WHERE fingerprint = ?",
                [(f.fingerprint,) for f in changes.resolved if f.fingerprint not in still_open],
            )
            db.execute(
                "UPDATE scans SET record_hash = ? WHERE id = ?",
                (record_hash(prev_hash, content, self._finding_rows(db, scan_id)), scan_id),
            )
            self._prune(db, scope, keep_scans)
        return Recorded(scan_id, recorded, previous, changes)

    @staticmethod
    def _still_present(db: sqlite3.Connection, scan_id: int, fingerprints: list[str]) -> set[str]:
        """Which of `fingerprints` the scan `scan_id` has a finding for (in any state)."""
        present: set[str] = set()
        for start in range(0, len(fingerprints), BATCH):
            chunk = fingerprints[start : start + BATCH]
            marks = ",".join("?" * len(chunk))
            present.update(
                fp
                for (fp,) in db.execute(
                    "SELECT fingerprint FROM findings"  # noqa: S608 (placeholders only)
                    f" WHERE scan_id = ? AND fingerprint IN ({marks})",
                    (scan_id, *chunk),
                )
            )
        return present

    @staticmethod
    def _latest_id(db: sqlite3.Connection, scope: str) -> int | None:
        row = db.execute(
            "SELECT id FROM scans WHERE scope = ? ORDER BY id DESC LIMIT 1", (scope,)
        ).fetchone()
        return int(row[0]) if row else None

    @staticmethod
    def _record_hash(db: sqlite3.Connection, scan_id: int) -> str | None:
        row = db.execute("SELECT record_hash FROM scans WHERE id = ?", (scan_id,)).fetchone()
        return str(row[0]) if row and row[0] is not None else None

    @staticmethod
    def _finding_rows(db: sqlite3.Connection, scan_id: int) -> Iterator[FindingRow]:
        """A scan's findings as the chain hashes them (zlib.error on a corrupt row)."""
        for fp, status, body in db.execute(
            "SELECT fingerprint, status, body FROM findings WHERE scan_id = ? ORDER BY fingerprint",
            (scan_id,),
        ):
            yield FindingRow(fp, status, zlib.decompress(body))

    def finding_rows(self, scan_id: int) -> Iterator[FindingRow]:
        return self._finding_rows(self._db, scan_id)

    def scan_content(self, scan_id: int) -> ScanContent:
        row = self._db.execute(
            "SELECT uid, started_at, finished_at, scope, partial, schema_version, header"
            " FROM scans WHERE id = ?",
            (scan_id,),
        ).fetchone()
        if row is None:
            raise UsageError(f"no scan {scan_id} in {self.path}")
        return ScanContent(row[0], row[1], row[2], row[3], bool(row[4]), row[5], row[6])

    def chain(self) -> list[ChainLink]:
        """Every stored scan in recording order, with its chain columns."""
        if self.version < 2:
            raise UsageError(
                f"history store {self.path} predates the hash chain (format {self.version}): "
                "record or import a scan to upgrade it"
            )
        return [
            ChainLink(
                id=int(r[0]),
                uid=r[1],
                started_at=datetime.fromisoformat(r[2]),
                scope=r[3],
                partial=bool(r[4]),
                prev_hash=r[5],
                record_hash=r[6],
            )
            for r in self._db.execute(
                "SELECT id, uid, started_at, scope, partial, prev_hash, record_hash FROM scans"
                " ORDER BY id"
            )
        ]

    def scan_id_of(self, uid: str) -> int | None:
        """The stored scan whose document had `scan.id` == `uid`."""
        if self.version < 2:
            return None
        row = self._db.execute("SELECT id FROM scans WHERE uid = ?", (uid,)).fetchone()
        return int(row[0]) if row else None

    @staticmethod
    def _prune(db: sqlite3.Connection, scope: str, keep: int) -> None:
        db.execute(
            "DELETE FROM scans WHERE scope = ? AND id NOT IN"
            " (SELECT id FROM scans WHERE scope = ? ORDER BY id DESC LIMIT ?)",
            (scope, scope, keep),
        )

    @staticmethod
    def _load(
        db: sqlite3.Connection, scan_id: int, open_only: bool = False
    ) -> FindingsDocument | None:
        """A stored scan; with `open_only`, only its open findings (all a diff reads)."""
        row = db.execute(
            "SELECT header, schema_version FROM scans WHERE id = ?", (scan_id,)
        ).fetchone()
        if row is None:
            return None
        states = sorted(s.value for s in (OPEN if open_only else Status))
        marks = ",".join("?" * len(states))
        bodies = db.execute(
            f"SELECT body FROM findings WHERE scan_id = ? AND status IN ({marks})"  # noqa: S608 (placeholders only)
            " ORDER BY rowid",
            (scan_id, *states),
        ).fetchall()
        return FindingsDocument(
            schema_version=row[1],
            scan=ScanHeader.model_validate_json(row[0]),
            findings=tuple(_unpack(b[0]) for b in bodies),
        )

    def document(self, scan_id: int) -> FindingsDocument:
        doc = self._load(self._db, scan_id)
        if doc is None:
            raise UsageError(f"no scan {scan_id} in {self.path}")
        return doc

    def latest(self, scope: str | None = None) -> FindingsDocument | None:
        if scope is None:
            row = self._db.execute("SELECT id FROM scans ORDER BY id DESC LIMIT 1").fetchone()
            scan_id = int(row[0]) if row else None
        else:
            scan_id = self._latest_id(self._db, scope)
        return self._load(self._db, scan_id) if scan_id is not None else None

    def scans(self, limit: int = 20) -> list[ScanRecord]:
        rows = self._db.execute(
            "SELECT id, started_at, finished_at, scope, partial, header FROM scans"
            " ORDER BY id DESC LIMIT ?",
            (limit,),
        ).fetchall()
        return [
            ScanRecord(
                id=int(r[0]),
                started_at=datetime.fromisoformat(r[1]),
                finished_at=datetime.fromisoformat(r[2]),
                scope=r[3],
                partial=bool(r[4]),
                summary=ScanSummary.model_validate(json.loads(r[5])["summary"]),
            )
            for r in rows
        ]
