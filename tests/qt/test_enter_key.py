"""Enter does what the page's main button says, on every page, through the real window: the clerk
reaches the questions, the preview, the end of the visit and the next resident without the mouse."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from counter_app.adapters.card_source import DemoCardSource
from counter_app.presenters.kiosk import KioskPresenter, Step
from counter_app.presenters.printing import PrintStep
from counter_app.settings.config import Settings
from counter_app.ui.main_window import MainWindow
from counter_app.ui.pages.print_page import PrintPage
from counter_app.wiring.kiosk import Kiosk, build_kiosk
from counter_app.workflow.tasks import ImmediateRunner
from tests.unit.app.kiosk_helpers import identify
from tests.unit.procedures.flow import any_answer


@pytest.fixture
def app(qtbot: QtBot, tmp_path: Path) -> Iterator[tuple[Kiosk, MainWindow]]:
    settings = Settings(counter_name="1番窓口", data_dir=tmp_path / "data", config_path=tmp_path / "c.toml")
    parts = build_kiosk(settings, ImmediateRunner(), card_source=DemoCardSource())
    parts.kiosk.today = lambda: dt.date(2026, 11, 23)
    window = MainWindow(parts.kiosk, parts.printer, parts.idle, settings.counter_name, False, parts.status)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield parts, window
    parts.printer.stop()
    parts.storage.close()


def step(kiosk: KioskPresenter) -> Step:
    return kiosk.view.value.step


def press(qtbot: QtBot, key: Qt.Key | str) -> None:
    """A key as the clerk types it: to whatever has the keyboard focus."""
    target = QApplication.focusWidget()
    assert target is not None, "nothing has the keyboard focus"
    if isinstance(key, str):
        qtbot.keyClicks(target, key)
    else:
        qtbot.keyClick(target, key)


def test_a_certificate_visit_with_the_keyboard_only(qtbot: QtBot, app: tuple[Kiosk, MainWindow]) -> None:
    parts, window = app
    kiosk = parts.kiosk
    kiosk.card_inserted()  # the resident puts the card on the reader
    qtbot.waitUntil(lambda: kiosk.view.value.step is Step.IDENTIFY)
    qtbot.keyClicks(window.pages[Step.IDENTIFY], "1234")
    qtbot.keyClick(window.pages[Step.IDENTIFY], Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: kiosk.view.value.step is Step.MEMBER)

    # The details page: the four details come from the card; Enter confirms them.
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    press(qtbot, Qt.Key.Key_Return)
    assert step(kiosk) is Step.EVENT

    # The event page: number keys choose the life event.
    events = list(kiosk.catalog.events)
    qtbot.keyClick(window.pages[Step.EVENT], str(events.index("shoumei") + 1))
    assert step(kiosk) is Step.HOUSEHOLD

    # The household page: Enter goes on to the questions (or straight to the review).
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    press(qtbot, Qt.Key.Key_Return)
    assert step(kiosk) in (Step.QUESTIONS, Step.REVIEW)


def test_print_and_done_pages_answer_enter(qtbot: QtBot, app: tuple[Kiosk, MainWindow]) -> None:
    parts, window = app
    kiosk = parts.kiosk
    identify(kiosk)
    kiosk.choose_event("shoumei")
    kiosk.household_done()
    guard = 0
    while kiosk.view.value.step is Step.QUESTIONS and guard < 30:
        pending = kiosk.questions.value.question
        assert pending is not None
        kiosk.answer(any_answer(pending.question))
        guard += 1
    assert step(kiosk) is Step.REVIEW
    kiosk.go_print()
    qtbot.waitUntil(lambda: parts.printer.view.value.step is PrintStep.PREVIEW)

    press(qtbot, Qt.Key.Key_Return)  # 印刷する(Enter)
    qtbot.waitUntil(lambda: parts.printer.view.value.step is PrintStep.DONE, timeout=10000)
    page = window.pages[Step.PRINT]
    assert isinstance(page, PrintPage)
    qtbot.waitUntil(page.done_button.hasFocus)
    press(qtbot, Qt.Key.Key_Return)  # 受付を終える
    assert step(kiosk) is Step.DONE
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    press(qtbot, Qt.Key.Key_Return)  # 次の方(Enter)
    assert step(kiosk) is Step.WAITING


def test_esc_then_a_number_cancels_the_visit(qtbot: QtBot, app: tuple[Kiosk, MainWindow]) -> None:
    parts, window = app
    kiosk = parts.kiosk
    identify(kiosk)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    press(qtbot, Qt.Key.Key_Escape)
    assert kiosk.view.value.cancelling
    qtbot.waitUntil(window.cancel_bar.isVisible)
    qtbot.waitUntil(window.cancel_bar.hasFocus)
    press(qtbot, "1")  # ご本人の申し出
    assert step(kiosk) is Step.WAITING
    assert not window.cancel_bar.isVisible()
    assert kiosk.session is None


def test_f2_on_the_pin_pad_continues_by_typing(qtbot: QtBot, app: tuple[Kiosk, MainWindow]) -> None:
    parts, _window = app
    kiosk = parts.kiosk
    kiosk.card_inserted()
    qtbot.waitUntil(lambda: step(kiosk) is Step.IDENTIFY)
    press(qtbot, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: step(kiosk) is Step.MEMBER)  # a button's shortcut clicks it after 100 ms
