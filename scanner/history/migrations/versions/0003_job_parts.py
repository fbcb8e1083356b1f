"""Format 3: each job's part of the run inventory (what the cross-provider checks and the TLS
probe of the run read), written with the job's done mark.

Revision ID: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A new table, no change to the existing ones: the upgrade loses nothing on either database.
    op.create_table(
        "job_parts",
        sa.Column(
            "job_id",
            sa.Integer,
            sa.ForeignKey("jobs.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("run_id", sa.Text, sa.ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
        sa.Column("body", sa.LargeBinary, nullable=False),
    )
    op.create_index("job_parts_run", "job_parts", ["run_id", "job_id"])


def downgrade() -> None:
    op.drop_index("job_parts_run", "job_parts")
    op.drop_table("job_parts")
