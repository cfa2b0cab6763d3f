"""Encrypted drafts: round trip, nothing readable at rest, tamper-evident, keys per counter, daily purge."""

from __future__ import annotations

import datetime as dt
import os
import stat
import time
import uuid
from pathlib import Path
from typing import Any

import keyring.backend
import keyring.errors
import pytest
from sqlalchemy import select, update

from counter_app.adapters.drafts import (
    SEED_FILE_NAME,
    SOURCE_DERIVED,
    SOURCE_KEYRING,
    DraftKeys,
    DraftStore,
)
from counter_app.adapters.purge import daily_purge, next_purge_at, purge_cutoff
from counter_app.adapters.recording import Recorder
from counter_app.adapters.store.errors import DraftError, DraftKeyUnavailableError
from counter_app.adapters.store.local import LocalStore
from counter_app.adapters.store.local_models import DRAFTS
from counter_app.adapters.store.records import AuditKind, AuditRecord, load_record
from counter_app.settings.config import Settings
from tests.clock import zone_at_local_noon
from tests.unit.store.factories import TOKYO

DETAILS = {
    "name": "黒桐\u3000幹也",
    "address": "東京都清瀬市観布子南１２－７－２０２",
    "birth_date": "1980-02-17",
}


class MemoryKeyring(keyring.backend.KeyringBackend):
    """An OS key store for tests: keyring's own backend interface, kept in memory."""

    priority = 10

    def __init__(self, locked: bool = False) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.secrets: dict[tuple[str, str], str] = {}
        self.locked = locked

    def get_password(self, service: str, username: str) -> str | None:
        if self.locked:
            raise keyring.errors.KeyringLocked("collection locked")
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        if self.locked:
            raise keyring.errors.KeyringLocked("collection locked")
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


class FailingKeyring(keyring.backend.KeyringBackend):
    priority = 0

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.NoKeyringError("no key store")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.NoKeyringError("no key store")

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.NoKeyringError("no key store")


@pytest.fixture
def local(tmp_path: Path) -> Any:
    store = LocalStore(tmp_path / "data" / "local.sqlite3")
    yield store
    store.close()


def drafts_for(
    local: LocalStore, tmp_path: Path, counter: str = "1番窓口", backend: Any = None
) -> DraftStore:
    machine_id = tmp_path / "machine-id"
    if not machine_id.exists():
        machine_id.write_text("0123456789abcdef0123456789abcdef\n")
    keys = DraftKeys(
        local, counter, tmp_path / "config", backend or FailingKeyring(), machine_id_files=[machine_id]
    )
    return DraftStore(local, keys)


def test_round_trip_json_and_bytes(local: LocalStore, tmp_path: Path) -> None:
    drafts = drafts_for(local, tmp_path)
    first, second = uuid.uuid4(), uuid.uuid4()
    drafts.save_draft(first, DETAILS)
    drafts.save_draft(second, "窓口メモ".encode())
    loaded = {d.visit_id: d for d in drafts.load_drafts()}
    assert loaded[first].json() == DETAILS
    assert loaded[second].payload == "窓口メモ".encode() and not loaded[second].is_json
    with pytest.raises(DraftError):
        loaded[second].json()
    assert "黒桐" not in repr(loaded[first]) and "東京都" not in repr(loaded[first])


def test_saving_again_replaces_and_keeps_the_creation_time(local: LocalStore, tmp_path: Path) -> None:
    drafts = drafts_for(local, tmp_path)
    visit_id = uuid.uuid4()
    drafts.save_draft(visit_id, {"step": 1})
    created = drafts.load_drafts()[0].created_at
    drafts.save_draft(visit_id, {"step": 2})
    (draft,) = drafts.load_drafts()
    assert draft.json() == {"step": 2} and draft.created_at == created and draft.saved_at >= created


def test_nothing_readable_at_rest(local: LocalStore, tmp_path: Path) -> None:
    drafts = drafts_for(local, tmp_path)
    drafts.save_draft(uuid.uuid4(), DETAILS)
    with local.engine.connect() as connection:
        (row,) = connection.execute(select(DRAFTS)).all()
    for value in DETAILS.values():
        for encoding in ("utf-8", "utf-16-le"):
            assert value.encode(encoding) not in row.ciphertext
    raw = b"".join(p.read_bytes() for p in local.path.parent.glob("local.sqlite3*"))
    assert "黒桐".encode() not in raw and b"1980-02-17" not in raw


