"""The scan history, on SQLite (embedded default) or PostgreSQL, through SQLAlchemy Core.

Every scan is written in one transaction (recorded whole or not at all). On SQLite the
transaction takes the write lock up front (`BEGIN IMMEDIATE`); WAL lets readers go on while a
writer commits, and the busy timeout makes a second, overlapping cron run wait for the first
instead of failing. On PostgreSQL a transaction-level advisory lock gives the same one writer
at a time. `first_seen` comes from the `seen` table: the start of the current streak in which
a fingerprint kept the same state (open, pass or error).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import Connection, Table, bindparam, func, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DatabaseError, OperationalError

from scanner.diff import OPEN, FindingsDiff, diff
from scanner.document import Document, with_findings
from scanner.errors import UsageError
from scanner.history import database
from scanner.history.chain import FindingRow, ScanContent, content_of, record_hash
from scanner.history.location import DatabaseUrl, StateLocation, parse_state
from scanner.history.schema import findings, scans, seen
from scanner.models.enums import Status
from scanner.models.findings import Finding, FindingsDocument, ScanHeader, ScanSummary

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 60_000
BATCH = 500
_HISTORY_LOCK = 0x68697374  # pg_advisory_xact_lock key: one history writer at a time


def default_state_path() -> Path:
    return Path(platformdirs.user_state_dir("posture", appauthor=False)) / "history.sqlite3"


def scope_of(doc: Document) -> str:
    """Which accounts a scan covered: `--since-last` compares scans of the same scope."""
    return ",".join(sorted({f"{t.provider}:{t.account}" for t in doc.scan.targets}))


def scope_key(scope: str) -> str:
    """The indexed form of a scope (scans.scope_key): its SHA-256, hex."""
    return hashlib.sha256(scope.encode("utf-8")).hexdigest()


def pack(f: Finding) -> bytes:
    # A year of nightly scans of a large account is millions of rows: keep them compressed.
    return zlib.compress(f.model_dump_json().encode("utf-8"))


def unpack(body: bytes) -> Finding:
    return Finding.model_validate_json(zlib.decompress(body))


def _state(f: Finding) -> str:
    return "open" if f.status in OPEN else f.status.value


def upsert(conn: Connection, table: Table) -> postgresql.Insert | sqlite.Insert:
    """INSERT with the dialect's ON CONFLICT clauses (SQLite and PostgreSQL spell it alike)."""
    if conn.dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def chunks(items: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]


def _seen(conn: Connection, fingerprints: Sequence[str]) -> dict[str, tuple[str, datetime]]:
    out: dict[str, tuple[str, datetime]] = {}
    for chunk in chunks(fingerprints):
        query = select(seen.c.fingerprint, seen.c.state, seen.c.first_seen).where(
            seen.c.fingerprint.in_(chunk)
        )
        for fp, state, first in conn.execute(query):
            out[fp] = (state, datetime.fromisoformat(first))
    return out


