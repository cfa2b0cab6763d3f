"""本日の再印刷 through the real window with the keyboard only (F8, Enter, F9), and the print preview
at real size: an A4 page is as wide on the screen as on paper (legible at 100 %)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from counter_app.presenters.reprint import ReprintStep
from counter_app.ui.main_window import MainWindow
from counter_app.ui.previews import PagePreviews
from counter_app.wiring.kiosk import Kiosk
from tests.unit.app.kiosk_helpers import demo_kiosk
from tests.unit.app.test_reprint import TODAY, printed_visit

A4_WIDTH_INCHES = 210 / 25.4


@pytest.fixture
def app(qtbot: QtBot, tmp_path: Path) -> Iterator[tuple[Kiosk, MainWindow]]:
    parts = demo_kiosk(tmp_path)
    parts.kiosk.today = parts.printer.today = lambda: TODAY
    assert parts.reprint is not None
    parts.reprint.today = lambda: TODAY
    window = MainWindow(
        parts.kiosk,
        parts.printer,
        parts.idle,
        "1番窓口",
        False,
        parts.status,
        reprint=parts.reprint,
    )
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield parts, window
    parts.printer.stop()
    parts.storage.close()


def test_f8_enter_f9_reprints_todays_visit_at_real_size(
    qtbot: QtBot, app: tuple[Kiosk, MainWindow], tmp_path: Path
) -> None:
    parts, window = app
    printed_visit(parts)
    printed = len(list((tmp_path / "out").iterdir()))
    dialog = window.open_reprint()
    assert dialog is not None
    qtbot.waitExposed(dialog)
    panel = dialog.panel
    assert panel.visits.count() == 1
    qtbot.waitUntil(panel.visits.hasFocus)
    qtbot.keyClick(panel.visits, Qt.Key.Key_Return)  # open the visit
    assert parts.reprint is not None
    assert parts.reprint.view.value.step is ReprintStep.READY
    qtbot.waitUntil(panel.documents.hasFocus)
    previews: PagePreviews = panel.previews
    assert previews.pages
    dpi = previews.logicalDpiX()
    width = previews.pages[0].image().width()
    assert abs(width - A4_WIDTH_INCHES * dpi) <= 2  # real size
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F9)  # すべて再印刷
    qtbot.waitUntil(lambda: len(list((tmp_path / "out").iterdir())) == 2 * printed, timeout=5000)
    assert panel.error.text() == ""
    dialog.reject()
    assert parts.reprint.view.value.selected is None  # closing leaves no details on screen


def test_the_print_step_previews_pages_at_real_size(qtbot: QtBot, app: tuple[Kiosk, MainWindow]) -> None:
    from counter_app.presenters.kiosk import Step
    from counter_app.ui.pages.print_page import PrintPage
    from tests.unit.app.kiosk_helpers import identify

    parts, window = app
    identify(parts.kiosk)
    parts.kiosk.choose_event("shoumei")
    parts.kiosk.household_done()
    from tests.unit.procedures.flow import any_answer

    while parts.kiosk.view.value.step is Step.QUESTIONS:
        pending = parts.kiosk.questions.value.question
        assert pending is not None
        parts.kiosk.answer(any_answer(pending.question))
    parts.kiosk.go_print()
    page = window.pages[Step.PRINT]
    assert isinstance(page, PrintPage)
    qtbot.waitUntil(lambda: bool(page.previews.pages))
    dpi = page.previews.logicalDpiX()
    assert abs(page.previews.pages[0].image().width() - A4_WIDTH_INCHES * dpi) <= 2
    qtbot.waitUntil(lambda: page.previews.verticalScrollBar().maximum() > 0)  # the pages scroll


def test_the_supervisor_menu_has_the_reprint_tab_audited_as_the_supervisor(
    qtbot: QtBot, app: tuple[Kiosk, MainWindow]
) -> None:
    from counter_app.presenters.supervisor import SupervisorMenu
    from counter_app.ui.supervisor import SupervisorDialog

    parts, window = app
    printed_visit(parts)
    parts.storage.supervisors.add("kanri", "a-long-passphrase-1")
    session = parts.storage.supervisors.sign_in("kanri", "a-long-passphrase-1")
    menu = SupervisorMenu(parts.storage, parts.storage.settings, labels={}, reprint=parts.reprint)
    dialog = SupervisorDialog(menu, session, parent=window)
    dialog.open()
    assert dialog.reprint is not None
    titles = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    assert "再印刷・訂正" in titles
    assert parts.reprint is not None and parts.reprint.actor == "supervisor:kanri"
    dialog.tabs.setCurrentWidget(dialog.reprint)
    qtbot.waitUntil(lambda: dialog.reprint is not None and dialog.reprint.visits.count() == 1)
    dialog.reject()
    assert parts.reprint.actor == "clerk"  # back at the counter, reprints are the clerk's again
