"""The hand-off outbox: each printed visit's rows reach the back office once, and leave no copy here.

When the kiosk prints a visit, :meth:`HandoffOutbox.enqueue` stores the visit's hand-off files for each
layout (docs/handoff.md) in the counter's local store, AES-256-GCM encrypted with a key derived from the
draft key (``subkey("handoff-outbox")``), with only ids in clear. :meth:`HandoffOutbox.deliver` (from
the storage's background thread, or ``madoguchi handoff deliver``) sends every waiting entry to its
target and then, in one local transaction, marks it delivered and erases its ciphertext (SQLite's
``secure_delete`` overwrites it; the WAL is checkpointed), so nothing readable stays on the counter.

Exactly once:

* :class:`DatabaseTarget` (the shared PostgreSQL) inserts each file with an id derived from the entry
  and the file name, ``ON CONFLICT DO NOTHING``, in one transaction: a counter that crashed after the
  commit and before its local mark sends again and nothing is written twice.
* :class:`FolderTarget` writes each file under its final name through a temporary file and a hard link,
  which fails when the name exists: a file already there with the same bytes is the earlier delivery;
  with other bytes it is an error, never an overwrite. (A crash between the link and the local mark,
  with the receiver's import taking the file in between, would deliver it again: the rows carry their
  row ids, so the receiver can recognise them.)

A database that is down, or a folder that cannot be written, leaves the entry waiting (attempts and the
error's kind are kept); it is tried again at the next tick. Entries still waiting at the drafts'
day-end purge are erased like drafts (the signed paper is the back office's copy).
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import errno
import json
import logging
import os
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Engine, delete, func, select, update

from counter_app.adapters.drafts import DraftKeys
from counter_app.adapters.store.engine import dialect_insert
from counter_app.adapters.store.local import LocalStore
from counter_app.adapters.store.local_models import HANDOFF_OUTBOX
from counter_app.adapters.store.models import HANDOFF_FILES

log = logging.getLogger(__name__)

WAITING = "waiting"
DELIVERED = "delivered"
IMPORTED = "imported"
_AAD_PREFIX = b"madoguchi-handoff-v1|"
_NAMESPACE = uuid.UUID("6d1c3b4e-6a0f-4f57-9a5e-68616e646f66")


class HandoffDeliveryError(Exception):
    """A delivery that must not be retried blindly (a different file of the same name in the folder)."""


@dataclass(frozen=True, slots=True)
class HandoffFile:
    kind: str
    name: str
    data: bytes = field(repr=False)


@dataclass(frozen=True)
class HandoffPayload:
    """One visit's files for one layout, and the ids that name them (no personal data in the ids)."""

    visit_id: str
    layout_id: str
    files: tuple[HandoffFile, ...]
    batch_ids: tuple[str, ...]
    row_ids: tuple[str, ...]
    stopped_rows: int = 0

    def __repr__(self) -> str:
        return f"HandoffPayload({self.visit_id}, {self.layout_id}, files={len(self.files)}, data=<redacted>)"


@dataclass(frozen=True, slots=True)
class HandoffStatus:
    entry_id: uuid.UUID
    visit_id: str
    layout_id: str
    batch_ids: tuple[str, ...]
    row_ids: tuple[str, ...]
    file_names: tuple[str, ...]
    stopped_rows: int
    created_at: dt.datetime
    state: str  # waiting | delivered | imported
    target: str
    attempts: int
    last_error: str | None
    delivered_at: dt.datetime | None


class HandoffTarget(Protocol):
    name: str

    def deliver(
        self, entry_id: uuid.UUID, counter: str, payload: HandoffPayload, local_date: dt.date
    ) -> None:
        """Deliver every file of ``payload``; delivering the same entry again must change nothing."""

    def imported(self, statuses: Sequence[HandoffStatus]) -> set[uuid.UUID]:
        """The entries (delivered ones) that the back office has imported."""

    def reopen(self, entry_id: uuid.UUID) -> bool:
        """Offer a delivered entry to the back office's import again; False when the target cannot."""


