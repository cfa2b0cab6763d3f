"""The PIN pad over the demo card, through real Qt widgets and the thread-pool runner."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from card_reader.virtual import VirtualCardProfile
from counter_app.adapters.card_source import DemoCardSource
from counter_app.presenters.identify import IdentifyPresenter, IdentifyStep
from counter_app.ui.pin_pad import IdentifyPage
from counter_app.ui.tasks import QtTaskRunner


def make_page(qtbot: QtBot, tries: int = 3) -> tuple[IdentifyPage, QtTaskRunner]:
    runner = QtTaskRunner()
    presenter = IdentifyPresenter(DemoCardSource(VirtualCardProfile(pin="4711", tries_left=tries)), runner)
    page = IdentifyPage(presenter)
    qtbot.addWidget(page)
    page.show()
    presenter.start()
    qtbot.waitUntil(lambda: presenter.view.value.step is not IdentifyStep.CHECKING, timeout=5000)
    return page, runner


def test_keyboard_pin_entry_reads_the_card(qtbot: QtBot) -> None:
    page, runner = make_page(qtbot)
    assert page.tries.text() == "暗証番号の残り回数: 3回"
    for key in (Qt.Key.Key_4, Qt.Key.Key_7, Qt.Key.Key_1, Qt.Key.Key_1):
        qtbot.keyClick(page, key)
    assert page.dots.text() == "●●●●"
    qtbot.keyClick(page, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.presenter.view.value.step is IdentifyStep.DONE, timeout=5000)
    assert page.presenter.view.value.details is not None
    assert runner.wait()


def test_pad_buttons_and_last_try_confirmation(qtbot: QtBot) -> None:
    page, runner = make_page(qtbot, tries=1)
    assert page.confirm_button.isVisible() and not page.keys.isVisible()
    qtbot.mouseClick(page.confirm_button, Qt.MouseButton.LeftButton)
    assert page.keys.isVisible()
    for digit in "0000":
        qtbot.mouseClick(page.digit_buttons[digit], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.presenter.view.value.step is IdentifyStep.LOCKED, timeout=5000)
    assert "ロック" in page.message.text()
    assert not page.keys.isVisible()
    assert runner.wait()
