"""The resident's screen in the language the resident chooses there: the PIN prompts, the details to
confirm and the procedures with their reasons; the clerk's screen stays Japanese, and the next visit
starts in Japanese again."""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from counter_app.adapters.card_source import DemoCardSource
from counter_app.presenters.identify import IdentifyStep
from counter_app.presenters.kiosk import KioskPresenter, Step
from counter_app.presenters.resident_language import JA, TRANSLATIONS, with_readings
from counter_app.settings.config import Settings
from counter_app.ui.main_window import MainWindow
from counter_app.ui.pin_pad import IdentifyPage
from counter_app.ui.resident_window import ResidentWindow
from counter_app.wiring.kiosk import Kiosk, build_kiosk
from counter_app.workflow.tasks import ImmediateRunner
from procedures.i18n import LANGUAGES
from tests.unit.app.kiosk_helpers import identify
from tests.unit.procedures.flow import any_answer


@pytest.fixture
def screens(qtbot: QtBot, tmp_path: Path) -> Iterator[tuple[Kiosk, MainWindow, ResidentWindow]]:
    settings = Settings(counter_name="1番窓口", data_dir=tmp_path / "data", config_path=tmp_path / "c.toml")
    parts = build_kiosk(settings, ImmediateRunner(), card_source=DemoCardSource())
    parts.kiosk.today = lambda: dt.date(2026, 11, 23)
    window = MainWindow(parts.kiosk, parts.printer, parts.idle, settings.counter_name, False, parts.status)
    resident = ResidentWindow(parts.kiosk, settings.counter_name, parts.resident_language)
    for widget in (window, resident):
        qtbot.addWidget(widget)
        widget.show()
    window.pin_on_resident_screen(True)
    yield parts, window, resident
    parts.printer.stop()
    parts.storage.close()


def choose(resident: ResidentWindow, code: str) -> None:
    resident.chooser.setCurrentIndex(resident.chooser.findData(code))


def words(code: str, key: str, **values: object) -> str:
    return with_readings(TRANSLATIONS[code].get(key, JA[key]).format(**values))


def step(kiosk: KioskPresenter) -> Step:
    return kiosk.view.value.step


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_the_pin_prompts_are_in_the_residents_language_and_the_clerks_stay_japanese(
    code: str, qtbot: QtBot, screens: tuple[Kiosk, MainWindow, ResidentWindow]
) -> None:
    parts, window, resident = screens
    kiosk = parts.kiosk
    choose(resident, code)
    assert resident.title.text() == words(code, "welcome", counter="1番窓口")
    kiosk.card_inserted()
    pad = resident.pin_pad
    assert resident.stack.currentWidget() is pad
    assert pad.title.text() == words(code, "pin_title")
    assert pad.message.text() == words(code, "pin_enter")
    assert pad.ok_button.text() == words(code, "ok")
    tries = kiosk.identify.view.value.tries_left
    assert tries is not None and pad.tries.text() == words(code, "tries", n=tries)
    clerk_pad = window.pages[Step.IDENTIFY]
    assert isinstance(clerk_pad, IdentifyPage)
    assert clerk_pad.message.text() == "ご本人が本人確認用の画面で暗証番号を入力しています"
    assert clerk_pad.ok_button.text() == "決定"
    for digit in "1234":
        qtbot.mouseClick(pad.digit_buttons[digit], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(pad.ok_button, Qt.MouseButton.LeftButton)
    assert kiosk.identify.view.value.step is IdentifyStep.DONE
    assert step(kiosk) is Step.MEMBER
    assert resident.title.text() == words(code, "confirm_details")
    assert kiosk.confirm_member()
    assert kiosk.session is not None
    member = kiosk.session.members[0]
    assert member.name in resident.details.text()  # the name exactly as on the card


def test_details_and_procedures_in_the_residents_language_then_japanese_for_the_next(
    screens: tuple[Kiosk, MainWindow, ResidentWindow],
) -> None:
    parts, _window, resident = screens
    kiosk = parts.kiosk
    choose(resident, "vi")
    identify(kiosk)
    kiosk.choose_event("tennyu")
    kiosk.household_done()
    assert kiosk.session is not None
    name = kiosk.session.members[0].name
    assert "Ngày sinh" in resident.details.text() and name in resident.details.text()
    catalog = kiosk.catalog
    seen: set[str] = set()
    while step(kiosk) is Step.QUESTIONS:
        pending = kiosk.questions.value.question
        assert pending is not None
        guidance = kiosk.questions.value.guidance
        if guidance is not None:
            lines = [resident.procedures.item(i).text() for i in range(resident.procedures.count())]
            for needed in guidance.procedures:
                text = catalog.translations.procedure("vi", needed.procedure.id)
                if text is not None:
                    assert any(line.startswith(text.name + " — ") for line in lines), (text.name, lines)
                    seen.add(needed.procedure.id)
                else:  # never silently Japanese: the Japanese with the note
                    wanted = f"{needed.procedure.name} — {needed.reason} (chỉ có tiếng Nhật)"
                    assert wanted in lines, lines
        kiosk.answer(any_answer(pending.question))
    assert seen, "no translated procedure was listed"
    assert resident.title.text() == words("vi", "confirm_review")
    kiosk.request_cancel()
    kiosk.cancel("resident_request")
    assert resident.title.text() == "1番窓口\nいらっしゃいませ"
    assert resident.chooser.currentData() == "ja"
    assert name not in resident.details.text()


def test_the_guide_sheet_is_printed_in_the_language_the_resident_chose(
    tmp_path: Path, screens: tuple[Kiosk, MainWindow, ResidentWindow]
) -> None:
    parts, _window, resident = screens
    kiosk = parts.kiosk
    choose(resident, "ko")
    identify(kiosk)
    kiosk.choose_event("tennyu")
    kiosk.household_done()
    while step(kiosk) is Step.QUESTIONS:
        pending = kiosk.questions.value.question
        assert pending is not None
        kiosk.answer(any_answer(pending.question))
    kiosk.go_print()
    documents = parts.printer.view.value.documents
    assert documents, parts.printer.view.value.message
    guide = documents[-1]
    assert guide.title == "窓口案内シート(韓国語)"
    pdf = tmp_path / "guide.pdf"
    pdf.write_bytes(guide.pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "창구 안내" in text and "窓口案内シート" in text
