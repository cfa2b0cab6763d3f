"""A full visit through storage, and a search of everything written for the resident's details.

Used on SQLite (tests/unit/store/test_privacy.py) and on PostgreSQL (tests/integration). The resident
is read from the virtual My Number card (in process, PIN verified) as the kiosk would.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from card_reader.basic_four import BasicFour, Sex
from card_reader.mynumber import KenmenHojoSession
from card_reader.pin import Pin
from card_reader.virtual import InProcessConnection, VirtualCardProfile, VirtualMyNumberCard
from counter_app.adapters.storage import CounterStorage
from counter_app.adapters.store.records import (
    AuditKind,
    IdentifiedBy,
    PrintJobRecord,
    ProcedureChoice,
    VisitOutcome,
    VisitRecord,
)
from tests.unit.store.factories import TOKYO

RESIDENT = VirtualCardProfile(
    name="鳩ヶ谷\u3000凜々子",
    address="東京都練馬区豊玉北六丁目１２番１号　グランメゾン豊玉３０２号室",
    birth_date=dt.date(1987, 9, 23),
    sex=Sex.FEMALE,
    pin="4821",
)


def read_card() -> BasicFour:
    session = KenmenHojoSession(InProcessConnection(VirtualMyNumberCard(RESIDENT)))
    session.verify_pin(Pin(RESIDENT.pin))
    return session.read_basic_four()


@contextmanager
def capture_all_logs(path: Path) -> Iterator[None]:
    """Every log line of every logger, at DEBUG (SQLAlchemy's statements included), into ``path``."""
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    engine_log = logging.getLogger("sqlalchemy.engine")
    old_levels = root.level, engine_log.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    engine_log.setLevel(logging.DEBUG)
    try:
        yield
    finally:
        root.removeHandler(handler)
        root.setLevel(old_levels[0])
        engine_log.setLevel(old_levels[1])
        handler.close()


def full_visit(storage: CounterStorage) -> tuple[uuid.UUID, BasicFour]:
    """Card read, draft saved at every step, forms printed, visit recorded; the last draft stays (as if the
    counter lost power before the visit was closed). Returns the visit id and the details read."""
    details = read_card()
    visit_id = uuid.uuid4()
    started = dt.datetime.now(TOKYO)
    recorder = storage.recorder
    recorder.audit(AuditKind.PIN_REFUSED, visit_id=visit_id, detail={"tries_left": 2})
    recorder.audit(AuditKind.CARD_READ, visit_id=visit_id, detail={"method": "card"})
    state: dict[str, object] = {
        "details": details.to_json(),
        "furigana": "はとがや りりこ",
        "step": "identify",
    }
    storage.drafts.save_draft(visit_id, state)
    state.update(step="questions", answers={"moving_from": "other_city", "children": 1})
    storage.drafts.save_draft(visit_id, state)
    jobs = []
    for form_id, chars in (("tennyu_todoke", 142), ("kokuho_kanyu", 88)):
        job = PrintJobRecord(uuid.uuid4(), form_id, dt.datetime.now(TOKYO), pages=1, prefilled_chars=chars)
        jobs.append(job)
        recorder.audit(AuditKind.PRINT, visit_id=visit_id, detail={"form_id": form_id, "pages": 1})
    state.update(step="printed")
    storage.drafts.save_draft(visit_id, state)
    record = VisitRecord(
        visit_id=visit_id,
        counter=storage.settings.counter_name,
        life_event="move_in",
        started_at=started,
        finished_at=dt.datetime.now(TOKYO),
        outcome=VisitOutcome.COMPLETED,
        identified_by=IdentifiedBy.CARD,
        clerk_id="clerk-07",
        procedures=(ProcedureChoice("juminhyo"), ProcedureChoice("kokuho")),
        print_jobs=tuple(jobs),
    )
    recorder.record_visit(record)
    storage.sync.flush()
    return visit_id, details


def needles(details: BasicFour) -> dict[str, list[bytes]]:
    """The resident's details in every form they could take in a file: UTF-8, UTF-16, JSON escapes."""
    forms: dict[str, list[str]] = {
        "name": [details.name, *details.name.split("\u3000")],
        "address": [details.address, "豊玉北六丁目", "グランメゾン豊玉"],
        "birth date": [details.birth_date.isoformat(), details.birth_date.strftime("%Y%m%d"), "1987/09/23"],
        "furigana": ["はとがや"],
    }
    found: dict[str, list[bytes]] = {}
    for what, texts in forms.items():
        encoded: list[bytes] = []
        for text in texts:
            encoded += [text.encode("utf-8"), text.encode("utf-16-le"), json.dumps(text).strip('"').encode()]
        found[what] = encoded
    return found


def find_personal_data(blobs: dict[str, bytes], details: BasicFour) -> list[str]:
    """``what in where`` for every needle found in any blob (empty: nothing found)."""
    hits = []
    for where, blob in blobs.items():
        for what, forms in needles(details).items():
            if any(form in blob for form in forms):
                hits.append(f"{what} in {where}")
    return hits


def files_under(*folders: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for folder in folders for p in sorted(folder.rglob("*")) if p.is_file()}