def test_tampered_or_moved_ciphertext_is_not_loaded(local: LocalStore, tmp_path: Path) -> None:
    drafts = drafts_for(local, tmp_path)
    victim, other = uuid.uuid4(), uuid.uuid4()
    drafts.save_draft(victim, DETAILS)
    drafts.save_draft(other, {"x": 1})
    with local.engine.begin() as connection:
        ciphertext = connection.execute(
            select(DRAFTS.c.ciphertext).where(DRAFTS.c.visit_id == victim)
        ).scalar_one()
        nonce = connection.execute(select(DRAFTS.c.nonce).where(DRAFTS.c.visit_id == victim)).scalar_one()
        # another visit's row gets the victim's ciphertext: the associated data (visit id) no longer matches
        connection.execute(
            update(DRAFTS).where(DRAFTS.c.visit_id == other).values(ciphertext=ciphertext, nonce=nonce)
        )
        flipped = bytes([ciphertext[0] ^ 1]) + ciphertext[1:]
        connection.execute(update(DRAFTS).where(DRAFTS.c.visit_id == victim).values(ciphertext=flipped))
    assert drafts.load_drafts() == []


def test_derived_keys_are_stable_and_differ_per_counter(local: LocalStore, tmp_path: Path) -> None:
    one = drafts_for(local, tmp_path, "1番窓口")
    visit_id = uuid.uuid4()
    one.save_draft(visit_id, DETAILS)
    assert local.get_meta("draft_key_source") == SOURCE_DERIVED
    again = drafts_for(local, tmp_path, "1番窓口")  # after a restart
    assert [d.visit_id for d in again.load_drafts()] == [visit_id]
    other = drafts_for(local, tmp_path, "2番窓口")
    assert other.keys.key().key_id != one.keys.key().key_id
    assert other.load_drafts() == []  # only this counter's drafts
    seed = tmp_path / "config" / SEED_FILE_NAME
    assert stat.S_IMODE(seed.stat().st_mode) == 0o600
    assert "key=" not in repr(one.keys.key())


def test_losing_the_seed_makes_old_drafts_unreadable(local: LocalStore, tmp_path: Path) -> None:
    drafts = drafts_for(local, tmp_path)
    drafts.save_draft(uuid.uuid4(), DETAILS)
    (tmp_path / "config" / SEED_FILE_NAME).unlink()
    assert drafts_for(local, tmp_path).load_drafts() == []


def test_keyring_is_preferred_and_remembered(local: LocalStore, tmp_path: Path) -> None:
    backend = MemoryKeyring()
    drafts = drafts_for(local, tmp_path, backend=backend)
    visit_id = uuid.uuid4()
    drafts.save_draft(visit_id, DETAILS)
    assert local.get_meta("draft_key_source") == SOURCE_KEYRING
    assert ("madoguchi", "draft-key:1番窓口") in backend.secrets
    assert not (tmp_path / "config" / SEED_FILE_NAME).exists()
    assert [d.visit_id for d in drafts_for(local, tmp_path, backend=backend).load_drafts()] == [visit_id]
    backend.locked = True  # the user's key store is locked: refuse rather than switch keys silently
    with pytest.raises(DraftKeyUnavailableError):
        drafts_for(local, tmp_path, backend=backend).load_drafts()


def test_a_locked_keyring_at_first_use_falls_back_to_a_derived_key(local: LocalStore, tmp_path: Path) -> None:
    drafts = drafts_for(local, tmp_path, backend=MemoryKeyring(locked=True))
    drafts.save_draft(uuid.uuid4(), DETAILS)
    assert local.get_meta("draft_key_source") == SOURCE_DERIVED
    assert len(drafts.load_drafts()) == 1


