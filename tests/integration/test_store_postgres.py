"""Storage on a real PostgreSQL started by the test run: migrations, statistics equal to SQLite's, twenty
counters writing at once through a server restart, the counter working while the server is down, and
no personal data in a dump of the database."""

from __future__ import annotations

import datetime as dt
import random
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, func, select, text
from sqlalchemy.engine import make_url

from counter_app.adapters.recording import SyncStatus
from counter_app.adapters.stats import StatsQuery, compute_stats
from counter_app.adapters.storage import CounterStorage
from counter_app.adapters.store.engine import make_engine
from counter_app.adapters.store.errors import DatabaseTlsError, DatabaseUnavailableError, SchemaTooNewError
from counter_app.adapters.store.migrate import check_schema, head_revision, upgrade
from counter_app.adapters.store.models import STAT_COUNTS, VISIT_PROCEDURES, VISITS, Base
from counter_app.adapters.store.records import VisitRecord
from counter_app.adapters.store.rollups import ALL_COUNTERS, GRAIN_DAY, Metric, rebuild
from counter_app.adapters.store.writer import apply_record
from counter_app.presenters.messages import EXIT_AUTH, EXIT_DATABASE, clerk_message
from counter_app.settings.config import Settings, load_settings
from tests.conftest import MadoguchiRunner
from tests.services import Postgres
from tests.unit.store.conftest import no_os_key_store  # noqa: F401  (autouse fixture)
from tests.unit.store.factories import COUNTERS, TOKYO, random_visit, visit
from tests.unit.store.privacy import capture_all_logs, files_under, find_personal_data, full_visit
from tests.unit.store.test_stats import check_report, snapshot

pytestmark = pytest.mark.integration


@pytest.fixture
def pg_url(postgres: Postgres) -> Iterator[str]:
    name = f"madoguchi_{uuid.uuid4().hex[:12]}"
    url = postgres.create_database(name)
    yield url
    if postgres.pid is None:  # a test stopped the server and failed before starting it again
        postgres.start()
    postgres.drop_database(name)


@pytest.fixture
def pg_engine(pg_url: str) -> Iterator[Engine]:
    engine = make_engine(pg_url)
    yield engine
    engine.dispose()


def counter_settings(tmp_path: Path, name: str, url: str) -> Settings:
    return load_settings(
        path=tmp_path / name / "config" / "madoguchi.toml",
        environ={"MADOGUCHI_DATA_DIR": str(tmp_path / name / "data"), "MADOGUCHI_COUNTER_NAME": name,
                 "MADOGUCHI_DATABASE_URL": url},
    )  # fmt: skip


def count(engine: Engine, table: object) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


def counted_visits(engine: Engine) -> int:
    s = STAT_COUNTS.c
    query = select(func.coalesce(func.sum(s.n), 0)).where(
        s.grain == GRAIN_DAY, s.metric == Metric.VISITS.value, s.counter == ALL_COUNTERS
    )
    with engine.connect() as connection:
        return int(connection.execute(query).scalar_one())


# --- migrations ---------------------------------------------------------------------------------
def test_migrations_on_postgres(pg_engine: Engine) -> None:
    assert upgrade(pg_engine) == head_revision("main")
    assert upgrade(pg_engine) == head_revision("main")
    assert check_schema(pg_engine) == head_revision("main")
    with pg_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
        column_type = connection.execute(
            text(
                "SELECT data_type FROM information_schema.columns"
                " WHERE table_name = 'visits' AND column_name = 'id'"
            )
        ).scalar_one()
    assert column_type == "uuid"
    with pg_engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0999_newer'"))
    with pytest.raises(SchemaTooNewError):
        upgrade(pg_engine)