_NO_HARD_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS, errno.EXDEV, errno.EMLINK}


def write_new_file(path: Path, data: bytes, suffix: str = ".tmp") -> None:
    """Write ``data`` to a new file ``path`` (owner-only) so that a reader never sees it half-written:
    a temporary file in the same folder, fsynced, then linked to its name — which fails when the name
    exists (:class:`FileExistsError`): never an overwrite. On a share without hard links (SMB) the
    temporary file is renamed instead, after checking that the name is free."""
    temporary = path.with_name(f".{path.name}{suffix}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            raise
        except OSError as exc:
            if exc.errno not in _NO_HARD_LINKS and os.name != "nt":
                raise
            if path.exists():
                raise FileExistsError(errno.EEXIST, "exists", str(path)) from None
            os.rename(temporary, path)  # Windows: fails when the name appeared meanwhile
    finally:
        temporary.unlink(missing_ok=True)


def file_id(entry_id: uuid.UUID, name: str) -> uuid.UUID:
    return uuid.uuid5(_NAMESPACE, f"{entry_id}/{name}")


class FolderTarget:
    name = "folder"

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def deliver(
        self, entry_id: uuid.UUID, counter: str, payload: HandoffPayload, local_date: dt.date
    ) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        for item in payload.files:
            target = self.folder / item.name
            if target.exists():
                if target.read_bytes() == item.data:
                    continue  # delivered before the local mark: nothing to do
                raise HandoffDeliveryError(f"another file named {item.name} is in the hand-off folder")
            write_new_file(target, item.data, f".{entry_id.hex[:8]}.tmp")

    def reopen(self, entry_id: uuid.UUID) -> bool:
        return False  # the files left the counter on delivery: nothing to write again

    def imported(self, statuses: Sequence[HandoffStatus]) -> set[uuid.UUID]:
        """Delivered entries whose files the receiver's import has taken out of the folder."""
        return {
            s.entry_id
            for s in statuses
            if s.state == DELIVERED and not any((self.folder / n).exists() for n in s.file_names)
        }


class DatabaseTarget:
    name = "database"

    def __init__(self, engine: Callable[[], Engine]) -> None:
        self._engine = engine

    def deliver(
        self, entry_id: uuid.UUID, counter: str, payload: HandoffPayload, local_date: dt.date
    ) -> None:
        engine = self._engine()
        now = dt.datetime.now(dt.UTC)
        with engine.begin() as connection:
            for item in payload.files:
                statement = (
                    dialect_insert(connection, HANDOFF_FILES)
                    .values(
                        id=file_id(entry_id, item.name),
                        entry_id=entry_id,
                        counter=counter,
                        layout_id=payload.layout_id,
                        kind=item.kind,
                        file_name=item.name,
                        batch_ids=" ".join(payload.batch_ids),
                        content=item.data,
                        local_date=local_date,
                        delivered_at=now,
                        imported_at=None,
                    )
                    .on_conflict_do_nothing(index_elements=["id"])
                )
                connection.execute(statement)

    def reopen(self, entry_id: uuid.UUID) -> bool:
        """Clear ``imported_at`` of the entry's files: the back office's import takes them again."""
        with self._engine().begin() as connection:
            changed = connection.execute(
                update(HANDOFF_FILES).where(HANDOFF_FILES.c.entry_id == entry_id).values(imported_at=None)
            ).rowcount
        return changed > 0

    def imported(self, statuses: Sequence[HandoffStatus]) -> set[uuid.UUID]:
        ids = [s.entry_id for s in statuses if s.state == DELIVERED]
        if not ids:
            return set()
        table = HANDOFF_FILES
        with self._engine().connect() as connection:
            rows = connection.execute(
                select(table.c.entry_id)
                .where(table.c.entry_id.in_(ids))
                .group_by(table.c.entry_id)
                .having(func.count() == func.count(table.c.imported_at))
            )
            return {row[0] for row in rows}


def _seal_plain(payload: HandoffPayload) -> bytes:
    return json.dumps(
        {
            "visit_id": payload.visit_id,
            "layout_id": payload.layout_id,
            "files": [
                {"kind": f.kind, "name": f.name, "data": base64.b64encode(f.data).decode("ascii")}
                for f in payload.files
            ],
            "batch_ids": list(payload.batch_ids),
            "row_ids": list(payload.row_ids),
            "stopped_rows": payload.stopped_rows,
        },
        separators=(",", ":"),
    ).encode("utf-8")


def _unseal_plain(plain: bytes) -> HandoffPayload:
    data = json.loads(plain)
    return HandoffPayload(
        data["visit_id"],
        data["layout_id"],
        tuple(HandoffFile(f["kind"], f["name"], base64.b64decode(f["data"])) for f in data["files"]),
        tuple(data["batch_ids"]),
        tuple(data["row_ids"]),
        int(data["stopped_rows"]),
    )


@dataclass(frozen=True, slots=True)
class DeliveryResult:
    delivered: int
    waiting: int
    error: str | None = None


class HandoffOutbox:
    def __init__(
        self,
        local: LocalStore,
        keys: DraftKeys,
        target: HandoffTarget,
        clock: Callable[[], dt.datetime] | None = None,
    ) -> None:
        self.local = local
        self.keys = keys
        self.counter = keys.counter
        self.target = target
        self._clock = clock or (lambda: dt.datetime.now(dt.UTC))

    def _key(self) -> bytes:
        return self.keys.subkey("handoff-outbox")

    def _aad(self, entry_id: uuid.UUID) -> bytes:
        return _AAD_PREFIX + entry_id.bytes + b"|" + self.counter.encode("utf-8")

    def enqueue(self, payload: HandoffPayload, local_date: dt.date) -> uuid.UUID:
        """Store ``payload`` sealed, durably, before any delivery is tried; its entry id."""
        entry_id = uuid.uuid4()
        nonce = os.urandom(12)
        ciphertext = AESGCM(self._key()).encrypt(nonce, _seal_plain(payload), self._aad(entry_id))
        with self.local.engine.begin() as connection:
            connection.execute(
                HANDOFF_OUTBOX.insert().values(
                    entry_id=entry_id,
                    visit_id=payload.visit_id,
                    counter=self.counter,
                    layout_id=payload.layout_id,
                    batch_ids=" ".join(payload.batch_ids),
                    row_ids=" ".join(payload.row_ids),
                    file_names="/".join(f.name for f in payload.files),
                    stopped_rows=payload.stopped_rows,
                    created_at=self._clock(),
                    local_date=local_date,
                    state=WAITING,
                    target=self.target.name,
                    attempts=0,
                    key_id=self.keys.key().key_id,
                    nonce=nonce,
                    ciphertext=ciphertext,
                )
            )
        return entry_id

    def deliver(self) -> DeliveryResult:
        """Deliver every waiting entry, oldest first; stops at the first failure (the target is down)."""
        table = HANDOFF_OUTBOX
        with self.local.engine.connect() as connection:
            rows = connection.execute(
                select(table.c.entry_id, table.c.nonce, table.c.ciphertext, table.c.local_date)
                .where(table.c.state == WAITING, table.c.ciphertext.is_not(None))
                .order_by(table.c.created_at)
            ).all()
        delivered = 0
        for entry_id, nonce, ciphertext, local_date in rows:
            try:
                payload = _unseal_plain(AESGCM(self._key()).decrypt(nonce, ciphertext, self._aad(entry_id)))
            except InvalidTag:
                self._note_failure(entry_id, "InvalidTag")
                log.warning("hand-off entry %s cannot be decrypted with this counter's key", entry_id)
                continue
            try:
                self.target.deliver(entry_id, self.counter, payload, local_date)
            except Exception as exc:  # down database, full disk …: keep waiting, try at the next tick
                self._note_failure(entry_id, type(exc).__name__)
                log.warning("hand-off entry %s not delivered: %s", entry_id, type(exc).__name__)
                return DeliveryResult(delivered, len(rows) - delivered, type(exc).__name__)
            with self.local.engine.begin() as connection:
                connection.execute(
                    update(table)
                    .where(table.c.entry_id == entry_id)
                    .values(
                        state=DELIVERED,
                        delivered_at=self._clock(),
                        attempts=table.c.attempts + 1,
                        last_error=None,
                        nonce=None,
                        ciphertext=None,
                        key_id=None,
                    )
                )
            delivered += 1
        if delivered:
            self._checkpoint()
        return DeliveryResult(delivered, len(rows) - delivered)

    def _note_failure(self, entry_id: uuid.UUID, error: str) -> None:
        table = HANDOFF_OUTBOX
        with self.local.engine.begin() as connection:
            connection.execute(
                update(table)
                .where(table.c.entry_id == entry_id)
                .values(attempts=table.c.attempts + 1, last_error=error[:200])
            )

    def statuses(self, local_date: dt.date | None = None, check_imported: bool = True) -> list[HandoffStatus]:
        """The entries (of ``local_date``, or all), oldest first; delivered ones the receiver took are
        reported as imported when ``check_imported`` (asks the target; failures leave them delivered)."""
        table = HANDOFF_OUTBOX
        query = select(table).order_by(table.c.created_at)
        if local_date is not None:
            query = query.where(table.c.local_date == local_date)
        with self.local.engine.connect() as connection:
            rows = connection.execute(query).all()
        statuses = [
            HandoffStatus(
                r.entry_id,
                r.visit_id,
                r.layout_id,
                tuple(r.batch_ids.split()),
                tuple(r.row_ids.split()),
                tuple(n for n in r.file_names.split("/") if n),
                r.stopped_rows,
                r.created_at,
                r.state,
                r.target,
                r.attempts,
                r.last_error,
                r.delivered_at,
            )
            for r in rows
        ]
        if check_imported:
            try:
                taken = self.target.imported(statuses)
            except Exception:  # the supervisor still sees waiting/delivered
                log.warning("could not ask the hand-off target what was imported", exc_info=True)
                taken = set()
            statuses = [
                dataclasses.replace(s, state=IMPORTED) if s.entry_id in taken else s for s in statuses
            ]
        return statuses

    def redeliver(self, batch_id: str) -> str:
        """Deliver the batch again: a waiting one now, a delivered one offered to the import again (the
        database target). What happened, in Japanese, for the supervisor."""
        matching = [s for s in self.statuses(check_imported=False) if batch_id in s.batch_ids]
        if not matching:
            return f"一括番号「{batch_id}」の引き渡しはこの窓口にありません(日付が変わると消去されます)"
        if any(s.state == WAITING for s in matching):
            result = self.deliver()
            if result.error is not None:
                return f"送り先に届けられませんでした({result.error})。あとで自動でもう一度送ります"
            return f"一括番号「{batch_id}」を送りました"
        reopened = [self.target.reopen(s.entry_id) for s in matching]
        if all(reopened):
            return f"一括番号「{batch_id}」を、基幹システムがもう一度取り込めるようにしました"
        return (
            f"一括番号「{batch_id}」はフォルダーに送り済みで、この窓口にはデータが残っていません"
            "(個人情報を残さないため)。紙の届書から入力してください"
        )

    def waiting(self) -> int:
        table = HANDOFF_OUTBOX
        with self.local.engine.connect() as connection:
            return int(connection.execute(select(func.count()).where(table.c.state == WAITING)).scalar_one())

    def purge(self, before: dt.datetime) -> int:
        """Erase every entry created before ``before`` (the drafts' day-end rule); how many were still
        waiting (their paper is the back office's copy)."""
        table = HANDOFF_OUTBOX
        with self.local.engine.begin() as connection:
            lost = int(
                connection.execute(
                    select(func.count()).where(table.c.created_at < before, table.c.state == WAITING)
                ).scalar_one()
            )
            removed = connection.execute(delete(table).where(table.c.created_at < before)).rowcount
        if removed:
            self._checkpoint()
        return lost

    def _checkpoint(self) -> None:
        raw = self.local.engine.raw_connection()
        try:
            raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # type: ignore[union-attr]
        finally:
            raw.close()