class _ScanWriter:
    """Stores a scan's findings batch by batch, filling in first and last seen."""

    def __init__(self, conn: Connection, scan_id: int, started: datetime) -> None:
        self.conn = conn
        self.scan_id = scan_id
        self.started = started
        self.written = 0

    def stored(self, items: Iterable[Finding]) -> Iterator[Finding]:
        """Yields each finding as recorded: first_seen carried over while its state holds."""
        batch: list[Finding] = []
        for f in items:
            batch.append(f)
            if len(batch) == BATCH:
                yield from self._store(batch)
                batch = []
        yield from self._store(batch)

    def _store(self, batch: list[Finding]) -> list[Finding]:
        if not batch:
            return []
        known = _seen(self.conn, [f.fingerprint for f in batch])
        recorded = []
        for f in batch:
            state, first = known.get(f.fingerprint, (None, None))
            first_seen = self.started
            if state == _state(f) and first is not None:
                # min(): an overlapping run that started earlier may record later.
                first_seen = min(first, first_seen)
            recorded.append(
                f.model_copy(update={"first_seen": first_seen, "last_seen": self.started})
            )
        rows: dict[str, dict[str, Any]] = {}
        marks: dict[str, dict[str, Any]] = {}
        for position, f in enumerate(recorded, start=self.written):
            # A fingerprint twice in one scan is a bug upstream: the first one is kept.
            rows.setdefault(
                f.fingerprint,
                {
                    "scan_id": self.scan_id,
                    "fingerprint": f.fingerprint,
                    "status": f.status.value,
                    "body": pack(f),
                    "position": position,
                },
            )
            marks.setdefault(
                f.fingerprint,
                {
                    "fingerprint": f.fingerprint,
                    "state": _state(f),
                    "first_seen": f.first_seen.isoformat(),
                    "last_seen": self.started.isoformat(),
                },
            )
        self.written += len(recorded)
        self.conn.execute(upsert(self.conn, findings).on_conflict_do_nothing(), list(rows.values()))
        mark = upsert(self.conn, seen)
        self.conn.execute(
            mark.on_conflict_do_update(
                index_elements=[seen.c.fingerprint],
                set_={
                    "state": mark.excluded.state,
                    "first_seen": mark.excluded.first_seen,
                    "last_seen": mark.excluded.last_seen,
                },
            ),
            list(marks.values()),
        )
        return recorded

    def duplicates(self) -> int:
        query = select(func.count()).select_from(findings).where(findings.c.scan_id == self.scan_id)
        return self.written - int(self.conn.execute(query).scalar_one())


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
    def __init__(self, location: StateLocation | str, read_only: bool = False) -> None:
        self.path: StateLocation = parse_state(location) if isinstance(location, str) else location
        self.read_only = read_only
        try:
            self._engine = database.open_engine(self.path, BUSY_TIMEOUT_MS, read_only)
            self._conn = self._engine.connect()
            if read_only:
                self._check_current()
            else:
                with self._transaction() as conn:
                    database.upgrade(conn, self.path)
        except DatabaseError as exc:
            raise UsageError(f"history store {self.path}: {database_reason(exc)}") from None
        except OSError as exc:
            raise UsageError(f"history store {self.path}: {exc.strerror or exc}") from None

    def _check_current(self) -> None:
        """For `posture history` and `posture waivers`: reading never changes the store."""
        with self._read() as conn:
            revision = database.current_revision(conn)
        if revision == database.head_revision():
            return
        self.close()
        if revision == database.FORMAT1:
            raise UsageError(
                f"history store {self.path} is in format 1: the next `posture scan` recording "
                "into it upgrades it in place"
            )
        if revision is None and isinstance(self.path, DatabaseUrl):
            raise UsageError(f"no history at {self.path} yet: run `posture scan` first")
        raise UsageError(f"history store {self.path}: not a posture history ({revision})")

    def close(self) -> None:
        self._conn.close()
        self._engine.dispose()

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def connection(self) -> Connection:
        return self._conn

    @contextlib.contextmanager
    def _read(self) -> Iterator[Connection]:
        with self._conn.begin():
            yield self._conn

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[Connection]:
        """One write transaction: on SQLite BEGIN IMMEDIATE, on PostgreSQL the history lock."""
        self._conn.info[database.WRITE_FLAG] = True
        try:
            with self._conn.begin():
                if self._conn.dialect.name == "postgresql":
                    self._conn.execute(
                        text("SELECT pg_advisory_xact_lock(:key)"), {"key": _HISTORY_LOCK}
                    )
                yield self._conn
        finally:
            self._conn.info.pop(database.WRITE_FLAG, None)

    def record(self, doc: Document, keep_scans: int = 400) -> Recorded:
        """Stores `doc` whole, with first/last seen filled in, and diffs it with the last scan
        of the same scope. One transaction: a crash leaves the store as it was.

        The findings pass through in batches: the store never holds a whole scan in memory.
        The scan joins its scope's hash chain (scanner.history.chain): `uid` is the document's
        `scan.id`, `prev_hash` the previous scan's `record_hash`, and `record_hash` covers this
        scan's columns and findings as stored.
        """
        started = doc.scan.started_at
        scope = scope_of(doc)
        with self._transaction() as conn:
            previous_id = self._latest_id(conn, scope)
            previous = self._load(conn, previous_id, open_only=True) if previous_id else None
            changes = diff(previous, doc)
            content = content_of(doc, scope)
            prev_hash = self._record_hash(conn, previous_id) if previous_id else None
            inserted = conn.execute(
                scans.insert().values(
                    started_at=content.started_at,
                    finished_at=content.finished_at,
                    scope=scope,
                    scope_key=scope_key(scope),
                    partial=int(content.partial),
                    schema_version=content.schema_version,
                    header=content.header,
                    uid=content.uid,
                    prev_hash=prev_hash,
                )
            )
            key = inserted.inserted_primary_key
            assert key is not None
            scan_id = int(key[0])
            writer = _ScanWriter(conn, scan_id, started)
            recorded = with_findings(doc, writer.stored(doc.findings))
            duplicates = writer.duplicates()
            if duplicates:
                log.warning("%d findings share a fingerprint; kept the first", duplicates)
            gone = [f.fingerprint for f in changes.resolved]
            still_open = self._still_present(conn, scan_id, gone)
            resolved = [{"fp": fp} for fp in gone if fp not in still_open]
            if resolved:
                conn.execute(
                    update(seen)
                    .where(seen.c.fingerprint == bindparam("fp"))
                    .values(state="resolved"),
                    resolved,
                )
            digest = record_hash(prev_hash, content, self._finding_rows(conn, scan_id))
            conn.execute(update(scans).where(scans.c.id == scan_id).values(record_hash=digest))
            self._prune(conn, scope, keep_scans)
        return Recorded(scan_id, recorded, previous, changes)

    @staticmethod
    def _record_hash(conn: Connection, scan_id: int) -> str | None:
        found = conn.execute(select(scans.c.record_hash).where(scans.c.id == scan_id)).scalar()
        return str(found) if found is not None else None

    @staticmethod
    def _finding_rows(conn: Connection, scan_id: int) -> Iterator[FindingRow]:
        """A scan's findings as the chain hashes them (zlib.error on a corrupt row)."""
        query = (
            select(findings.c.fingerprint, findings.c.status, findings.c.body)
            .where(findings.c.scan_id == scan_id)
            .order_by(findings.c.fingerprint)
        )
        for fp, status, body in conn.execute(query):
            yield FindingRow(fp, status, zlib.decompress(body))

    def finding_rows(self, scan_id: int) -> Iterator[FindingRow]:
        """Lazily (a corrupt row raises zlib.error where the caller reads it); iterate to the
        end promptly, the read transaction stays open until then."""
        with self._read() as conn:
            yield from self._finding_rows(conn, scan_id)

    def scan_content(self, scan_id: int) -> ScanContent:
        query = select(
            scans.c.uid,
            scans.c.started_at,
            scans.c.finished_at,
            scans.c.scope,
            scans.c.partial,
            scans.c.schema_version,
            scans.c.header,
        ).where(scans.c.id == scan_id)
        with self._read() as conn:
            row = conn.execute(query).first()
        if row is None:
            raise UsageError(f"no scan {scan_id} in {self.path}")
        return ScanContent(row[0], row[1], row[2], row[3], bool(row[4]), row[5], row[6])

    def chain(self) -> list[ChainLink]:
        """Every stored scan in recording order, with its chain columns."""
        query = select(
            scans.c.id,
            scans.c.uid,
            scans.c.started_at,
            scans.c.scope,
            scans.c.partial,
            scans.c.prev_hash,
            scans.c.record_hash,
        ).order_by(scans.c.id)
        with self._read() as conn:
            rows = list(conn.execute(query))
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
            for r in rows
        ]

    def scan_id_of(self, uid: str) -> int | None:
        """The stored scan whose document had `scan.id` == `uid`."""
        with self._read() as conn:
            found = conn.execute(select(scans.c.id).where(scans.c.uid == uid)).scalar()
        return int(found) if found is not None else None

    @staticmethod
    def _still_present(conn: Connection, scan_id: int, fingerprints: list[str]) -> set[str]:
        """Which of `fingerprints` the scan `scan_id` has a finding for (in any state)."""
        present: set[str] = set()
        for chunk in chunks(fingerprints):
            query = select(findings.c.fingerprint).where(
                findings.c.scan_id == scan_id, findings.c.fingerprint.in_(chunk)
            )
            present.update(conn.execute(query).scalars())
        return present

    @staticmethod
    def _latest_id(conn: Connection, scope: str) -> int | None:
        query = (
            select(scans.c.id)
            .where(scans.c.scope_key == scope_key(scope))
            .order_by(scans.c.id.desc())
        )
        found = conn.execute(query.limit(1)).scalar()
        return int(found) if found is not None else None

    @staticmethod
    def _prune(conn: Connection, scope: str, keep: int) -> None:
        kept = (
            select(scans.c.id)
            .where(scans.c.scope_key == scope_key(scope))
            .order_by(scans.c.id.desc())
            .limit(keep)
            .scalar_subquery()
        )
        old = select(scans.c.id).where(
            scans.c.scope_key == scope_key(scope), scans.c.id.not_in(kept)
        )
        old_ids = list(conn.execute(old).scalars())
        if old_ids:
            # Explicit rather than ON DELETE CASCADE: SQLite enforces foreign keys only when
            # the connection asks, and a format-1 table may lack the clause's effect.
            conn.execute(findings.delete().where(findings.c.scan_id.in_(old_ids)))
            conn.execute(scans.delete().where(scans.c.id.in_(old_ids)))

    @staticmethod
    def _load(conn: Connection, scan_id: int, open_only: bool = False) -> FindingsDocument | None:
        """A stored scan; with `open_only`, only its open findings (all a diff reads)."""
        row = conn.execute(
            select(scans.c.header, scans.c.schema_version).where(scans.c.id == scan_id)
        ).first()
        if row is None:
            return None
        states = sorted(s.value for s in (OPEN if open_only else Status))
        bodies = conn.execute(
            select(findings.c.body)
            .where(findings.c.scan_id == scan_id, findings.c.status.in_(states))
            .order_by(findings.c.position, findings.c.fingerprint)
        ).scalars()
        return FindingsDocument(
            schema_version=row.schema_version,
            scan=ScanHeader.model_validate_json(row.header),
            findings=tuple(unpack(b) for b in bodies),
        )

    def document(self, scan_id: int) -> FindingsDocument:
        with self._read() as conn:
            doc = self._load(conn, scan_id)
        if doc is None:
            raise UsageError(f"no scan {scan_id} in {self.path}")
        return doc

    def latest(self, scope: str | None = None) -> FindingsDocument | None:
        with self._read() as conn:
            if scope is None:
                query = select(scans.c.id).order_by(scans.c.id.desc()).limit(1)
                found = conn.execute(query).scalar()
                scan_id = int(found) if found is not None else None
            else:
                scan_id = self._latest_id(conn, scope)
            return self._load(conn, scan_id) if scan_id is not None else None

    def scans(self, limit: int = 20) -> list[ScanRecord]:
        query = (
            select(
                scans.c.id,
                scans.c.started_at,
                scans.c.finished_at,
                scans.c.scope,
                scans.c.partial,
                scans.c.header,
            )
            .order_by(scans.c.id.desc())
            .limit(limit)
        )
        with self._read() as conn:
            rows = conn.execute(query).all()
        return [
            ScanRecord(
                id=int(r.id),
                started_at=datetime.fromisoformat(r.started_at),
                finished_at=datetime.fromisoformat(r.finished_at),
                scope=r.scope,
                partial=bool(r.partial),
                summary=ScanSummary.model_validate(json.loads(r.header)["summary"]),
            )
            for r in rows
        ]


def database_reason(exc: DatabaseError) -> str:
    """The driver's own message, one line, never the statement or its parameters."""
    original = exc.orig if exc.orig is not None else exc
    message = str(original).strip().splitlines()[0] if str(original).strip() else ""
    if isinstance(exc, OperationalError) and not message:
        message = "cannot open the database"
    return message or type(original).__name__
