"""The audit log sealed day by day in a hash chain (the daily digests of 芽室町's MADO hub): one edited,
added or deleted entry of a sealed day, an edited or missing digest, or a chain rebuilt from scratch is
reported as the first broken day."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, delete, select, update

from counter_app.adapters.storage import CounterStorage
from counter_app.adapters.store.audit_chain import GENESIS, day_digest, digests, seal, verify
from counter_app.adapters.store.models import AUDIT_DIGESTS, AUDIT_EVENTS
from counter_app.adapters.store.records import AuditKind, AuditRecord
from counter_app.adapters.store.writer import apply_audit
from counter_app.cli import cli
from counter_app.presenters.messages import EXIT_TAMPERED
from tests.unit.store.factories import TOKYO


def at(day: int, hour: int) -> dt.datetime:
    return dt.datetime(2026, 4, day, hour, 0, tzinfo=TOKYO)


def put(
    engine: Engine, happened: dt.datetime, received: dt.datetime | None = None, form: str = "tennyu"
) -> uuid.UUID:
    record = AuditRecord(
        event_id=uuid.uuid4(),
        at=happened,
        counter="1番窓口",
        kind=AuditKind.PRINT,
        clerk_id="",
        visit_id=uuid.uuid4(),
        detail={"form_id": form},
    )
    with engine.begin() as connection:
        apply_audit(connection, record, received or happened)
    return record.event_id


@pytest.fixture
def engine(storage: CounterStorage) -> Engine:
    """Three days of entries (1–3 April, Tokyo), sealed on 4 April at 02:00."""
    engine = storage.database.engine
    with engine.begin() as connection:  # the storage's own start-up entries would fall on today
        connection.execute(delete(AUDIT_EVENTS))
        connection.execute(delete(AUDIT_DIGESTS))
    for day in (1, 2, 3):
        for hour in (9, 13, 16):
            put(engine, at(day, hour))
    sealed = seal(engine, TOKYO, at(4, 2))
    assert [(s.day.day, s.row_count) for s in sealed] == [(1, 3), (2, 3), (3, 3)]
    return engine


def test_an_untouched_log_verifies(engine: Engine) -> None:
    result = verify(engine, TOKYO)
    assert result.ok and result.days_checked == 3 and result.last_sealed == dt.date(2026, 4, 3)
    # the chain: each digest covers the previous one
    with engine.connect() as connection:
        rows = connection.execute(select(AUDIT_DIGESTS).order_by(AUDIT_DIGESTS.c.day)).all()
    assert rows[0].previous == GENESIS and rows[1].previous == rows[0].digest
    assert seal(engine, TOKYO, at(4, 2)) == []  # nothing more to seal yet
    assert result.last_digest == digests(engine)[0].digest


def test_one_edited_row_is_caught_on_its_day(engine: Engine) -> None:
    with engine.begin() as connection:
        first = connection.execute(
            select(AUDIT_EVENTS.c.id).where(AUDIT_EVENTS.c.at == at(2, 13).astimezone(dt.UTC))
        ).scalar_one()
        connection.execute(
            update(AUDIT_EVENTS).where(AUDIT_EVENTS.c.id == first).values(clerk_id="someone-else")
        )
    result = verify(engine, TOKYO)
    assert not result.ok and result.first_broken == dt.date(2026, 4, 2) and result.reason == "entries"
    assert result.days_checked == 1  # 1 April still matched


def test_deleted_and_added_rows_are_caught(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(delete(AUDIT_EVENTS).where(AUDIT_EVENTS.c.at == at(3, 9).astimezone(dt.UTC)))
    result = verify(engine, TOKYO)
    assert (result.first_broken, result.expected_count, result.found_count) == (dt.date(2026, 4, 3), 3, 2)
    put(engine, at(1, 20))  # an entry slipped into a sealed day
    assert verify(engine, TOKYO).first_broken == dt.date(2026, 4, 1)


def test_edited_or_missing_digests_break_the_chain(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(delete(AUDIT_DIGESTS).where(AUDIT_DIGESTS.c.day == dt.date(2026, 4, 2)))
    result = verify(engine, TOKYO)
    assert result.first_broken == dt.date(2026, 4, 2) and result.reason == "chain"


def test_a_rebuilt_chain_is_caught_by_an_anchor(engine: Engine) -> None:
    anchored = {dt.date(2026, 4, 3): digests(engine)[0].digest}
    assert verify(engine, TOKYO, anchored).ok
    # someone with write access edits a row and recomputes every digest
    with engine.begin() as connection:
        connection.execute(delete(AUDIT_EVENTS).where(AUDIT_EVENTS.c.at == at(1, 9).astimezone(dt.UTC)))
        connection.execute(delete(AUDIT_DIGESTS))
    seal(engine, TOKYO, at(4, 2))
    assert verify(engine, TOKYO).ok  # the chain alone cannot tell
    result = verify(engine, TOKYO, anchored)
    assert result.first_broken == dt.date(2026, 4, 3) and result.reason == "anchor"


def test_late_entries_go_into_an_open_day(engine: Engine) -> None:
    # a counter whose outbox was offline sends an entry of 2 April on 5 April
    put(engine, at(2, 11), received=at(5, 10))
    assert verify(engine, TOKYO).ok
    sealed = seal(engine, TOKYO, at(6, 2))
    assert [(s.day.day, s.row_count) for s in sealed] == [(4, 0), (5, 1)]  # empty days are sealed too
    assert verify(engine, TOKYO).ok and verify(engine, TOKYO).days_checked == 5


def test_a_day_is_sealed_only_an_hour_after_it_ended(storage: CounterStorage) -> None:
    engine = storage.database.engine
    with engine.begin() as connection:
        connection.execute(delete(AUDIT_EVENTS))
        connection.execute(delete(AUDIT_DIGESTS))
    put(engine, at(1, 23))
    assert seal(engine, TOKYO, at(2, 0) + dt.timedelta(minutes=30)) == []
    assert [s.day.day for s in seal(engine, TOKYO, at(2, 1) + dt.timedelta(minutes=1))] == [1]


def test_the_digest_is_order_independent() -> None:
    assert day_digest(GENESIS, ["b", "a"]) == day_digest(GENESIS, ["a", "b"]) != day_digest(GENESIS, ["a"])


def test_audit_verify_command(engine: Engine, storage: CounterStorage, tmp_path: Path) -> None:
    env = {
        "MADOGUCHI_CONFIG": str(storage.settings.config_path),
        "MADOGUCHI_DATA_DIR": str(storage.settings.data_dir),
        "MADOGUCHI_COUNTER_NAME": "1番窓口",
    }
    runner = CliRunner()
    good = runner.invoke(cli, ["audit", "verify"], env=env)
    assert good.exit_code == 0 and "改ざんは見つかりませんでした: 封印済み 3 日" in good.output
    listed = runner.invoke(cli, ["audit", "digests"], env=env)
    newest = listed.output.splitlines()[0].split()[0]
    assert newest.startswith("2026-04-03=")
    assert runner.invoke(cli, ["audit", "verify", "--anchor", newest], env=env).exit_code == 0
    with engine.begin() as connection:
        connection.execute(
            update(AUDIT_EVENTS)
            .where(AUDIT_EVENTS.c.at == at(2, 9).astimezone(dt.UTC))
            .values(detail={"form_id": "shussei"})
        )
    bad = runner.invoke(cli, ["audit", "verify"], env=env)
    assert bad.exit_code == EXIT_TAMPERED
    assert bad.stderr.strip().splitlines() == [
        "監査ログの 2026-04-02 の記録が封印後に変更されています(封印時 3 件、現在 3 件)。"
        "データベースの管理者とシステム担当に連絡してください。"
    ]
    as_json = json.loads(runner.invoke(cli, ["audit", "verify", "--json"], env=env).stdout)
    assert as_json["first_broken"] == "2026-04-02" and as_json["reason"] == "entries"
    wrong = runner.invoke(cli, ["audit", "verify", "--anchor", "2026-04-31=" + "0" * 64], env=env)
    assert wrong.exit_code == 2 and "という日付はありません" in wrong.output
