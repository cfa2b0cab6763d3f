"""Tables of the counter's local store: a SQLite file of its own, never shared.

* ``outbox`` — every visit, print job and audit record is written here first and sent to the main
  database by the sync; a record leaves the outbox only after the main database committed it.
* ``drafts`` — the unfinished visit, AES-GCM encrypted (the only personal data at rest).
* ``local_meta`` — small facts of this counter (where the draft key is kept).

The local store stays on the counter even when the main database is a shared PostgreSQL: drafts hold
personal data, which must not travel, and the outbox must work exactly when the server does not.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import cast

from sqlalchemy import Boolean, Integer, LargeBinary, MetaData, String, Table, Text, Uuid
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


class LocalMeta(LocalBase):
    __tablename__ = "local_meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


def _table(model: type[LocalBase]) -> Table:
    return cast(Table, model.__table__)


OUTBOX = _table(OutboxEntry)
DRAFTS = _table(DraftRow)
LOCAL_META = _table(LocalMeta)