def test_counters_starting_together_migrate_once(pg_url: str) -> None:
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def start_counter() -> None:
        engine = make_engine(pg_url)
        try:
            barrier.wait(30)
            upgrade(engine)
        except BaseException as exc:
            errors.append(exc)
        finally:
            engine.dispose()

    threads = [threading.Thread(target=start_counter) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    engine = make_engine(pg_url)
    assert check_schema(engine) == head_revision("main")
    engine.dispose()


# --- statistics ---------------------------------------------------------------------------------
def _sample_records() -> list[VisitRecord]:
    rng = random.Random(20260401)
    first = dt.date(2026, 3, 20)
    return [
        random_visit(rng, first + dt.timedelta(days=rng.randrange(75)), rng.choice(COUNTERS))
        for _ in range(400)
    ]


QUERIES = [
    StatsQuery.day(dt.date(2026, 4, 1)),
    StatsQuery.week(dt.date(2026, 4, 8)),
    StatsQuery.month(dt.date(2026, 4, 15)),
    StatsQuery(dt.date(2026, 3, 25), dt.date(2026, 5, 10)),
    StatsQuery(dt.date(2026, 3, 1), dt.date(2026, 6, 30), "2番窓口"),
]


def test_stats_are_the_same_on_postgres_and_sqlite(pg_engine: Engine, tmp_path: Path) -> None:
    records = _sample_records()
    sqlite_engine = make_engine(f"sqlite:///{tmp_path / 'main.sqlite3'}")
    for engine in (pg_engine, sqlite_engine):
        upgrade(engine)
        with engine.begin() as connection:
            for record in records:
                apply_record(connection, record)
    for query in QUERIES:
        on_postgres = compute_stats(pg_engine, query)
        check_report(on_postgres, records, query)
        assert on_postgres.to_json() == compute_stats(sqlite_engine, query).to_json()
        assert on_postgres.to_csv() == compute_stats(sqlite_engine, query).to_csv()
    incremental = snapshot(pg_engine)
    with pg_engine.begin() as connection:
        rebuild(connection)
    assert snapshot(pg_engine) == incremental
    assert snapshot(sqlite_engine) == incremental
    sqlite_engine.dispose()


# --- twenty counters, one server, a restart in the middle ---------------------------------------
def test_twenty_counters_through_a_server_restart(postgres: Postgres, pg_url: str, tmp_path: Path) -> None:
    upgrade_engine = make_engine(pg_url)
    upgrade(upgrade_engine)
    upgrade_engine.dispose()
    counters = [f"窓口{n:02d}" for n in range(1, 21)]
    storages = [
        CounterStorage(counter_settings(tmp_path, name, pg_url), sync_interval=0.05) for name in counters
    ]
    outages: set[str] = set()
    lock = threading.Lock()

    def watcher(name: str) -> object:
        def on_status(status: SyncStatus) -> None:
            if status.database_available is False:
                with lock:
                    outages.add(name)

        return on_status

    for name, storage in zip(counters, storages, strict=True):
        assert storage.background is not None
        storage.background.on_status = watcher(name)  # type: ignore[assignment]
        storage.start()
    recorded: dict[str, list[VisitRecord]] = {name: [] for name in counters}
    stop = threading.Event()
    failures: list[BaseException] = []

    def counter_at_work(name: str, storage: CounterStorage, seed: int) -> None:
        rng = random.Random(seed)
        try:
            while not stop.is_set():
                record = random_visit(rng, dt.date(2026, 4, 1) + dt.timedelta(days=rng.randrange(3)), name)
                storage.recorder.record_visit(record)  # never blocks on the database
                recorded[name].append(record)
                time.sleep(rng.uniform(0, 0.02))
        except BaseException as exc:
            failures.append(exc)

    workers = [
        threading.Thread(target=counter_at_work, args=(name, storage, i))
        for i, (name, storage) in enumerate(zip(counters, storages, strict=True))
    ]
    for worker in workers:
        worker.start()
    try:
        time.sleep(1.5)
        postgres.stop("immediate")  # like a crash of the server
        time.sleep(1.0)
        written_while_down = sum(len(r) for r in recorded.values())
        postgres.start()
        time.sleep(1.5)
    finally:
        stop.set()
        for worker in workers:
            worker.join(30)
        if postgres.pid is None:
            postgres.start()
        for storage in storages:
            storage.close()  # stops the sync thread and sends what is left

    assert failures == []
    sent = [record for records in recorded.values() for record in records]
    assert written_while_down > 0 and len(sent) > written_while_down
    assert outages, "no counter noticed the server going away"
    engine = make_engine(pg_url)
    try:
        with engine.connect() as connection:
            stored_ids = list(connection.execute(select(VISITS.c.id)).scalars())
        assert len(stored_ids) == len(sent)  # exactly once each
        assert set(stored_ids) == {record.visit_id for record in sent}
        assert counted_visits(engine) == len(sent)  # counted once each
        assert count(engine, VISIT_PROCEDURES) == sum(len(record.procedures) for record in sent)
        incremental = snapshot(engine)
        with engine.begin() as connection:
            rebuild(connection)
        assert snapshot(engine) == incremental
        per_counter = compute_stats(engine, StatsQuery(dt.date(2026, 4, 1), dt.date(2026, 4, 3)))
        assert {row.counter: row.visits for row in per_counter.by_counter} == {
            name: len(records) for name, records in recorded.items()
        }
    finally:
        engine.dispose()


def test_the_counter_keeps_working_while_postgres_is_down(
    postgres: Postgres, pg_url: str, tmp_path: Path
) -> None:
    storage = CounterStorage(counter_settings(tmp_path, "1番窓口", pg_url), background=False)
    storage.start()
    storage.supervisors.add("sato.k", "窓口の合言葉2026")
    assert storage.sync.flush().remaining == 0  # the account's audit entry is sent
    t0 = dt.datetime(2026, 4, 1, 9, 0, tzinfo=TOKYO)
    postgres.stop("fast")
    try:
        for i in range(3):
            storage.recorder.record_visit(visit(t0 + dt.timedelta(minutes=10 * i)))
        visit_id = uuid.uuid4()
        storage.drafts.save_draft(visit_id, {"step": "questions"})  # drafts never need the server
        assert [d.visit_id for d in storage.drafts.load_drafts()] == [visit_id]
        started = time.monotonic()
        result = storage.sync.flush()
        assert result.error is not None and result.remaining == 3
        assert time.monotonic() - started < 30  # refused at once, not hanging on the counter
        status = storage.status()
        assert status.database_available is False and status.pending == 3
        assert clerk_message(result.error).exit_code == EXIT_DATABASE
        with pytest.raises(DatabaseUnavailableError):
            storage.supervisors.sign_in("sato.k", "窓口の合言葉2026")
    finally:
        postgres.start()
    result = storage.sync.flush()
    assert result.error is None and result.remaining == 0 and result.sent >= 3
    assert storage.status().database_available is True
    assert storage.supervisors.sign_in("sato.k", "窓口の合言葉2026").login == "sato.k"
    assert storage.stats(StatsQuery.day(t0.date())).visits == 3
    storage.close()


# --- privacy --------------------------------------------------------------------------------------
def test_no_personal_data_in_a_postgres_dump(postgres: Postgres, pg_url: str, tmp_path: Path) -> None:
    settings = counter_settings(tmp_path, "1番窓口", pg_url)
    log_path = tmp_path / "madoguchi.log"
    with capture_all_logs(log_path):
        storage = CounterStorage(settings, background=False)
        storage.start()
        visit_id, details = full_visit(storage)
        assert storage.drafts.load_drafts()[0].json()["details"]["address"] == details.address
        storage.close()
    dump = postgres.dump(str(make_url(pg_url).database))
    assert str(visit_id).encode() in dump and b"tennyu_todoke" in dump
    blobs = {"pg_dump": dump, str(log_path): log_path.read_bytes(), **files_under(tmp_path / "1番窓口")}
    assert find_personal_data(blobs, details) == []


# --- the real command line ------------------------------------------------------------------------
def test_cli_against_postgres(madoguchi: MadoguchiRunner, pg_url: str, tmp_path: Path) -> None:
    env = {
        "MADOGUCHI_CONFIG": str(tmp_path / "madoguchi.toml"),
        "MADOGUCHI_DATA_DIR": str(tmp_path / "data"),
        "MADOGUCHI_DATABASE_URL": pg_url,
        "MADOGUCHI_COUNTER_NAME": "1番窓口",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    signed = ("--by", "sato.k", "--password-stdin")
    before = madoguchi("stats", "--json", *signed, input="窓口の合言葉2026\n", env=env)
    assert before.returncode == EXIT_DATABASE and "madoguchi db upgrade" in before.stderr
    upgraded = madoguchi("db", "upgrade", env=env)
    assert upgraded.returncode == 0, upgraded.stderr
    assert "postgresql" in upgraded.stdout
    added = madoguchi("supervisor", "add", "sato.k", "--password-stdin", input="窓口の合言葉2026\n", env=env)
    assert added.returncode == 0, added.stderr
    anonymous = madoguchi("stats", "--json", env=env)
    assert anonymous.returncode == EXIT_AUTH and "監督者のサインイン" in anonymous.stderr
    stats = madoguchi(
        "stats", "--from", "2026-04-01", "--to", "2026-04-30", "--json", *signed,
        input="窓口の合言葉2026\n", env=env,
    )  # fmt: skip
    assert stats.returncode == 0, stats.stderr
    assert '"visits": 0' in stats.stdout


def test_audit_log_sealed_and_checked_on_postgres(pg_engine: Engine) -> None:
    from sqlalchemy import update

    from counter_app.adapters.store.audit_chain import seal, verify
    from counter_app.adapters.store.models import AUDIT_EVENTS
    from counter_app.adapters.store.records import AuditKind, AuditRecord
    from counter_app.adapters.store.writer import apply_audit

    upgrade(pg_engine)
    for day in (1, 2):
        for hour in (9, 15):
            happened = dt.datetime(2026, 4, day, hour, tzinfo=TOKYO)
            record = AuditRecord(
                event_id=uuid.uuid4(), at=happened, counter="1番窓口", kind=AuditKind.PRINT,
                visit_id=uuid.uuid4(), detail={"form_id": "tennyu", "pages": 2, "reprint": False},
            )  # fmt: skip
            with pg_engine.begin() as connection:
                apply_audit(connection, record, happened)
    sealed = seal(pg_engine, TOKYO, dt.datetime(2026, 4, 3, 2, tzinfo=TOKYO))
    assert [s.row_count for s in sealed] == [2, 2]
    assert verify(pg_engine, TOKYO).ok  # JSON and timestamps read back from PostgreSQL as written
    with pg_engine.begin() as connection:
        connection.execute(
            update(AUDIT_EVENTS)
            .where(AUDIT_EVENTS.c.at == dt.datetime(2026, 4, 2, 15, tzinfo=TOKYO))
            .values(detail={"form_id": "tennyu", "pages": 1, "reprint": False})
        )
    assert verify(pg_engine, TOKYO).first_broken == dt.date(2026, 4, 2)


# --- TLS ------------------------------------------------------------------------------------------
def test_connections_use_tls_and_verify_the_server(postgres: Postgres, pg_url: str, tmp_path: Path) -> None:
    from tests.services import write_test_tls

    engine = make_engine(pg_url)  # no sslmode in the URL: verify-full by default
    try:
        with engine.connect() as connection:
            in_tls = connection.execute(text("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"))
            assert in_tls.scalar_one() is True
    finally:
        engine.dispose()
    # a server whose certificate another CA signed (a machine in the middle) is refused, in Japanese
    other = tmp_path / "other-ca"
    other.mkdir()
    write_test_tls(other, "127.0.0.1")
    impostor = pg_url.replace(str(postgres.ca_path), str(other / "ca.crt"))
    storage = CounterStorage(counter_settings(tmp_path, "1番窓口", impostor), background=False)
    try:
        with pytest.raises(DatabaseTlsError) as refused:
            storage.stats(StatsQuery.day(dt.date(2026, 4, 1)))
        message = clerk_message(refused.value)
        assert "サーバー証明書を確認できない" in message.text and message.exit_code == EXIT_DATABASE
    finally:
        storage.close(flush=False)
    # the documented opt-out (a server on this PC): sslmode in the URL wins
    plain = make_engine(pg_url.replace("?", "?sslmode=disable&"))
    try:
        with plain.connect() as connection:
            in_tls = connection.execute(text("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"))
            assert in_tls.scalar_one() is False
    finally:
        plain.dispose()