def test_delete_and_purge(local: LocalStore, tmp_path: Path) -> None:
    times = iter([dt.datetime(2026, 4, 1, 9, tzinfo=TOKYO), dt.datetime(2026, 4, 1, 15, tzinfo=TOKYO)])
    keys = drafts_for(local, tmp_path).keys
    drafts = DraftStore(local, keys, clock=lambda: next(times))
    morning, afternoon = uuid.uuid4(), uuid.uuid4()
    drafts.save_draft(morning, DETAILS)
    drafts.save_draft(afternoon, DETAILS)
    assert drafts.purge(before=dt.datetime(2026, 4, 1, 12, tzinfo=TOKYO)) == [morning]
    assert [d.visit_id for d in drafts.load_drafts()] == [afternoon]
    assert drafts.delete_draft(afternoon) is True and drafts.delete_draft(afternoon) is False
    assert drafts.count() == 0


@pytest.mark.parametrize(
    ("now", "cutoff"),
    [
        (dt.datetime(2026, 4, 1, 10, 0, tzinfo=TOKYO), dt.datetime(2026, 4, 1, 0, 0, tzinfo=TOKYO)),
        (dt.datetime(2026, 4, 1, 19, 59, tzinfo=TOKYO), dt.datetime(2026, 4, 1, 0, 0, tzinfo=TOKYO)),
        (dt.datetime(2026, 4, 1, 20, 0, tzinfo=TOKYO), dt.datetime(2026, 4, 1, 20, 0, tzinfo=TOKYO)),
        # 01:00 UTC is 10:00 in Tokyo: the day is the counter's day, not UTC's
        (dt.datetime(2026, 4, 1, 1, 0, tzinfo=dt.UTC), dt.datetime(2026, 4, 1, 0, 0, tzinfo=TOKYO)),
    ],
)
def test_purge_cutoff(now: dt.datetime, cutoff: dt.datetime) -> None:
    assert purge_cutoff(now, TOKYO, dt.time(20, 0)) == cutoff


def test_next_purge() -> None:
    assert next_purge_at(dt.datetime(2026, 4, 1, 10, tzinfo=TOKYO), TOKYO, dt.time(20)) == dt.datetime(
        2026, 4, 1, 20, tzinfo=TOKYO
    )
    assert next_purge_at(dt.datetime(2026, 4, 1, 21, tzinfo=TOKYO), TOKYO, dt.time(20)) == dt.datetime(
        2026, 4, 2, 20, tzinfo=TOKYO
    )


def test_daily_purge_audits_each_visit(local: LocalStore, tmp_path: Path) -> None:
    saved = iter([dt.datetime(2026, 3, 31, 16, tzinfo=TOKYO), dt.datetime(2026, 4, 1, 9, tzinfo=TOKYO)])
    drafts = DraftStore(local, drafts_for(local, tmp_path).keys, clock=lambda: next(saved))
    yesterday, today = uuid.uuid4(), uuid.uuid4()
    drafts.save_draft(yesterday, DETAILS)
    drafts.save_draft(today, DETAILS)
    recorder = Recorder(local, "1番窓口", TOKYO)

    morning = daily_purge(
        drafts, TOKYO, dt.time(20), recorder, now=dt.datetime(2026, 4, 1, 9, 30, tzinfo=TOKYO)
    )
    assert morning.purged == (yesterday,)
    evening = daily_purge(
        drafts, TOKYO, dt.time(20), recorder, now=dt.datetime(2026, 4, 1, 20, 0, tzinfo=TOKYO)
    )
    assert evening.purged == (today,)
    assert drafts.count() == 0
    audited = [load_record(e.kind, e.payload) for e in local.pending(10)]
    assert [(a.kind, a.visit_id) for a in audited if isinstance(a, AuditRecord)] == [
        (AuditKind.DRAFT_PURGED, yesterday),
        (AuditKind.DRAFT_PURGED, today),
    ]


