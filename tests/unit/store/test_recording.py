"""Outbox and sync on SQLite: nothing lost while the database is unreachable, nothing stored twice."""

from __future__ import annotations

import datetime as dt
import time
import uuid
from pathlib import Path

from sqlalchemy import func, select, text

from counter_app.adapters.recording import BackgroundSync, MainDatabase, OutboxSync, Recorder
from counter_app.adapters.storage import CounterStorage
from counter_app.adapters.store.errors import SchemaTooNewError
from counter_app.adapters.store.local import LocalStore
from counter_app.adapters.store.models import AUDIT_EVENTS, PRINT_JOBS, STAT_COUNTS, VISIT_PROCEDURES, VISITS
from counter_app.adapters.store.records import AuditKind, PrintJobRecord
from counter_app.adapters.store.rollups import ALL_COUNTERS, GRAIN_DAY, Metric
from counter_app.adapters.store.writer import apply_record
from counter_app.presenters.messages import clerk_message
from tests.unit.store.factories import TOKYO, visit

T0 = dt.datetime(2026, 4, 1, 9, 0, tzinfo=TOKYO)


def _count(database: MainDatabase, table: object) -> int:
    with database.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


def _counted_visits(database: MainDatabase) -> int:
    s = STAT_COUNTS.c
    query = select(func.coalesce(func.sum(s.n), 0)).where(
        s.grain == GRAIN_DAY, s.metric == Metric.VISITS.value, s.counter == ALL_COUNTERS
    )
    with database.engine.connect() as connection:
        return int(connection.execute(query).scalar_one())


def test_a_visit_is_stored_with_its_procedures_print_jobs_and_counts(storage: CounterStorage) -> None:
    record = visit(T0)
    storage.recorder.record_visit(record)
    assert storage.local.counts().pending == 1
    result = storage.sync.flush()
    assert (result.sent, result.remaining, result.error) == (1, 0, None)
    database = storage.database
    assert _count(database, VISITS) == 1
    assert _count(database, VISIT_PROCEDURES) == 3
    assert _count(database, PRINT_JOBS) == 2
    assert _counted_visits(database) == 1
    with database.engine.connect() as connection:
        row = connection.execute(select(VISITS)).one()
    assert row.id == record.visit_id and row.local_hour == 9 and row.duration_s == 720
    assert row.started_at == T0 and row.app_version == storage.recorder.app_version


def test_records_are_put_in_the_counters_zone(storage: CounterStorage) -> None:
    utc_start = dt.datetime(2026, 4, 1, 0, 15, tzinfo=dt.UTC)  # 09:15 in Tokyo
    storage.recorder.record_visit(visit(utc_start))
    storage.sync.flush()
    with storage.database.engine.connect() as connection:
        row = connection.execute(select(VISITS.c.local_date, VISITS.c.local_hour)).one()
    assert (row.local_date, row.local_hour) == (dt.date(2026, 4, 1), 9)


def test_sending_twice_stores_and_counts_once(storage: CounterStorage) -> None:
    record = visit(T0)
    assert storage.recorder.record_visit(record) is True
    assert storage.recorder.record_visit(record) is False  # already queued
    storage.sync.flush()
    assert storage.recorder.record_visit(record) is True  # queued again after it left the outbox
    result = storage.sync.flush()
    assert result.sent == 1  # accepted (as already there), and removed from the outbox
    assert _count(storage.database, VISITS) == 1
    assert _counted_visits(storage.database) == 1
    assert _count(storage.database, PRINT_JOBS) == 2


def test_commit_without_removal_is_not_counted_twice(storage: CounterStorage) -> None:
    """A power cut after the database committed but before the outbox forgot the record."""
    record = visit(T0)
    storage.recorder.record_visit(record)
    storage.database.ensure_ready()
    with storage.database.engine.begin() as connection:  # the commit that "was not heard"
        assert apply_record(connection, record) is True
    result = storage.sync.flush()
    assert result.sent == 1 and result.remaining == 0
    assert _count(storage.database, VISITS) == 1
    assert _counted_visits(storage.database) == 1


