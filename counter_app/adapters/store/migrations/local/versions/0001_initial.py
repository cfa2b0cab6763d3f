"""The counter's local store: outbox, encrypted drafts, local facts.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from counter_app.adapters.store.types import UtcDateTime

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("dead", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_outbox"),
        sa.UniqueConstraint("record_id", name="uq_outbox_record_id"),
    )
    op.create_index("ix_outbox_dead", "outbox", ["dead"])
    op.create_table(
        "drafts",
        sa.Column("visit_id", sa.Uuid(), nullable=False),
        sa.Column("counter", sa.String(64), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("saved_at", UtcDateTime(), nullable=False),
        sa.Column("key_id", sa.String(16), nullable=False),
        sa.Column("nonce", sa.LargeBinary(), nullable=False),
        sa.Column("ciphertext", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("visit_id", name="pk_drafts"),
    )
    op.create_index("ix_drafts_saved_at", "drafts", ["saved_at"])
    op.create_table(
        "local_meta",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_local_meta"),
    )


def downgrade() -> None:
    op.drop_table("local_meta")
    op.drop_index("ix_drafts_saved_at", table_name="drafts")
    op.drop_table("drafts")
    op.drop_index("ix_outbox_dead", table_name="outbox")
    op.drop_table("outbox")
