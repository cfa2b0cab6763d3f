"""The resident's screen: the resident types the PIN there (the clerk's screen shows progress only),
then confirms their details and the address printed on the forms; nothing stays between visits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from counter_app.adapters.card_source import DemoCardSource
from counter_app.presenters.identify import IdentifyStep
from counter_app.presenters.kiosk import KioskPresenter, Step
from counter_app.settings.config import ConfigError, Settings, load_settings
from counter_app.ui.main_window import MainWindow
from counter_app.ui.pin_pad import IdentifyPage
from counter_app.ui.resident_window import ResidentWindow
from counter_app.wiring.kiosk import Kiosk, build_kiosk
from counter_app.workflow.tasks import ImmediateRunner
from tests.unit.app.kiosk_helpers import identify
from tests.unit.procedures.flow import any_answer


@pytest.fixture
def screens(qtbot: QtBot, tmp_path: Path) -> Iterator[tuple[Kiosk, MainWindow, ResidentWindow]]:
    settings = Settings(counter_name="1番窓口", data_dir=tmp_path / "data", config_path=tmp_path / "c.toml")
    parts = build_kiosk(settings, ImmediateRunner(), card_source=DemoCardSource())
    parts.kiosk.today = lambda: dt.date(2026, 11, 23)
    window = MainWindow(parts.kiosk, parts.printer, parts.idle, settings.counter_name, False, parts.status)
    resident = ResidentWindow(parts.kiosk, settings.counter_name)
    for widget in (window, resident):
        qtbot.addWidget(widget)
        widget.show()
    window.pin_on_resident_screen(True)
    yield parts, window, resident
    parts.printer.stop()
    parts.storage.close()


def step(kiosk: KioskPresenter) -> Step:
    return kiosk.view.value.step


def test_the_resident_types_the_pin_on_their_own_screen(
    qtbot: QtBot, screens: tuple[Kiosk, MainWindow, ResidentWindow]
) -> None:
    parts, window, resident = screens
    kiosk = parts.kiosk
    assert "いらっしゃいませ" in resident.title.text()
    kiosk.card_inserted()
    assert resident.stack.currentWidget() is resident.pin_pad
    clerk_pad = window.pages[Step.IDENTIFY]
    assert isinstance(clerk_pad, IdentifyPage)
    assert not clerk_pad.keys.isVisible()  # the clerk sees progress, not a keypad
    assert clerk_pad.message.text() == "ご本人が本人確認用の画面で暗証番号を入力しています"
    assert resident.pin_pad.keys.isVisible()
    for digit in "1234":
        qtbot.mouseClick(resident.pin_pad.digit_buttons[digit], Qt.MouseButton.LeftButton)
    assert resident.pin_pad.dots.text() == "●●●●"
    qtbot.mouseClick(resident.pin_pad.ok_button, Qt.MouseButton.LeftButton)
    assert kiosk.identify.view.value.step is IdentifyStep.DONE
    assert step(kiosk) is Step.MEMBER
    assert resident.stack.currentWidget() is resident.info


def test_the_resident_confirms_details_and_address_before_printing(
    screens: tuple[Kiosk, MainWindow, ResidentWindow],
) -> None:
    parts, _window, resident = screens
    kiosk = parts.kiosk
    identify(kiosk)
    kiosk.choose_event("shoumei")
    kiosk.household_done()
    assert kiosk.session is not None
    name = kiosk.session.members[0].name
    while step(kiosk) is Step.QUESTIONS:
        pending = kiosk.questions.value.question
        assert pending is not None
        kiosk.answer(any_answer(pending.question))
    assert step(kiosk) is Step.REVIEW
    assert resident.title.text() == "この内容で書類をお作りします。お間違いがないか、ご確認ください。"
    assert f"{name}" in resident.details.text() and "様" in resident.details.text()
    assert "書類に記載する住所:" in resident.details.text()

    kiosk.request_cancel()
    kiosk.cancel("resident_request")
    assert name not in resident.details.text()
    assert "いらっしゃいませ" in resident.title.text()


def test_the_setting_chooses_when_the_screen_is_shown(tmp_path: Path) -> None:
    path = tmp_path / "madoguchi.toml"
    path.write_text('[devices]\nresident_screen = "on"\n', encoding="utf-8")
    assert load_settings(path, environ={}).resident_screen == "on"
    assert load_settings(tmp_path / "none.toml", environ={}).resident_screen == "auto"
    path.write_text('[devices]\nresident_screen = "yes"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        load_settings(path, environ={})
    assert refused.value.reason == "auto、on、off のどれかを指定してください"
