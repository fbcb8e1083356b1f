"""Format 2: the audit chain's columns, findings in document order, runs and jobs.

Revision ID: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

RUNNING = sa.text("status = 'running'")


def upgrade() -> None:
    # Plain ADD COLUMN (nullable, no default) works on SQLite without rebuilding the table.
    for column in ("uid", "prev_hash", "record_hash"):
        op.add_column("scans", sa.Column(column, sa.Text, nullable=True))
    op.create_index("scans_uid", "scans", ["uid"], unique=True)
    op.add_column("findings", sa.Column("position", sa.Integer, nullable=True))
    if op.get_bind().dialect.name == "sqlite":
        # Format 1 read a scan's findings in rowid order: that order becomes the position.
        op.execute("UPDATE findings SET position = rowid")
    op.create_table(
        "runs",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.Column("started_at", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("mode", sa.Text, nullable=False),
        sa.Column("shards", sa.Integer, nullable=True),
        sa.Column("plan", sa.Text, nullable=False),
        sa.Column("finalized_at", sa.Text, nullable=True),
        sa.Column("scan_id", sa.Integer, nullable=True),
        sa.Column("exit_code", sa.Integer, nullable=True),
    )
    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("run_id", sa.Text, sa.ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
        sa.Column("provider", sa.Text, nullable=False),
        sa.Column("scope", sa.Text, nullable=False),
        sa.Column("name", sa.Text, nullable=True),
        sa.Column("shard", sa.Integer, nullable=True),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("max_attempts", sa.Integer, nullable=False, server_default=sa.text("3")),
        sa.Column("worker", sa.Text, nullable=True),
        sa.Column("heartbeat_at", sa.Float, nullable=True),
        sa.Column("lease_until", sa.Float, nullable=True),
        sa.Column("error", sa.Text, nullable=True),
        sa.Column("result", sa.Text, nullable=True),
        sa.Column("finished_at", sa.Text, nullable=True),
        sa.UniqueConstraint("run_id", "provider", "scope", name="jobs_run_scope"),
    )
    op.create_index(
        "jobs_one_running",
        "jobs",
        ["provider", "scope"],
        unique=True,
        sqlite_where=RUNNING,
        postgresql_where=RUNNING,
    )
    op.create_index("jobs_run_status", "jobs", ["run_id", "status"])
    op.create_table(
        "run_findings",
        sa.Column("run_id", sa.Text, sa.ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
        sa.Column("fingerprint", sa.Text, nullable=False),
        sa.Column("job_id", sa.Integer, nullable=False),
        sa.Column("body", sa.LargeBinary, nullable=False),
        sa.PrimaryKeyConstraint("run_id", "fingerprint"),
    )


def downgrade() -> None:
    for table in ("run_findings", "jobs", "runs"):
        op.drop_table(table)
    op.drop_index("scans_uid", "scans")
    for column in ("uid", "prev_hash", "record_hash"):
        op.drop_column("scans", column)
    op.drop_column("findings", "position")
