"""Opening the history database: SQLite (one file, WAL, a busy timeout, one writer at a time)
or PostgreSQL, brought to the current schema by the Alembic migrations in `migrations/`.

Why Alembic: versioned, ordered migrations with a version table on both databases, DDL inside
the same transaction on both, and autogenerate-free scripts we review like code. A store
written before migrations (format 1: `PRAGMA user_version = 1`, no version table) is stamped
at revision 0001 and upgraded in place.
"""

from __future__ import annotations

import functools
import os
import sqlite3
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.pool import NullPool

from scanner.errors import UsageError
from scanner.history.location import DatabaseUrl, StateLocation

FORMAT1 = "0001"
SQLITE_FORMAT = 2
"""PRAGMA user_version of a current SQLite store: posture 0.1 (format 1) refuses it."""
CONNECT_TIMEOUT_SECONDS = 10
WRITE_FLAG = "posture_write"
"""Set in a connection's info while it opens a write transaction."""
_MIGRATION_LOCK = 0x706F7374  # pg_advisory_xact_lock key: one migrating process at a time


@functools.cache
def _alembic() -> tuple[Config, str]:
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).with_name("migrations")))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return config, head


def head_revision() -> str:
    return _alembic()[1]


def sqlite_engine(path: Path, busy_timeout_ms: int, read_only: bool) -> Engine:
    def connect() -> sqlite3.Connection:
        if read_only:
            target, uri = f"{path.resolve().as_uri()}?mode=ro", True
        else:
            target, uri = str(path), False
        db = sqlite3.connect(
            target,
            uri=uri,
            timeout=busy_timeout_ms / 1000,
            isolation_level=None,
            check_same_thread=False,
        )
        db.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        if not read_only:
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA foreign_keys = ON")
            db.execute("PRAGMA synchronous = FULL")
        return db

    engine = create_engine("sqlite://", creator=connect, poolclass=NullPool)

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        # The documented pysqlite recipe: the driver's own transaction handling is off
        # (isolation_level=None) and SQLAlchemy emits BEGIN. A write transaction takes the
        # write lock up front, so an overlapping run waits (busy timeout) rather than failing
        # half-way; a read takes none.
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.get(WRITE_FLAG) else "BEGIN")

    return engine


def postgres_engine(url: DatabaseUrl) -> Engine:
    return create_engine(
        url.url,
        poolclass=NullPool,
        connect_args={"connect_timeout": CONNECT_TIMEOUT_SECONDS, "application_name": "posture"},
    )


def open_engine(location: StateLocation, busy_timeout_ms: int, read_only: bool) -> Engine:
    if isinstance(location, DatabaseUrl):
        return postgres_engine(location)
    if not read_only:
        location.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        # Findings name users and resources: the store (and its WAL, which SQLite creates with
        # the same mode) is readable by its owner only.
        os.close(os.open(location, os.O_CREAT | os.O_RDWR, 0o600))
    return sqlite_engine(location, busy_timeout_ms, read_only)


def current_revision(conn: Connection) -> str | None:
    """The store's revision: None for an empty database, FORMAT1 for a pre-migration store."""
    revision = MigrationContext.configure(conn).get_current_revision()
    if revision is not None:
        return revision
    if conn.dialect.name == "sqlite":
        version = conn.exec_driver_sql("PRAGMA user_version").scalar_one()
        if version == 1:
            return FORMAT1
        if version:
            return f"format {version}"
    if inspect(conn).has_table("scans"):
        return "unknown"
    return None


def upgrade(conn: Connection, location: StateLocation) -> None:
    """Brings the store to the head revision inside the caller's transaction."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
    config, head = _alembic()
    revision = current_revision(conn)
    if revision == head:
        return
    known = {s.revision for s in ScriptDirectory.from_config(config).walk_revisions()}
    if revision is not None and revision not in known:
        raise UsageError(
            f"history store {location} was written by another (newer?) posture ({revision})"
        )
    config.attributes["connection"] = conn
    if revision == FORMAT1 and MigrationContext.configure(conn).get_current_revision() is None:
        command.stamp(config, FORMAT1)
    command.upgrade(config, "head")
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"PRAGMA user_version = {SQLITE_FORMAT}")
