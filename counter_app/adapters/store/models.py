"""Tables of the main database (SQLite per counter, or PostgreSQL shared by the office's counters).

No personal data lives here: no names, addresses, birth dates, PINs or 個人番号. A visit is a UUID made
at the counter, the catalog ids of its life event and procedures, times, and counts. The only personal
data at rest is the encrypted draft, which lives in the counter's local store (:mod:`local_models`).
The one exception is ``handoff_files``: the hand-off CSV a ward chose to receive through the shared
PostgreSQL (docs/handoff.md) — the back office's data, written there once and empty otherwise.

``stat_counts`` holds pre-aggregated counts per day and per month (see
:mod:`counter_app.adapters.store.rollups`); it is written in the same transaction as the visit it counts
and can be rebuilt from the raw tables.

Persistence style: SQLAlchemy Core. The classes below are declarative only to state each column and its
type once; every read and write goes through the ``Table`` objects at the end of the module (``VISITS``
…) with Core statements, never through an ORM session, so the classes carry no relationships.
``tests/unit/store/test_migrations.py`` checks that the Alembic migrations build exactly these tables.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, cast

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    Uuid,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from counter_app.adapters.store.types import UtcDateTime

ID_LENGTH = 64  # catalog ids, counter names, clerk ids, reason codes

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Visit(Base):
    """One visit at one counter, recorded once when it ends (idempotent by its UUID)."""

    __tablename__ = "visits"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    counter: Mapped[str] = mapped_column(String(ID_LENGTH))
    clerk_id: Mapped[str] = mapped_column(String(ID_LENGTH), default="")
    life_event: Mapped[str] = mapped_column(String(ID_LENGTH))
    identified_by: Mapped[str] = mapped_column(String(16))
    outcome: Mapped[str] = mapped_column(String(16))
    started_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    finished_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    duration_s: Mapped[int] = mapped_column(Integer)
    local_date: Mapped[dt.date] = mapped_column(Date)  # the counter's calendar day of started_at
    local_hour: Mapped[int] = mapped_column(SmallInteger)  # the counter's hour of started_at
    app_version: Mapped[str] = mapped_column(String(32), default="")
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)

    __table_args__ = (Index(None, "local_date", "counter"),)


class VisitProcedure(Base):
    """A procedure the app listed for a visit; ``chosen`` false means the clerk deselected it."""

    __tablename__ = "visit_procedures"

    visit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    procedure_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    chosen: Mapped[bool] = mapped_column(Boolean)
    deselect_reason: Mapped[str | None] = mapped_column(String(ID_LENGTH), default=None)


class PrintJob(Base):
    """A form printed (or attempted) during a visit. ``prefilled_chars``: characters the app pre-printed."""

    __tablename__ = "print_jobs"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    visit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"), index=True)
    form_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    procedure_id: Mapped[str | None] = mapped_column(String(ID_LENGTH), default=None)
    pages: Mapped[int] = mapped_column(SmallInteger)
    copies: Mapped[int] = mapped_column(SmallInteger)
    prefilled_chars: Mapped[int] = mapped_column(Integer)
    reprint: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[str] = mapped_column(String(16))
    printer: Mapped[str] = mapped_column(String(128))
    printed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class AuditEvent(Base):
    """Who did what at which counter: card read, PIN refused, print, reprint, settings, sign-in …

    ``detail`` holds short technical facts only (tries left, form id, setting name); the record layer
    refuses keys and values that look like personal data.
    """

    __tablename__ = "audit_events"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
    counter: Mapped[str] = mapped_column(String(ID_LENGTH))
    clerk_id: Mapped[str] = mapped_column(String(ID_LENGTH), default="")
    kind: Mapped[str] = mapped_column(String(32))
    # No foreign key: audit events of a visit arrive before the visit itself is recorded.
    visit_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None, index=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # When the entry reached this database: the day it is sealed in (``audit_chain``).
    received_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, index=True, default=None)

    __table_args__ = (Index(None, "kind", "at"),)


class AuditDigest(Base):
    """One sealed day of the audit log: SHA-256 over the previous day's digest and the day's entries
    (by ``received_at`` in the office's time zone). Kept apart from the entries it seals."""

    __tablename__ = "audit_digests"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    digest: Mapped[str] = mapped_column(String(64))
    previous: Mapped[str] = mapped_column(String(64))
    row_count: Mapped[int] = mapped_column(Integer)
    format: Mapped[str] = mapped_column(String(32))
    sealed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class Supervisor(Base):
    """A supervisor account (shared by all counters of the office when the database is shared)."""

    __tablename__ = "supervisors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    login: Mapped[str] = mapped_column(String(ID_LENGTH), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, default=None)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    password_changed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    last_sign_in_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, default=None)


class StatCount(Base):
    """Pre-aggregated counts: one row per (grain, metric, period, counter, key, key2).

    ``grain`` is ``D`` (``period`` = the day) or ``M`` (``period`` = the first day of the month).
    Metrics and their keys are listed in :class:`counter_app.adapters.store.rollups.Metric`.
    """

    __tablename__ = "stat_counts"

    # Primary key order serves the report query: one grain, one counter (or "*"), a period range.
    grain: Mapped[str] = mapped_column(String(1), primary_key=True)
    counter: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    period: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    metric: Mapped[str] = mapped_column(String(16), primary_key=True)
    key: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    key2: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    n: Mapped[int] = mapped_column(BigInteger)
    total: Mapped[int] = mapped_column(BigInteger)

    # One metric over a period range (visits per day, visits per counter).
    __table_args__ = (Index(None, "metric", "grain", "counter", "period"),)


class HandoffFile(Base):
    """One hand-off file of one visit for one layout and kind, delivered by a counter's outbox
    (docs/handoff.md). Written once (its id is derived from the outbox entry and the kind); the back
    office sets ``imported_at`` when its import has taken the file."""

    __tablename__ = "handoff_files"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    entry_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    counter: Mapped[str] = mapped_column(String(ID_LENGTH))
    layout_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    kind: Mapped[str] = mapped_column(String(32))
    file_name: Mapped[str] = mapped_column(String(255))
    batch_ids: Mapped[str] = mapped_column(Text)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    local_date: Mapped[dt.date] = mapped_column(Date, index=True)
    delivered_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    imported_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, default=None)


def _table(model: type[Base]) -> Table:
    return cast(Table, model.__table__)


# The tables as Core objects (typed), for bulk and upsert statements.
VISITS = _table(Visit)
VISIT_PROCEDURES = _table(VisitProcedure)
PRINT_JOBS = _table(PrintJob)
AUDIT_EVENTS = _table(AuditEvent)
AUDIT_DIGESTS = _table(AuditDigest)
SUPERVISORS = _table(Supervisor)
STAT_COUNTS = _table(StatCount)
HANDOFF_FILES = _table(HandoffFile)
