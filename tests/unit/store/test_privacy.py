"""After a full visit, the database files, the local store and the logs hold no name, address or birth
date of the resident: only the encrypted draft carries them, and it decrypts only on this counter."""

from __future__ import annotations

from pathlib import Path

from counter_app.adapters.storage import CounterStorage
from counter_app.settings.config import Settings
from tests.unit.store.privacy import capture_all_logs, files_under, find_personal_data, full_visit, needles


def test_no_personal_data_in_sqlite_files_or_logs(settings: Settings, tmp_path: Path) -> None:
    log_path = tmp_path / "madoguchi.log"
    with capture_all_logs(log_path):
        storage = CounterStorage(settings, background=False)
        storage.start()
        visit_id, details = full_visit(storage)
        (draft,) = storage.drafts.load_drafts()  # the personal data is there, encrypted
        assert draft.visit_id == visit_id and draft.json()["details"]["name"] == details.name
        stored = storage.status()
        storage.close()
    assert stored.pending == 0 and stored.drafts == 1

    blobs = files_under(settings.data_dir, settings.config_path.parent)
    blobs[str(log_path)] = log_path.read_bytes()
    main_db = blobs[str(settings.data_dir / "madoguchi.sqlite3")]
    assert visit_id.hex.encode() in main_db and b"tennyu_todoke" in main_db  # the search sees the records
    assert b"INSERT INTO visits" in blobs[str(log_path)]  # and the logs saw the statements
    assert find_personal_data(blobs, details) == []


def test_the_search_finds_plain_text() -> None:
    from tests.unit.store.privacy import read_card

    details = read_card()
    plain = ("受付: " + details.name + " " + details.address).encode("utf-8")
    assert find_personal_data({"memo": plain}, details) == ["name in memo", "address in memo"]
    assert all(needles(details).values())
