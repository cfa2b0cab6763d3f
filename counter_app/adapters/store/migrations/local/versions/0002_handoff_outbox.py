"""The hand-off outbox: each printed visit's rows for the back office, sealed until delivered once.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from counter_app.adapters.store.types import UtcDateTime

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "handoff_outbox",
        sa.Column("entry_id", sa.Uuid(), nullable=False),
        sa.Column("visit_id", sa.String(40), nullable=False),
        sa.Column("counter", sa.String(64), nullable=False),
        sa.Column("layout_id", sa.String(64), nullable=False),
        sa.Column("batch_ids", sa.Text(), nullable=False),
        sa.Column("row_ids", sa.Text(), nullable=False),
        sa.Column("file_names", sa.Text(), nullable=False),
        sa.Column("stopped_rows", sa.Integer(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("target", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("delivered_at", UtcDateTime(), nullable=True),
        sa.Column("key_id", sa.String(16), nullable=True),
        sa.Column("nonce", sa.LargeBinary(), nullable=True),
        sa.Column("ciphertext", sa.LargeBinary(), nullable=True),
        sa.PrimaryKeyConstraint("entry_id", name="pk_handoff_outbox"),
    )
    op.create_index("ix_handoff_outbox_created_at", "handoff_outbox", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_handoff_outbox_created_at", table_name="handoff_outbox")
    op.drop_table("handoff_outbox")