def test_unreachable_database_keeps_everything_queued(tmp_path: Path) -> None:
    main_path = tmp_path / "main.sqlite3"
    main_path.mkdir()  # a folder where the database file should be: SQLite cannot open it
    local = LocalStore(tmp_path / "local.sqlite3")
    database = MainDatabase(f"sqlite:///{main_path}")
    sync = OutboxSync(local, database, batch_size=3)
    recorder = Recorder(local, "1番窓口", TOKYO)
    records = [visit(T0 + dt.timedelta(minutes=i)) for i in range(10)]
    for record in records:
        recorder.record_visit(record)
    recorder.audit(AuditKind.CARD_READ, visit_id=records[0].visit_id)

    down = sync.flush()
    assert down.error is not None and down.sent == 0 and down.remaining == 11
    assert sync.status.database_available is False and sync.status.pending == 11
    assert local.counts().pending == 11

    main_path.rmdir()  # the database is back
    up = sync.flush()
    assert up.error is None and up.sent == 11 and up.remaining == 0
    assert sync.status.database_available is True
    assert _count(database, VISITS) == 10 and _count(database, AUDIT_EVENTS) == 1
    assert _counted_visits(database) == 10
    database.dispose()
    local.close()


def test_a_refused_record_is_set_aside_and_the_rest_goes_through(storage: CounterStorage) -> None:
    shared_job = PrintJobRecord(uuid.uuid4(), "tennyu_todoke", T0)
    first = visit(T0, print_jobs=(shared_job,))
    clash = visit(T0, print_jobs=(shared_job,))  # the same print job id in another visit: refused
    later = visit(T0 + dt.timedelta(minutes=30))
    for record in (first, clash, later):
        storage.recorder.record_visit(record)
    result = storage.sync.flush()
    assert (result.sent, result.dead, result.remaining, result.error) == (2, 1, 0, None)
    assert _count(storage.database, VISITS) == 2
    assert _counted_visits(storage.database) == 2  # the refused visit counted nowhere
    counts = storage.local.counts()
    assert counts.dead == 1 and counts.pending == 0
    assert storage.status().dead == 1
    assert storage.local.requeue_dead() == 1
    again = storage.sync.flush()
    assert again.dead == 1 and _count(storage.database, VISITS) == 2


def test_background_sync_sends_what_is_recorded(settings: object) -> None:
    opened = CounterStorage(settings, sync_interval=0.05)  # type: ignore[arg-type]
    opened.start()
    try:
        assert opened.background is not None and opened.background.running
        for i in range(5):
            opened.recorder.record_visit(visit(T0 + dt.timedelta(minutes=i)))
        deadline = time.monotonic() + 30
        while opened.local.counts().pending and time.monotonic() < deadline:
            time.sleep(0.02)
        assert opened.local.counts().pending == 0
        assert _count(opened.database, VISITS) == 5
    finally:
        background = opened.background
        opened.close()
    assert background is not None and not background.running


def test_background_sync_stops_promptly_while_the_database_is_down(tmp_path: Path) -> None:
    main_path = tmp_path / "main.sqlite3"
    main_path.mkdir()
    local = LocalStore(tmp_path / "local.sqlite3")
    database = MainDatabase(f"sqlite:///{main_path}")
    statuses: list[bool | None] = []
    background = BackgroundSync(
        OutboxSync(local, database), interval=0.01, max_interval=0.05,
        on_status=lambda status: statuses.append(status.database_available),
    )  # fmt: skip
    recorder = Recorder(local, "1番窓口", TOKYO, on_queued=background.wake)
    background.start()
    recorder.record_visit(visit(T0))
    deadline = time.monotonic() + 30
    while len(statuses) < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    background.stop()
    assert not background.running
    assert statuses[:3] == [False, False, False]
    assert local.counts().pending == 1
    database.dispose()
    local.close()


def test_a_database_from_a_newer_app_keeps_records_queued(storage: CounterStorage) -> None:
    with storage.database.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0999_newer'"))
    storage.database._ready = False  # as at the next start of the app
    storage.recorder.record_visit(visit(T0))
    result = storage.sync.flush()
    assert isinstance(result.error, SchemaTooNewError) and result.remaining == 1
    status = storage.status()
    assert status.database_available is False and status.pending == 1
    assert status.problem is result.error
    assert "更新してください" in clerk_message(status.problem).text
