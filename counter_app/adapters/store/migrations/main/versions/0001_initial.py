"""The first tables: visits, their procedures and print jobs, the audit log, supervisors, stat counts.

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
        "visits",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("counter", sa.String(64), nullable=False),
        sa.Column("clerk_id", sa.String(64), nullable=False),
        sa.Column("life_event", sa.String(64), nullable=False),
        sa.Column("identified_by", sa.String(16), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("started_at", UtcDateTime(), nullable=False),
        sa.Column("finished_at", UtcDateTime(), nullable=False),
        sa.Column("duration_s", sa.Integer(), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("local_hour", sa.SmallInteger(), nullable=False),
        sa.Column("app_version", sa.String(32), nullable=False),
        sa.Column("recorded_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_visits"),
    )
    op.create_index("ix_visits_local_date_counter", "visits", ["local_date", "counter"])

    op.create_table(
        "visit_procedures",
        sa.Column("visit_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.SmallInteger(), nullable=False),
        sa.Column("procedure_id", sa.String(64), nullable=False),
        sa.Column("chosen", sa.Boolean(), nullable=False),
        sa.Column("deselect_reason", sa.String(64), nullable=True),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visits.id"], name="fk_visit_procedures_visit_id_visits", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("visit_id", "position", name="pk_visit_procedures"),
    )

    op.create_table(
        "print_jobs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("visit_id", sa.Uuid(), nullable=False),
        sa.Column("form_id", sa.String(64), nullable=False),
        sa.Column("procedure_id", sa.String(64), nullable=True),
        sa.Column("pages", sa.SmallInteger(), nullable=False),
        sa.Column("copies", sa.SmallInteger(), nullable=False),
        sa.Column("prefilled_chars", sa.Integer(), nullable=False),
        sa.Column("reprint", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("printer", sa.String(128), nullable=False),
        sa.Column("printed_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visits.id"], name="fk_print_jobs_visit_id_visits", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_print_jobs"),
    )
    op.create_index("ix_print_jobs_visit_id", "print_jobs", ["visit_id"])

    op.create_table(
        "audit_events",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("counter", sa.String(64), nullable=False),
        sa.Column("clerk_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("visit_id", sa.Uuid(), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_events"),
    )
    op.create_index("ix_audit_events_at", "audit_events", ["at"])
    op.create_index("ix_audit_events_kind_at", "audit_events", ["kind", "at"])
    op.create_index("ix_audit_events_visit_id", "audit_events", ["visit_id"])

    op.create_table(
        "supervisors",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("login", sa.String(64), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("locked_until", UtcDateTime(), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("password_changed_at", UtcDateTime(), nullable=False),
        sa.Column("last_sign_in_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_supervisors"),
        sa.UniqueConstraint("login", name="uq_supervisors_login"),
    )

    op.create_table(
        "stat_counts",
        sa.Column("grain", sa.String(1), nullable=False),
        sa.Column("counter", sa.String(64), nullable=False),
        sa.Column("period", sa.Date(), nullable=False),
        sa.Column("metric", sa.String(16), nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("key2", sa.String(64), nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.Column("total", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("grain", "counter", "period", "metric", "key", "key2", name="pk_stat_counts"),
    )
    op.create_index(
        "ix_stat_counts_metric_grain_counter_period", "stat_counts", ["metric", "grain", "counter", "period"]
    )


def downgrade() -> None:
    op.drop_index("ix_stat_counts_metric_grain_counter_period", table_name="stat_counts")
    op.drop_table("stat_counts")
    op.drop_table("supervisors")
    op.drop_index("ix_audit_events_visit_id", table_name="audit_events")
    op.drop_index("ix_audit_events_kind_at", table_name="audit_events")
    op.drop_index("ix_audit_events_at", table_name="audit_events")
    op.drop_table("audit_events")
    op.drop_index("ix_print_jobs_visit_id", table_name="print_jobs")
    op.drop_table("print_jobs")
    op.drop_table("visit_procedures")
    op.drop_index("ix_visits_local_date_counter", table_name="visits")
    op.drop_table("visits")
