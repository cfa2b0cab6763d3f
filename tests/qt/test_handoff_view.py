"""The supervisor's 引き渡し tab over a real SQLite CounterStorage with a hand-off folder: today's
hand-offs with their state (送信待ち → 送信済み → 取込済み) and re-delivery of a batch."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from counter_app.adapters.storage import CounterStorage
from counter_app.presenters.handoff_list import NOT_CONFIGURED, HandoffListPresenter
from counter_app.presenters.supervisor import SupervisorMenu
from counter_app.settings.config import Settings
from counter_app.ui.supervisor import SupervisorDialog
from counter_app.ui.supervisor.handoff_view import HandoffView
from tests.qt.test_supervisor import LOGIN, PASSWORD, make_settings, no_os_key_store  # noqa: F401
from tests.unit.store.test_handoff_outbox import DAY, NAME, payloads


@pytest.fixture
def share(tmp_path: Path) -> Path:
    return tmp_path / "share"


@pytest.fixture
def storage(tmp_path: Path, share: Path) -> Iterator[CounterStorage]:
    settings = make_settings(tmp_path, MADOGUCHI_HANDOFF_TARGET="folder", MADOGUCHI_HANDOFF_FOLDER=str(share))
    opened = CounterStorage(settings, background=False)
    opened.start()
    yield opened
    opened.close()


def cells(view: HandoffView) -> list[list[str]]:
    table = view.table
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]  # type: ignore[union-attr]
        for r in range(table.rowCount())
    ]


def test_the_tab_lists_todays_hand_offs_and_their_state(
    qtbot: QtBot, storage: CounterStorage, share: Path
) -> None:
    assert storage.handoff is not None
    (payload,) = payloads()
    storage.handoff.enqueue(payload, DAY)
    view = HandoffView(HandoffListPresenter(storage.handoff, storage.settings.zone, today=lambda: DAY))
    qtbot.addWidget(view)
    view.refresh()
    (row,) = cells(view)
    assert row[1:8] == [
        payload.visit_id,
        "juki_utf8",
        payload.batch_ids[0],
        "1",
        "0",
        "送信待ち",
        "フォルダー",
    ]
    assert all(NAME not in cell for cell in row)  # ids and states only

    storage.deliver_handoff()
    view.refresh()
    assert cells(view)[0][6] == "送信済み"
    for path in share.iterdir():
        path.unlink()  # the core system's import job took the file
    view.refresh()
    assert cells(view)[0][6] == "取込済み"

    assert view.batch_choice.currentText() == payload.batch_ids[0]
    qtbot.mouseClick(view.redeliver_button, Qt.MouseButton.LeftButton)
    assert "紙の届書から入力してください" in view.message.text()


def test_without_a_hand_off_target_the_tab_says_so(qtbot: QtBot, tmp_path: Path) -> None:
    settings: Settings = make_settings(tmp_path)
    with CounterStorage(settings, background=False) as plain:
        view = HandoffView(HandoffListPresenter(plain.handoff, settings.zone))
        qtbot.addWidget(view)
        view.refresh()
        assert view.table.rowCount() == 0 and not view.redeliver_button.isEnabled()
        assert view.message.text() == NOT_CONFIGURED


def test_the_supervisor_menu_has_the_tab(qtbot: QtBot, storage: CounterStorage) -> None:
    storage.supervisors.add(LOGIN, PASSWORD)
    session = storage.supervisors.sign_in(LOGIN, PASSWORD)
    parent = QWidget()
    qtbot.addWidget(parent)
    dialog = SupervisorDialog(SupervisorMenu(storage, storage.settings), session, parent=parent)
    titles = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    assert titles == ["統計", "引き渡し", "住民記録の照会", "設定"]
    assert dialog.handoff.presenter.enabled
    dialog.reject()
