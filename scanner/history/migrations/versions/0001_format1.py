"""Format 1: the embedded SQLite history (scans, findings, seen).

A store written before migrations existed is at this revision already: the store stamps it
(PRAGMA user_version = 1, no alembic_version table) instead of running this.

Revision ID: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scans",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("started_at", sa.Text, nullable=False),
        sa.Column("finished_at", sa.Text, nullable=False),
        sa.Column("scope", sa.Text, nullable=False),
        sa.Column("partial", sa.Integer, nullable=False),
        sa.Column("schema_version", sa.Text, nullable=False),
        sa.Column("header", sa.Text, nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_index("scans_scope", "scans", ["scope", "id"])
    op.create_table(
        "findings",
        sa.Column(
            "scan_id", sa.Integer, sa.ForeignKey("scans.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("fingerprint", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("body", sa.LargeBinary, nullable=False),
        sa.PrimaryKeyConstraint("scan_id", "fingerprint"),
    )
    op.create_table(
        "seen",
        sa.Column("fingerprint", sa.Text, primary_key=True),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("first_seen", sa.Text, nullable=False),
        sa.Column("last_seen", sa.Text, nullable=False),
    )


def downgrade() -> None:
    for table in ("findings", "seen", "scans"):
        op.drop_table(table)
