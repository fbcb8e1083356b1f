"""The history's tables, one definition for SQLite and PostgreSQL (SQLAlchemy Core).

Timestamps are ISO 8601 text in UTC (what format 1 stored, and they sort as text); lease and
heartbeat times are epoch seconds, compared with the clock of whoever reads them.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    UniqueConstraint,
    text,
)

metadata = MetaData()

scans = Table(
    "scans",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("started_at", Text, nullable=False),
    Column("finished_at", Text, nullable=False),
    Column("scope", Text, nullable=False),
    Column("partial", Integer, nullable=False),
    Column("schema_version", Text, nullable=False),
    Column("header", Text, nullable=False),
    # The shared-history contract with the audit chain (issue 15).
    Column("uid", Text, nullable=True),
    Column("prev_hash", Text, nullable=True),
    Column("record_hash", Text, nullable=True),
    # The scope's SHA-256: an organisation's scope names every account (17 KB for 1,000), past
    # what a PostgreSQL btree entry may hold, so the index is on its hash (migration 0005).
    Column("scope_key", Text, nullable=True),
    Index("scans_scope_key", "scope_key", "id"),
    # An index, not a column constraint: SQLite cannot ALTER TABLE ADD a UNIQUE column.
    Index("scans_uid", "uid", unique=True),
    sqlite_autoincrement=True,
)

findings = Table(
    "findings",
    metadata,
    Column("scan_id", Integer, ForeignKey("scans.id", ondelete="CASCADE"), nullable=False),
    Column("fingerprint", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("body", LargeBinary, nullable=False),
    # Document order (format 1 read it from SQLite's rowid, which PostgreSQL has not).
    Column("position", Integer, nullable=True),
    PrimaryKeyConstraint("scan_id", "fingerprint"),
)

seen = Table(
    "seen",
    metadata,
    Column("fingerprint", Text, primary_key=True),
    Column("state", Text, nullable=False),
    Column("first_seen", Text, nullable=False),
    Column("last_seen", Text, nullable=False),
)

runs = Table(
    "runs",
    metadata,
    Column("id", Text, primary_key=True),
    Column("created_at", Text, nullable=False),
    Column("started_at", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("mode", Text, nullable=False),
    Column("shards", Integer, nullable=True),
    Column("plan", Text, nullable=False),
    Column("finalized_at", Text, nullable=True),
    Column("scan_id", Integer, nullable=True),
    Column("exit_code", Integer, nullable=True),
)
"""A distributed scan: planned (brokered) or sharded, finalized once."""

jobs = Table(
    "jobs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", Text, ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
    Column("provider", Text, nullable=False),
    Column("scope", Text, nullable=False),
    Column("name", Text, nullable=True),
    Column("shard", Integer, nullable=True),
    Column("status", Text, nullable=False),
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    Column("max_attempts", Integer, nullable=False, server_default=text("3")),
    Column("worker", Text, nullable=True),
    Column("heartbeat_at", Float, nullable=True),
    Column("lease_until", Float, nullable=True),
    Column("error", Text, nullable=True),
    Column("result", Text, nullable=True),
    Column("finished_at", Text, nullable=True),
    Column("detail", Text, nullable=True),
    UniqueConstraint("run_id", "provider", "scope", name="jobs_run_scope"),
    # One running job per scope across every run: two runs never scan one account at once.
    Index(
        "jobs_one_running",
        "provider",
        "scope",
        unique=True,
        sqlite_where=text("status = 'running'"),
        postgresql_where=text("status = 'running'"),
    ),
    Index("jobs_run_status", "run_id", "status"),
)
"""One (provider, account/project/tenant/org) of a run."""

run_findings = Table(
    "run_findings",
    metadata,
    Column("run_id", Text, ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
    Column("fingerprint", Text, nullable=False),
    Column("job_id", Integer, nullable=False),
    Column("body", LargeBinary, nullable=False),
    PrimaryKeyConstraint("run_id", "fingerprint"),
)
"""A run's findings as its jobs write them; `(run, fingerprint)` makes a redelivery a no-op."""

job_parts = Table(
    "job_parts",
    metadata,
    Column("job_id", Integer, ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True),
    Column("run_id", Text, ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
    Column("body", LargeBinary, nullable=False),
    Index("job_parts_run", "run_id", "job_id"),
)
"""A done job's part of the run inventory (scanner.distributed.parts), zlib-compressed JSON."""
