"""Scans are found by the SHA-256 of their scope (`scans.scope_key`), not the scope itself.

An organisation's scope names every account it covered ("aws:1…,aws:2…", about 17 KB for
1,000 accounts): PostgreSQL refuses a btree index entry over a third of a page (2,704 bytes),
so recording such a scan failed. The hash is indexed instead; existing rows are backfilled.

Revision ID: 0005
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("scans", sa.Column("scope_key", sa.Text, nullable=True))
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, scope FROM scans")).all()
    for scan_id, scope in rows:
        conn.execute(
            sa.text("UPDATE scans SET scope_key = :key WHERE id = :id"),
            {"key": hashlib.sha256(str(scope).encode("utf-8")).hexdigest(), "id": scan_id},
        )
    op.execute("DROP INDEX IF EXISTS scans_scope")
    op.create_index("scans_scope_key", "scans", ["scope_key", "id"])


def downgrade() -> None:
    op.drop_index("scans_scope_key", "scans")
    op.create_index("scans_scope", "scans", ["scope", "id"])
    op.drop_column("scans", "scope_key")
