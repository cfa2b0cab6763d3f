"""Tamper-evident audit log: when each audit entry reached the database, and the daily digests.

``audit_events.received_at`` (UTC) decides the day an entry is sealed in, so an entry a counter sends
days late (its outbox was offline) lands in an open day instead of breaking a sealed one. Existing rows
get their event time. ``audit_digests`` holds one hash-chained digest per day (see
``counter_app.adapters.store.audit_chain``), apart from the entries it seals.

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
    op.add_column("audit_events", sa.Column("received_at", UtcDateTime(), nullable=True))
    # Left nullable (SQLite cannot add a NOT NULL column without a table copy); every row has it: the
    # old ones from here, new ones from the writer. A row whose value is removed leaves its sealed day,
    # which the day's digest then reports.
    op.execute("UPDATE audit_events SET received_at = at")
    op.create_index("ix_audit_events_received_at", "audit_events", ["received_at"])
    op.create_table(
        "audit_digests",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("previous", sa.String(64), nullable=False),
        sa.Column("row_count", sa.Integer(), nullable=False),
        sa.Column("format", sa.String(32), nullable=False),
        sa.Column("sealed_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("day", name="pk_audit_digests"),
    )


def downgrade() -> None:
    op.drop_table("audit_digests")
    op.drop_index("ix_audit_events_received_at", table_name="audit_events")
    with op.batch_alter_table("audit_events") as batch:
        batch.drop_column("received_at")
