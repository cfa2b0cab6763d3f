"""Everything the kiosk needs from storage, wired from the settings: :class:`CounterStorage`.

::

    storage = CounterStorage.open(load_settings())
    storage.start()                      # migrate (or note the DB is down), purge old drafts, start sync
    storage.drafts.save_draft(visit_id, {...})          # after every change of the visit
    storage.recorder.record_visit(VisitRecord(...))     # when the visit ends
    storage.drafts.delete_draft(visit_id)
    storage.recorder.audit(AuditKind.PRINT, visit_id=visit_id, detail={"form_id": "tennyu"})
    storage.purge_drafts()               # on a timer; also at start
    storage.status()                     # database reachable? records waiting?
    storage.close()

Nothing here blocks on the database: records go to the local outbox and a background thread sends them
(and runs the daily draft purge every minute).
Only the supervisor sign-in and the statistics need the database itself (they raise
:class:`~counter_app.adapters.store.errors.DatabaseUnavailableError` when it is down).
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from counter_app.adapters.drafts import DraftKeys, DraftStore
from counter_app.adapters.handoff_outbox import (
    DatabaseTarget,
    DeliveryResult,
    FolderTarget,
    HandoffOutbox,
)
from counter_app.adapters.purge import PurgeResult, daily_purge, purge_cutoff
from counter_app.adapters.recording import BackgroundSync, MainDatabase, OutboxSync, Recorder, SyncStatus
from counter_app.adapters.stats import StatsQuery, StatsReport, compute_stats
from counter_app.adapters.store.errors import DatabaseUnavailableError, StoreError
from counter_app.adapters.store.local import LocalStore
from counter_app.adapters.supervisors import SupervisorAccounts
from counter_app.settings.config import Settings

log = logging.getLogger(__name__)


def app_version() -> str:
    try:
        return metadata.version("madoguchi")
    except metadata.PackageNotFoundError:
        return ""


@dataclass(frozen=True, slots=True)
class StorageStatus:
    database_url: str  # password hidden
    database_available: bool | None
    last_error: str | None
    pending: int
    dead: int
    drafts: int
    problem: StoreError | None = None  # what to tell the clerk: ``clerk_message(status.problem)``


class CounterStorage:
    def __init__(
        self,
        settings: Settings,
        *,
        background: bool = True,
        sync_interval: float = 5.0,
        purge_every: float = 60.0,
        keyring_backend: Any | None = None,
    ) -> None:
        self.settings = settings
        self.purge_every = purge_every
        self._last_purge = -math.inf
        self.local = LocalStore(settings.local_store_path)
        self.database = MainDatabase(settings.effective_database_url)
        self.sync = OutboxSync(self.local, self.database)
        self.background = (
            BackgroundSync(self.sync, interval=sync_interval, max_interval=60.0, on_tick=self._periodic)
            if background
            else None
        )
        self.recorder = Recorder(
            self.local,
            settings.counter_name,
            settings.zone,
            app_version=app_version(),
            on_queued=self.background.wake if self.background else None,
        )
        keys = DraftKeys(self.local, settings.counter_name, settings.config_path.parent, keyring_backend)
        self.drafts = DraftStore(self.local, keys)
        self.supervisors = SupervisorAccounts(self.database, self.recorder)
        self.handoff = self._handoff_outbox(keys)

    def _handoff_outbox(self, keys: DraftKeys) -> HandoffOutbox | None:
        """The hand-off outbox when ``handoff.target`` names a folder or the shared database."""
        target: FolderTarget | DatabaseTarget
        if self.settings.handoff_target == "folder":
            target = FolderTarget(Path(self.settings.handoff_folder))
        elif self.settings.handoff_target == "database":
            database = self.database

            def engine() -> Engine:
                database.ensure_ready()
                return database.engine

            target = DatabaseTarget(engine)
        else:
            return None
        return HandoffOutbox(self.local, keys, target)

    def deliver_handoff(self) -> DeliveryResult | None:
        """Deliver the waiting hand-offs now (also on every tick of the sync thread). Never raises."""
        if self.handoff is None:
            return None
        try:
            return self.handoff.deliver()
        except Exception:  # the kiosk goes on; the next tick retries
            log.warning("hand-off delivery failed", exc_info=True)
            return None

    @classmethod
    def open(cls, settings: Settings, **options: Any) -> CounterStorage:
        return cls(settings, **options)

    def start(self) -> None:
        """At app start: migrate the main database (if reachable), purge old drafts, start the sync."""
        try:
            self.database.ensure_ready()
        except DatabaseUnavailableError as exc:
            log.warning("database unreachable at start, visits are queued locally: %s", exc.reason)
        self.purge_drafts()
        self.seal_audit()
        if self.background is not None:
            self.background.start()
            self.background.wake()

    def purge_drafts(self, now: dt.datetime | None = None) -> PurgeResult:
        """The daily purge now (at start, and every ``purge_every`` seconds from the sync thread, so that
        drafts are gone by ``database.draft_purge_time`` even if the kiosk sets no timer of its own)."""
        self._last_purge = time.monotonic()
        if self.handoff is not None:
            cutoff = purge_cutoff(
                now or dt.datetime.now(dt.UTC), self.settings.zone, self.settings.purge_time
            )
            lost = self.handoff.purge(cutoff)
            if lost:
                log.warning("%d hand-off(s) never delivered were erased at day end", lost)
        return daily_purge(
            self.drafts,
            self.settings.zone,
            self.settings.purge_time,
            self.recorder,
            now,
            printed_folder=self.settings.printed_folder,
        )

    def _periodic(self) -> None:
        self.recorder.flush_held()  # records held in memory while the disk was full or read-only
        if self.handoff is not None and self.handoff.waiting():
            self.deliver_handoff()
        if time.monotonic() - self._last_purge >= self.purge_every:
            self.purge_drafts()
            self.seal_audit()

    def seal_audit(self, now: dt.datetime | None = None) -> int:
        """Seal the audit log's finished days (``audit_chain``); days sealed. Never raises: with the
        database down it is tried again at the next tick."""
        from counter_app.adapters.store.audit_chain import seal

        try:
            self.database.ensure_ready()
            return len(seal(self.database.engine, self.settings.zone, now))
        except Exception:  # the kiosk must go on; the next tick (or `madoguchi audit seal`) retries
            log.warning("audit log not sealed now", exc_info=True)
            return 0

    def flush(self) -> SyncStatus:
        """Send the outbox now (blocking); for the CLI, tests and shutdown."""
        self.sync.flush()
        return self.sync.status

    def stats(self, query: StatsQuery) -> StatsReport:
        self.database.ensure_ready()
        return compute_stats(self.database.engine, query)

    def status(self) -> StorageStatus:
        counts = self.local.counts()
        status = self.sync.status
        return StorageStatus(
            self.database.display_url,
            status.database_available,
            status.last_error,
            counts.pending,
            counts.dead,
            self.drafts.count(),
            status.problem,
        )

    def close(self, flush: bool = True) -> None:
        if self.background is not None:
            self.background.stop()
        if flush:
            try:
                self.sync.flush()
            except Exception:  # closing must not fail; the outbox keeps what was not sent
                log.warning("final outbox flush failed", exc_info=True)
        self.database.dispose()
        self.local.close()

    def __enter__(self) -> CounterStorage:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
