"""Recording visits and audit entries: local outbox first, then the main database.

The counter never waits for the database. :meth:`Recorder.record_visit` and :meth:`Recorder.audit` write
the record to the local outbox (one SQLite commit, durable) and wake the sync. :class:`OutboxSync` sends
queued records to the main database in order, in batches, each batch in one transaction, and removes
them from the outbox only after the commit. If the database cannot be reached, the records stay queued
and the sync tries again later (:class:`BackgroundSync` backs off up to a minute). A record whose commit
succeeded but whose removal did not (power cut in between) is sent again and ignored by the database
(``ON CONFLICT DO NOTHING`` on its UUID): nothing lost, nothing counted twice.

A record the database refuses for its content (not for being unreachable) is set aside as ``dead``
after isolating it from its batch, so one bad record never blocks the queue; ``madoguchi db status``
shows such records and ``madoguchi db sync --retry-dead`` sends them again.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import Engine

from counter_app.adapters.store.engine import is_unavailable, make_engine, redact_url, unavailable
from counter_app.adapters.store.errors import (
    DatabaseUnavailableError,
    LocalWriteError,
    RecordError,
    SchemaError,
    StoreError,
)
from counter_app.adapters.store.local import LocalStore, PendingEntry
from counter_app.adapters.store.migrate import check_schema, upgrade
from counter_app.adapters.store.records import (
    AuditKind,
    AuditRecord,
    DetailValue,
    Record,
    VisitRecord,
    load_record,
)
from counter_app.adapters.store.writer import apply_records

log = logging.getLogger(__name__)

MAX_HELD = 10_000
"""Records held in memory while the data folder cannot be written (a day of a busy counter is a few
hundred)."""


class MainDatabase:
    """The main database: one engine, and the schema made ready once (migrated or checked)."""

    def __init__(self, url: str, *, migrate: bool = True, pool_size: int = 5) -> None:
        self.url = url
        self.display_url = redact_url(url)
        self.migrate = migrate
        self.engine: Engine = make_engine(url, pool_size=pool_size)
        self._ready = False
        self._lock = threading.Lock()

    @property
    def ready(self) -> bool:
        return self._ready

    def ensure_ready(self) -> None:
        """Migrate (or check) the schema on first use; :class:`DatabaseUnavailableError` if unreachable."""
        if self._ready:
            return
        with self._lock:
            if self._ready:
                return
            try:
                if self.migrate:
                    upgrade(self.engine, "main")
                else:
                    check_schema(self.engine, "main")
            except SchemaError:
                raise
            except Exception as exc:
                if is_unavailable(exc):
                    raise unavailable(self.url, exc) from exc
                raise
            self._ready = True

    def dispose(self) -> None:
        self.engine.dispose()


@dataclass(frozen=True, slots=True)
class SyncResult:
    sent: int = 0  # records the database accepted (new or already there)
    dead: int = 0  # records set aside for their content
    remaining: int = 0  # still queued
    # Why the sync stopped early: the database is unreachable, or its schema is not this app's.
    error: DatabaseUnavailableError | SchemaError | None = None

    @property
    def database_available(self) -> bool:
        return self.error is None


@dataclass
class SyncStatus:
    """What the kiosk shows: is the database reachable, how much waits in the outbox."""

    database_available: bool | None = None  # None: not tried yet
    last_error: str | None = None  # technical reason (for the log and `madoguchi db status`)
    problem: StoreError | None = None  # for the clerk: ``clerk_message(status.problem)``
    last_success_at: dt.datetime | None = None
    pending: int = 0
    dead: int = 0


class OutboxSync:
    """Sends the outbox to the main database. One flush at a time per counter (a lock)."""

    def __init__(self, local: LocalStore, database: MainDatabase, batch_size: int = 50) -> None:
        self.local = local
        self.database = database
        self.batch_size = batch_size
        self.status = SyncStatus()
        self._lock = threading.Lock()

    def _send(self, entries: list[PendingEntry]) -> None:
        """Apply ``entries`` in one transaction (raises on any failure; nothing is then committed)."""
        records = [load_record(entry.kind, entry.payload) for entry in entries]
        with self.database.engine.begin() as connection:
            apply_records(connection, records)

    def _isolate(self, entries: list[PendingEntry]) -> tuple[int, int]:
        """After a batch failed for its content: send one by one, set aside the ones refused."""
        sent = dead = 0
        for entry in entries:
            try:
                self._send([entry])
            except Exception as exc:
                if is_unavailable(exc):
                    raise
                log.error("outbox record %s refused by the database: %s", entry.record_id, type(exc).__name__)
                self.local.note_failure([entry.seq], f"{type(exc).__name__}: {exc}"[:500], dead=True)
                dead += 1
            else:
                self.local.remove([entry.seq])
                sent += 1
        return sent, dead

    def flush(self, max_records: int | None = None) -> SyncResult:
        """Send queued records until the outbox is empty, ``max_records`` were sent, or the DB fails."""
        with self._lock:
            sent = dead = 0
            error: DatabaseUnavailableError | SchemaError | None = None
            try:
                while max_records is None or sent + dead < max_records:
                    limit = (
                        self.batch_size
                        if max_records is None
                        else min(self.batch_size, max_records - sent - dead)
                    )
                    entries = self.local.pending(limit)
                    if not entries:
                        break
                    seqs = [entry.seq for entry in entries]
                    try:
                        self.database.ensure_ready()
                        self._send(entries)
                    except DatabaseUnavailableError as exc:
                        self.local.note_failure(seqs, str(exc))
                        raise
                    except (RecordError, ValueError, KeyError, TypeError) as exc:
                        log.debug("outbox batch has an unreadable record: %s", type(exc).__name__)
                        batch_sent, batch_dead = self._isolate(entries)
                        sent, dead = sent + batch_sent, dead + batch_dead
                        continue
                    except SchemaError:
                        raise
                    except Exception as exc:
                        if is_unavailable(exc):
                            self.local.note_failure(seqs, type(exc).__name__)
                            raise unavailable(self.database.url, exc) from exc
                        batch_sent, batch_dead = self._isolate(entries)
                        sent, dead = sent + batch_sent, dead + batch_dead
                        continue
                    self.local.remove(seqs)
                    sent += len(entries)
            except (DatabaseUnavailableError, SchemaError) as exc:
                error = exc
            except Exception as exc:  # unavailable while isolating
                if not is_unavailable(exc):
                    raise
                error = unavailable(self.database.url, exc)
            counts = self.local.counts()
            self._update_status(error, counts.pending, counts.dead)
            return SyncResult(sent, dead, counts.pending, error)

    def _update_status(
        self, error: DatabaseUnavailableError | SchemaError | None, pending: int, dead: int
    ) -> None:
        was = self.status.database_available
        self.status.pending, self.status.dead = pending, dead
        self.status.problem = error
        if error is None:
            self.status.database_available = True
            self.status.last_error = None
            self.status.last_success_at = dt.datetime.now(dt.UTC)
            if was is False:
                log.warning("database %s reachable again", self.database.display_url)
            return
        self.status.database_available = False
        self.status.last_error = error.reason if isinstance(error, DatabaseUnavailableError) else str(error)
        if was is not False:
            log.warning(
                "database %s cannot take records, they stay queued: %s",
                self.database.display_url,
                self.status.last_error,
            )


class BackgroundSync:
    """A thread that flushes the outbox when woken and every ``interval`` seconds, backing off while the
    database is down. No Qt: the kiosk starts it, wakes it after each record and stops it on exit."""

    def __init__(
        self,
        sync: OutboxSync,
        interval: float = 5.0,
        max_interval: float = 60.0,
        on_status: Callable[[SyncStatus], None] | None = None,
        on_tick: Callable[[], None] | None = None,
    ) -> None:
        self.sync = sync
        self.on_tick = on_tick
        self.interval = interval
        self.max_interval = max_interval
        self.on_status = on_status
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._delay = interval

    def start(self) -> None:
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="madoguchi-outbox-sync", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                log.error("outbox sync thread did not stop within %s s", timeout)
            self._thread = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self._delay)
            self._wake.clear()
            if self._stop.is_set():
                break
            if self.on_tick is not None:
                try:
                    self.on_tick()
                except Exception:
                    log.exception("periodic storage task failed")
            try:
                result = self.sync.flush()
            except Exception:  # keep the thread alive: the outbox keeps everything
                log.exception("outbox sync failed")
                self._delay = min(self._delay * 2, self.max_interval)
                continue
            if result.error is None:
                self._delay = self.interval
            else:
                self._delay = min(max(self._delay, self.interval) * 2, self.max_interval)
            if self.on_status is not None:
                self.on_status(self.sync.status)


@dataclass
class Recorder:
    """What the kiosk calls: ``record_visit`` when a visit ends, ``audit`` for each audited event."""

    local: LocalStore
    counter: str
    zone: dt.tzinfo
    app_version: str = ""
    on_queued: Callable[[], None] | None = None
    _clock: Callable[[], dt.datetime] = field(default=lambda: dt.datetime.now(dt.UTC), repr=False)
    _held: list[Record] = field(default_factory=list, repr=False)
    _held_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _last_problem: str = field(default="full", repr=False)

    def now(self) -> dt.datetime:
        return self._clock().astimezone(self.zone)

    @property
    def held(self) -> int:
        """Records kept in memory because the data folder could not be written (full, read-only)."""
        with self._held_lock:
            return len(self._held)

    def _enqueue(self, record: Record) -> bool:
        """Queue ``record`` after any held back; when the disk refuses, hold it in memory (up to
        :data:`MAX_HELD`) and raise :class:`LocalWriteError` so the clerk is told at once."""
        with self._held_lock:
            self._flush_held_locked()
            if self._held:  # still failing: keep the order, this one waits behind them
                self._hold(record)
                raise LocalWriteError(self._last_problem)
            try:
                return self.local.enqueue(record)
            except LocalWriteError as exc:
                self._last_problem = exc.reason
                self._hold(record)
                raise

    def _hold(self, record: Record) -> None:
        if len(self._held) < MAX_HELD:
            self._held.append(record)
            log.warning("record %s held in memory: the data folder cannot be written", record.record_id)
        else:
            log.error("record %s lost: %d records already held in memory", record.record_id, MAX_HELD)

    def _flush_held_locked(self) -> int:
        written = 0
        while self._held:
            try:
                self.local.enqueue(self._held[0])
            except LocalWriteError as exc:
                self._last_problem = exc.reason
                break
            self._held.pop(0)
            written += 1
        if written:
            log.info("%d held record(s) written to the outbox", written)
        return written

    def flush_held(self) -> int:
        """Write the records held in memory, in order, as far as the disk allows (the sync thread calls
        this on every tick: a record is written as soon as space returns). How many were written."""
        with self._held_lock:
            written = self._flush_held_locked()
        if written:
            self._notify()
        return written

    def record_visit(self, record: VisitRecord) -> bool:
        """Queue the finished visit (its times put in the counter's time zone); False if queued before.

        Record a visit once, when it really ends: its UUID is the idempotency key, so a second record
        with the same UUID is ignored wherever it arrives.
        """
        local_record = record.in_zone(self.zone)
        if not local_record.app_version and self.app_version:
            from dataclasses import replace

            local_record = replace(local_record, app_version=self.app_version)
        queued = self._enqueue(local_record)
        self._notify()
        return queued

    def audit(
        self,
        kind: AuditKind,
        *,
        visit_id: uuid.UUID | None = None,
        clerk_id: str = "",
        detail: Mapping[str, DetailValue] | None = None,
        at: dt.datetime | None = None,
    ) -> AuditRecord:
        """Queue one audit entry (detail: technical facts only — checked)."""
        record = AuditRecord(
            event_id=uuid.uuid4(),
            at=(at or self.now()).astimezone(self.zone),
            counter=self.counter,
            kind=kind,
            clerk_id=clerk_id,
            visit_id=visit_id,
            detail=dict(detail or {}),
        )
        self._enqueue(record)
        self._notify()
        return record

    def _notify(self) -> None:
        if self.on_queued is not None:
            self.on_queued()
