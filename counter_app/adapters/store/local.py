"""The counter's local store: one SQLite file with the outbox, the encrypted drafts and local facts."""

from __future__ import annotations

import datetime as dt
import errno
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, delete, func, select, update

from counter_app.adapters.store.engine import make_engine
from counter_app.adapters.store.errors import LocalWriteError
from counter_app.adapters.store.local_models import LOCAL_META, OUTBOX
from counter_app.adapters.store.migrate import upgrade
from counter_app.adapters.store.records import Record, dump_record, record_kind

_SQLITE_READONLY, _SQLITE_IOERR, _SQLITE_FULL, _SQLITE_CANTOPEN = 8, 10, 13, 14


def _folder_state(folder: Path | None) -> str:
    """``read_only`` or ``full`` when the folder's file system says so, else ``io``."""
    if folder is None:
        return "io"
    try:
        stats = os.statvfs(folder)
    except (OSError, AttributeError):  # AttributeError: no statvfs on Windows
        return "io"
    if stats.f_flag & os.ST_RDONLY:
        return "read_only"
    if stats.f_bavail == 0:
        return "full"
    return "io"


def write_problem(error: BaseException, folder: Path | None = None) -> LocalWriteError | None:
    """What a failed local write means for the clerk: the disk is full, read-only, or failing; None for
    any other error (a bug, a locked file …). SQLite reports a read-only or full file system sometimes
    as an I/O or open error: ``folder``'s file system then tells which."""
    original = getattr(error, "orig", None) or error
    code = getattr(original, "sqlite_errorcode", None)
    if isinstance(code, int):
        primary = code & 0xFF
        if primary == _SQLITE_FULL:
            return LocalWriteError("full")
        if primary == _SQLITE_READONLY:
            return LocalWriteError("read_only")
        if primary in (_SQLITE_IOERR, _SQLITE_CANTOPEN):
            return LocalWriteError(_folder_state(folder))
        return None
    if isinstance(original, OSError):
        if original.errno in (errno.ENOSPC, errno.EDQUOT):
            return LocalWriteError("full")
        if original.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return LocalWriteError("read_only")
        if original.errno == errno.EIO:
            return LocalWriteError(_folder_state(folder))
    return None


@contextmanager
def local_writes(folder: Path | None = None) -> Iterator[None]:
    """Turn a full, read-only or failing disk into :class:`LocalWriteError` (other errors pass)."""
    try:
        yield
    except LocalWriteError:
        raise
    except Exception as exc:
        problem = write_problem(exc, folder)
        if problem is None:
            raise
        raise problem from exc


@dataclass(frozen=True, slots=True)
class PendingEntry:
    seq: int
    record_id: uuid.UUID
    kind: str
    payload: str
    attempts: int


@dataclass(frozen=True, slots=True)
class OutboxCounts:
    pending: int
    dead: int
    oldest_pending: dt.datetime | None


class LocalStore:
    """Opens (and migrates) the local SQLite file. Thread-safe: every call is its own transaction."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.engine: Engine = make_engine(f"sqlite:///{path}")
        upgrade(self.engine, "local")

    def close(self) -> None:
        self.engine.dispose()

    # --- outbox -------------------------------------------------------------------------------
    def enqueue(self, record: Record, now: dt.datetime | None = None) -> bool:
        """Queue ``record`` durably; False when a record with the same UUID is already queued."""
        from sqlalchemy.dialects.sqlite import insert

        statement = (
            insert(OUTBOX)
            .values(
                record_id=record.record_id,
                kind=record_kind(record),
                payload=dump_record(record),
                created_at=now or dt.datetime.now(dt.UTC),
                attempts=0,
                dead=False,
            )
            .on_conflict_do_nothing(index_elements=["record_id"])
        )
        with local_writes(self.path.parent), self.engine.begin() as connection:
            return connection.execute(statement).rowcount == 1

    def pending(self, limit: int) -> list[PendingEntry]:
        table = OUTBOX
        query = (
            select(table.c.seq, table.c.record_id, table.c.kind, table.c.payload, table.c.attempts)
            .where(table.c.dead.is_(False))
            .order_by(table.c.seq)
            .limit(limit)
        )
        with self.engine.connect() as connection:
            return [PendingEntry(*row) for row in connection.execute(query)]

    def remove(self, seqs: list[int]) -> None:
        if not seqs:
            return
        with self.engine.begin() as connection:
            connection.execute(delete(OUTBOX).where(OUTBOX.c.seq.in_(seqs)))

    def note_failure(self, seqs: list[int], error: str, *, dead: bool = False) -> None:
        if not seqs:
            return
        table = OUTBOX
        with self.engine.begin() as connection:
            connection.execute(
                update(table)
                .where(table.c.seq.in_(seqs))
                .values(attempts=table.c.attempts + 1, last_error=error[:500], dead=dead)
            )

    def requeue_dead(self) -> int:
        """Give records refused for their content another try (after an app update fixed the cause)."""
        table = OUTBOX
        with self.engine.begin() as connection:
            return connection.execute(update(table).where(table.c.dead.is_(True)).values(dead=False)).rowcount

    def counts(self) -> OutboxCounts:
        table = OUTBOX
        with self.engine.connect() as connection:
            pending, oldest = connection.execute(
                select(func.count(), func.min(table.c.created_at)).where(table.c.dead.is_(False))
            ).one()
            dead = connection.execute(select(func.count()).where(table.c.dead.is_(True))).scalar_one()
        return OutboxCounts(int(pending), int(dead), oldest)

    # --- small facts --------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        with self.engine.connect() as connection:
            value: str | None = connection.execute(
                select(LOCAL_META.c.value).where(LOCAL_META.c.key == key)
            ).scalar_one_or_none()
        return value

    def set_meta(self, key: str, value: str) -> None:
        from sqlalchemy.dialects.sqlite import insert

        statement = insert(LOCAL_META).values(key=key, value=value)
        statement = statement.on_conflict_do_update(index_elements=["key"], set_={"value": value})
        with self.engine.begin() as connection:
            connection.execute(statement)