def test_daily_purge_deletes_the_pdf_prints_of_a_counter_without_printer(
    local: LocalStore, tmp_path: Path
) -> None:
    """A counter without a printer files PDFs with the residents' details: they go with the drafts."""
    drafts = DraftStore(local, drafts_for(local, tmp_path).keys)
    printed = tmp_path / "printed"
    printed.mkdir()
    old, new = printed / "1-転入届.pdf", printed / "2-窓口案内シート.pdf"
    old.write_bytes(b"%PDF-1.4 yesterday")
    new.write_bytes(b"%PDF-1.4 this morning")
    stamp = dt.datetime(2026, 3, 31, 16, tzinfo=TOKYO).timestamp()
    os.utime(old, (stamp, stamp))
    stamp = dt.datetime(2026, 4, 1, 9, tzinfo=TOKYO).timestamp()
    os.utime(new, (stamp, stamp))

    morning = daily_purge(
        drafts, TOKYO, dt.time(20), now=dt.datetime(2026, 4, 1, 10, tzinfo=TOKYO), printed_folder=printed
    )
    assert morning.files == 1
    assert sorted(p.name for p in printed.iterdir()) == [new.name]
    evening = daily_purge(
        drafts, TOKYO, dt.time(20), now=dt.datetime(2026, 4, 1, 20, 1, tzinfo=TOKYO), printed_folder=printed
    )
    assert evening.files == 1
    assert list(printed.iterdir()) == []
    assert daily_purge(drafts, TOKYO, dt.time(20), printed_folder=tmp_path / "none").files == 0


def test_subkeys_are_separate_and_stable(local: LocalStore, tmp_path: Path) -> None:
    keys = drafts_for(local, tmp_path).keys
    spool = keys.subkey("print-spool")
    assert len(spool) == 32 and spool != keys.key().key and spool != keys.subkey("other")
    assert drafts_for(local, tmp_path).keys.subkey("print-spool") == spool


def test_the_sync_thread_purges_old_drafts(settings: Settings) -> None:
    from counter_app.adapters.storage import CounterStorage

    # In Tokyo after 20:00 the purge at start would take today's draft too (it did, at 20:xx JST).
    settings = settings.replace(timezone=zone_at_local_noon())
    storage = CounterStorage(settings, sync_interval=0.02, purge_every=0.05)
    try:
        visit_id = uuid.uuid4()
        storage.drafts.save_draft(visit_id, DETAILS)
        storage.start()  # the purge at start keeps today's draft
        assert storage.drafts.count() == 1
        with storage.local.engine.begin() as connection:  # the draft is now from two days ago
            two_days_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=2)
            connection.execute(update(DRAFTS).values(saved_at=two_days_ago))
        deadline = time.monotonic() + 30
        while storage.drafts.count() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert storage.drafts.count() == 0
    finally:
        storage.close()


def test_a_draft_saved_while_the_clock_was_ahead_is_purged(local: LocalStore, tmp_path: Path) -> None:
    """Issue 16, item 10: the clock was a day ahead when the draft was saved, then set right; the draft's
    time is in the future, so no cutoff of "before" would ever reach it. It is purged all the same."""
    saved = iter([dt.datetime(2026, 4, 2, 10, tzinfo=TOKYO), dt.datetime(2026, 4, 1, 9, tzinfo=TOKYO)])
    drafts = DraftStore(local, drafts_for(local, tmp_path).keys, clock=lambda: next(saved))
    ahead, today = uuid.uuid4(), uuid.uuid4()
    drafts.save_draft(ahead, DETAILS)
    drafts.save_draft(today, DETAILS)
    result = daily_purge(drafts, TOKYO, dt.time(20), now=dt.datetime(2026, 4, 1, 9, 30, tzinfo=TOKYO))
    assert result.purged == (ahead,)
    assert [d.visit_id for d in drafts.load_drafts()] == [today]


def test_a_pdf_print_dated_in_the_future_is_purged(local: LocalStore, tmp_path: Path) -> None:
    drafts = DraftStore(local, drafts_for(local, tmp_path).keys)
    printed = tmp_path / "printed"
    printed.mkdir()
    ahead = printed / "0001-転入届 x.pdf.sealed"
    ahead.write_bytes(b"sealed")
    stamp = dt.datetime(2026, 4, 2, 10, tzinfo=TOKYO).timestamp()
    os.utime(ahead, (stamp, stamp))
    result = daily_purge(
        drafts, TOKYO, dt.time(20), now=dt.datetime(2026, 4, 1, 10, tzinfo=TOKYO), printed_folder=printed
    )
    assert result.files == 1 and list(printed.iterdir()) == []
