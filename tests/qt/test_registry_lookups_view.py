"""監督者メニュー「住民記録の照会」: lookups per clerk and day, from the counter's audit log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from counter_app.adapters.storage import CounterStorage
from counter_app.adapters.store.records import AuditKind
from counter_app.presenters.supervisor import SupervisorMenu
from counter_app.settings.config import load_settings
from counter_app.ui.supervisor import SupervisorDialog
from tests.unit.store.conftest import no_os_key_store  # noqa: F401


@pytest.fixture
def storage(tmp_path: Path) -> Iterator[CounterStorage]:
    settings = load_settings(
        path=tmp_path / "config" / "madoguchi.toml",
        environ={"MADOGUCHI_DATA_DIR": str(tmp_path / "data"), "MADOGUCHI_COUNTER_NAME": "1番窓口"},
    )
    opened = CounterStorage(settings, background=False)
    opened.start()
    opened.supervisors.add("kacho", "madoguchi-2026")
    yield opened
    opened.close(flush=False)


def test_the_tab_lists_lookups_per_clerk(qtbot: QtBot, storage: CounterStorage) -> None:
    now = dt.datetime.now(storage.settings.zone)
    for kind, clerk in (
        (AuditKind.REGISTRY_LOOKUP, "sato.k"), (AuditKind.REGISTRY_LOOKUP, "sato.k"),
        (AuditKind.REGISTRY_SEARCH, "sato.k"), (AuditKind.REGISTRY_REFUSED, "suzuki.a"),
        (AuditKind.PRINT, "sato.k"),  # not a lookup
    ):  # fmt: skip
        storage.recorder.audit(kind, clerk_id=clerk, detail={"how": "card"}, at=now)
    storage.recorder.audit(
        AuditKind.REGISTRY_LOOKUP, clerk_id="sato.k", detail={"how": "card"}, at=now - dt.timedelta(days=3)
    )
    parent = QWidget()
    qtbot.addWidget(parent)
    session = storage.supervisors.sign_in("kacho", "madoguchi-2026")
    dialog = SupervisorDialog(SupervisorMenu(storage, storage.settings, labels={}), session, parent=parent)
    view = dialog.registry_lookups
    table = view.table

    def cells() -> list[list[str]]:
        out = []
        for r in range(table.rowCount()):
            items = [table.item(r, c) for c in range(table.columnCount())]
            out.append([item.text() if item is not None else "" for item in items])
        return out

    today = now.date().isoformat()
    assert cells() == [
        [today, "sato.k", "1番窓口", "2", "1", "0", "3"],
        [today, "suzuki.a", "1番窓口", "0", "0", "1", "1"],
    ]
    view.period.setCurrentIndex(1)  # この7日間
    assert len(cells()) == 3 and cells()[0][0] == (now.date() - dt.timedelta(days=3)).isoformat()
    dialog.reject()
