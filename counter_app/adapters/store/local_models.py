"""Tables of the counter's local store: a SQLite file of its own, never shared.

* ``outbox`` — every visit, print job and audit record is written here first and sent to the main
  database by the sync; a record leaves the outbox only after the main database committed it.
* ``drafts`` — the unfinished visit, AES-GCM encrypted (the only personal data at rest).
* ``local_meta`` — small facts of this counter (where the draft key is kept).
* ``handoff_outbox`` — the hand-off rows of each printed visit for the back office (docs/handoff.md),
  AES-GCM encrypted like drafts until delivered once to the hand-off folder or the shared database; the
  ciphertext is erased on delivery, and whatever is left goes at the drafts' day-end purge.

The local store stays on the counter even when the main database is a shared PostgreSQL: drafts hold
personal data, which must not travel, and the outbox must work exactly when the server does not.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import cast

from sqlalchemy import Boolean, Date, Integer, LargeBinary, MetaData, String, Table, Text, Uuid
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from counter_app.adapters.store.models import NAMING
from counter_app.adapters.store.types import UtcDateTime


class LocalBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class OutboxEntry(LocalBase):
    __tablename__ = "outbox"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    record_id: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    payload: Mapped[str] = mapped_column(Text)  # JSON of a record: no personal data
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    # A record the main database refused for its content (not for being unreachable): kept, not retried.
    dead: Mapped[bool] = mapped_column(Boolean, default=False, index=True)


class DraftRow(LocalBase):
    __tablename__ = "drafts"

    visit_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    counter: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    saved_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
    key_id: Mapped[str] = mapped_column(String(16))
    nonce: Mapped[bytes] = mapped_column(LargeBinary)
    ciphertext: Mapped[bytes] = mapped_column(LargeBinary)


class HandoffOutboxEntry(LocalBase):
    __tablename__ = "handoff_outbox"

    entry_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    visit_id: Mapped[str] = mapped_column(String(40))  # the hand-off visit id (V20251204-…), no personal data
    counter: Mapped[str] = mapped_column(String(64))
    layout_id: Mapped[str] = mapped_column(String(64))
    batch_ids: Mapped[str] = mapped_column(Text)  # space-separated
    row_ids: Mapped[str] = mapped_column(Text)
    file_names: Mapped[str] = mapped_column(Text)  # "/"-separated; names hold ids only
    stopped_rows: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
    local_date: Mapped[dt.date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(16))  # waiting | delivered
    target: Mapped[str] = mapped_column(String(16))  # folder | database
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    delivered_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, default=None)
    key_id: Mapped[str | None] = mapped_column(String(16), default=None)
    nonce: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    ciphertext: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)


class LocalMeta(LocalBase):
    __tablename__ = "local_meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


def _table(model: type[LocalBase]) -> Table:
    return cast(Table, model.__table__)


OUTBOX = _table(OutboxEntry)
DRAFTS = _table(DraftRow)
LOCAL_META = _table(LocalMeta)
HANDOFF_OUTBOX = _table(HandoffOutboxEntry)
