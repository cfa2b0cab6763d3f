"""Hand-off files delivered through the shared database (docs/handoff.md): written once per outbox
entry and kind; ``imported_at`` is set by the back office's import.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from counter_app.adapters.store.types import UtcDateTime

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "handoff_files",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("entry_id", sa.Uuid(), nullable=False),
        sa.Column("counter", sa.String(64), nullable=False),
        sa.Column("layout_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("batch_ids", sa.Text(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("delivered_at", UtcDateTime(), nullable=False),
        sa.Column("imported_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_handoff_files"),
    )
    op.create_index("ix_handoff_files_entry_id", "handoff_files", ["entry_id"])
    op.create_index("ix_handoff_files_local_date", "handoff_files", ["local_date"])


def downgrade() -> None:
    op.drop_index("ix_handoff_files_local_date", table_name="handoff_files")
    op.drop_index("ix_handoff_files_entry_id", table_name="handoff_files")
    op.drop_table("handoff_files")
