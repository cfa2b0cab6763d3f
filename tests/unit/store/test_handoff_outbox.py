"""The hand-off outbox on the counter (SQLite local store, folder target): sealed at rest, delivered once,
nothing readable left after delivery, erased at day end; and the kiosk's visit log that fills it."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from counter_app.adapters.drafts import DraftKeys
from counter_app.adapters.handoff_outbox import (
    DELIVERED,
    IMPORTED,
    WAITING,
    FolderTarget,
    HandoffFile,
    HandoffOutbox,
    HandoffPayload,
    write_new_file,
)
from counter_app.adapters.storage import CounterStorage
from counter_app.adapters.store.local import LocalStore
from counter_app.adapters.store.local_models import HANDOFF_OUTBOX
from counter_app.adapters.store.records import VisitOutcome
from counter_app.settings.config import ConfigError, load_settings
from counter_app.workflow.handoff import HandoffVisitLog, handoff_payloads, handoff_visit_id
from counter_app.workflow.visit_session import VisitSession
from procedures import guide, load_catalog, parse_visit
from procedures.handoff import load_layouts, read_csv

NAME = "黒桐　幹也"
DAY = dt.date(2026, 12, 4)
VISIT = {
    "event": "tenkyo",
    "event_date": "2026-12-01",
    "members": [
        {
            "name": NAME,
            "furigana": "こくとう　みきや",
            "birth_date": "1980-02-17",
            "sex": "male",
            "relationship": "self",
            "address": "東京都みどり川区若葉町1-2-3",
            "source": "card",
        }
    ],
    "answers": {"new_address": "東京都みどり川区若葉町4-5-6"},
}


def payloads() -> list[HandoffPayload]:
    catalog = load_catalog("default")
    visit = parse_visit(VISIT)
    guidance = guide(catalog, visit)
    visit_id = handoff_visit_id(uuid.UUID(int=7), DAY)
    return handoff_payloads(
        load_layouts(catalog), visit, guidance, guidance.procedures, visit_id, {"jumin_idou"}, DAY
    )


def outbox_for(local: LocalStore, tmp_path: Path, folder: Path) -> HandoffOutbox:
    keys = DraftKeys(local, "1番窓口", tmp_path / "config", machine_id_files=[])
    return HandoffOutbox(local, keys, FolderTarget(folder))


@pytest.fixture
def local(tmp_path: Path) -> Iterator[LocalStore]:
    store = LocalStore(tmp_path / "data" / "local.sqlite3")
    yield store
    store.close()


def disk(local: LocalStore) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(local.path.parent.glob("local.sqlite3*")))


def test_a_printed_tenkyo_makes_one_payload_with_the_idou_rows() -> None:
    (payload,) = payloads()
    visit_id = "V20261204-00000000"
    assert payload.visit_id == visit_id and payload.layout_id == "juki_utf8"
    (idou,) = payload.files  # only the 転居届's form was printed: no application rows
    assert idou.kind == "idou" and idou.name == f"20261204_juki_utf8_idou_{visit_id}.csv"
    assert payload.batch_ids == (f"{visit_id}-01",) and payload.row_ids == (f"{visit_id}-01-01",)


def test_sealed_at_rest_delivered_once_and_nothing_left(local: LocalStore, tmp_path: Path) -> None:
    folder = tmp_path / "handoff"
    outbox = outbox_for(local, tmp_path, folder)
    (payload,) = payloads()
    entry = outbox.enqueue(payload, DAY)
    with local.engine.connect() as connection:
        row = connection.execute(select(HANDOFF_OUTBOX)).one()
    assert row.state == WAITING and row.ciphertext is not None
    ciphertext = bytes(row.ciphertext)
    assert NAME.encode() not in disk(local) and b"1980" not in ciphertext
    assert NAME.encode() not in ciphertext

    result = outbox.deliver()
    assert (result.delivered, result.waiting) == (1, 0)
    (delivered,) = folder.iterdir()
    assert delivered.read_bytes() == payload.files[0].data
    layout = load_layouts(load_catalog("default"))["juki_utf8"]
    assert read_csv(layout, "idou", delivered.read_bytes())[0]["name"] == NAME
    # nothing readable left on the counter: the ciphertext is erased and overwritten, the WAL folded in
    (status,) = outbox.statuses(DAY, check_imported=False)
    assert status.entry_id == entry and status.state == DELIVERED and status.row_ids == payload.row_ids
    assert ciphertext not in disk(local) and NAME.encode() not in disk(local)
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]  # no temporary file either

    # delivering again changes nothing (exactly once)
    assert outbox.deliver().delivered == 0
    assert [p.name for p in folder.iterdir()] == [delivered.name]


def test_a_crash_after_writing_the_file_is_not_a_second_file(local: LocalStore, tmp_path: Path) -> None:
    folder = tmp_path / "handoff"
    outbox = outbox_for(local, tmp_path, folder)
    (payload,) = payloads()
    entry = outbox.enqueue(payload, DAY)
    outbox.target.deliver(entry, "1番窓口", payload, DAY)  # the counter died before its local mark
    assert outbox.deliver().delivered == 1
    assert len(list(folder.iterdir())) == 1


def test_a_different_file_of_the_same_name_is_never_overwritten(local: LocalStore, tmp_path: Path) -> None:
    folder = tmp_path / "handoff"
    folder.mkdir()
    outbox = outbox_for(local, tmp_path, folder)
    (payload,) = payloads()
    outbox.enqueue(payload, DAY)
    (folder / payload.files[0].name).write_bytes(b"other")
    result = outbox.deliver()
    assert (result.delivered, result.waiting, result.error) == (0, 1, "HandoffDeliveryError")
    assert (folder / payload.files[0].name).read_bytes() == b"other"
    (status,) = outbox.statuses(DAY)
    assert status.state == WAITING and status.attempts == 1


def test_an_unwritable_folder_keeps_the_entry_waiting(local: LocalStore, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    outbox = outbox_for(local, tmp_path, blocker / "handoff")
    (payload,) = payloads()
    outbox.enqueue(payload, DAY)
    assert outbox.deliver().waiting == 1
    outbox.target = FolderTarget(tmp_path / "handoff")  # the share is back
    assert outbox.deliver().delivered == 1


def test_imported_when_the_receiver_took_the_file(local: LocalStore, tmp_path: Path) -> None:
    folder = tmp_path / "handoff"
    outbox = outbox_for(local, tmp_path, folder)
    (payload,) = payloads()
    outbox.enqueue(payload, DAY)
    outbox.deliver()
    assert outbox.statuses(DAY)[0].state == DELIVERED
    for path in folder.iterdir():
        path.unlink()  # the core system's import job took it
    assert outbox.statuses(DAY)[0].state == IMPORTED


def test_redelivery_of_a_batch(local: LocalStore, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    outbox = outbox_for(local, tmp_path, blocker / "handoff")
    (payload,) = payloads()
    outbox.enqueue(payload, DAY)
    batch = payload.batch_ids[0]
    assert "届けられませんでした" in outbox.redeliver(batch)
    outbox.target = FolderTarget(tmp_path / "handoff")
    assert outbox.redeliver(batch) == f"一括番号「{batch}」を送りました"
    assert outbox.statuses(DAY)[0].state == DELIVERED
    # delivered to a folder: the counter kept nothing to send again, and says so
    assert "紙の届書から入力してください" in outbox.redeliver(batch)
    assert "ありません" in outbox.redeliver("V20990101-00000000-01")


def test_waiting_entries_are_erased_at_day_end(local: LocalStore, tmp_path: Path) -> None:
    outbox = outbox_for(local, tmp_path, tmp_path / "handoff")
    (payload,) = payloads()
    outbox.enqueue(payload, DAY)
    assert outbox.purge(dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)) == 0  # not yet
    assert outbox.purge(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)) == 1
    assert outbox.statuses() == [] and NAME.encode() not in disk(local)


def test_storage_makes_the_outbox_from_the_settings(tmp_path: Path) -> None:
    environ = {
        "MADOGUCHI_DATA_DIR": str(tmp_path / "data"),
        "MADOGUCHI_HANDOFF_TARGET": "folder",
        "MADOGUCHI_HANDOFF_FOLDER": str(tmp_path / "share"),
    }
    settings = load_settings(path=tmp_path / "config" / "madoguchi.toml", environ=environ)
    with CounterStorage(settings, background=False) as storage:
        assert storage.handoff is not None
        (payload,) = payloads()
        storage.handoff.enqueue(payload, DAY)
        result = storage.deliver_handoff()
        assert result is not None and result.delivered == 1
        assert [p.name for p in (tmp_path / "share").iterdir()] == [payload.files[0].name]
    with pytest.raises(ConfigError):
        load_settings(path=tmp_path / "c2.toml", environ={**environ, "MADOGUCHI_HANDOFF_FOLDER": ""})
    with pytest.raises(ConfigError):
        load_settings(path=tmp_path / "c3.toml", environ={**environ, "MADOGUCHI_HANDOFF_TARGET": "database"})
    plain = load_settings(path=tmp_path / "c4.toml", environ={"MADOGUCHI_DATA_DIR": str(tmp_path / "d2")})
    with CounterStorage(plain, background=False) as storage:
        assert storage.handoff is None and storage.deliver_handoff() is None


def test_files_carry_only_the_kinds_with_rows(tmp_path: Path) -> None:
    # the file's bytes are exactly what the layout writes (BOM, LF), one row per person
    (payload,) = payloads()
    data = payload.files[0].data
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\n") == 2
    assert isinstance(payload.files[0], HandoffFile)


class _Log:
    def __init__(self) -> None:
        self.finished: list[str] = []

    def visit_finished(self, session: Any, chosen: Any, outcome: str, printed: Any) -> None:
        self.finished.append(outcome)

    def audit(self, event: str, visit_id: str | None, detail: str = "") -> None:
        pass


def test_the_kiosk_queues_a_completed_printed_visit_only(local: LocalStore, tmp_path: Path) -> None:
    catalog = load_catalog("default")
    visit = parse_visit(VISIT)
    session = VisitSession(catalog, members=list(visit.members), answers=dict(visit.answers))
    session.set_event("tenkyo", dt.date(2026, 12, 1))
    session.answers = dict(visit.answers)
    outbox = outbox_for(local, tmp_path, tmp_path / "handoff")
    inner = _Log()
    woken: list[bool] = []
    log = HandoffVisitLog(
        inner, outbox, load_layouts(catalog), lambda: DAY, on_queued=lambda: woken.append(True)
    )
    chosen = list(session.guidance().procedures)
    log.visit_finished(session, chosen, VisitOutcome.CANCELLED, [])
    log.visit_finished(session, chosen, VisitOutcome.COMPLETED, [])  # nothing printed: nothing signed
    assert outbox.statuses() == [] and inner.finished == ["cancelled", "completed"]
    log.visit_finished(session, chosen, VisitOutcome.COMPLETED, [("jumin_idou", 2, 120)])
    (status,) = outbox.statuses(DAY, check_imported=False)
    assert status.visit_id == handoff_visit_id(session.visit_id, DAY) and status.state == WAITING
    assert woken == [True]
    # the clerk deselected every procedure: nothing to hand over
    log.visit_finished(session, [], VisitOutcome.COMPLETED, [("jumin_idou", 2, 120)])
    assert len(outbox.statuses()) == 1


def test_a_share_without_hard_links_still_gets_whole_new_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno
    import os

    def no_links(source: object, target: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    path = tmp_path / "a.csv"
    write_new_file(path, b"first")
    assert path.read_bytes() == b"first"
    with pytest.raises(FileExistsError):
        write_new_file(path, b"second")
    assert path.read_bytes() == b"first"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv"]  # no temporary file left
