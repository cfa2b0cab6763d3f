"""A counter without a resident's screen: the clerk chooses the guide sheet's language on the review
page (Alt+L, keys only), the sheet prints in that language beside Japanese, and the next visit starts in
Japanese again. With a resident's screen the review page shows the resident's own choice."""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from counter_app.adapters.card_source import DemoCardSource
from counter_app.presenters.kiosk import KioskPresenter, Step
from counter_app.settings.config import Settings
from counter_app.ui.main_window import MainWindow
from counter_app.ui.pages.review import ReviewPage
from counter_app.wiring.kiosk import Kiosk, build_kiosk
from counter_app.workflow.tasks import ImmediateRunner
from tests.unit.app.kiosk_helpers import answer_all, identify


@pytest.fixture
def counter(qtbot: QtBot, tmp_path: Path) -> Iterator[tuple[Kiosk, MainWindow]]:
    settings = Settings(counter_name="2番窓口", data_dir=tmp_path / "data", config_path=tmp_path / "c.toml")
    parts = build_kiosk(settings, ImmediateRunner(), card_source=DemoCardSource())
    parts.kiosk.today = lambda: dt.date(2026, 11, 24)
    window = MainWindow(
        parts.kiosk,
        parts.printer,
        parts.idle,
        settings.counter_name,
        False,
        parts.status,
        resident_language=parts.resident_language,
    )
    qtbot.addWidget(window)
    window.show()
    yield parts, window
    parts.printer.stop()
    parts.storage.close()


def to_review(kiosk: KioskPresenter) -> None:
    identify(kiosk)
    answer_all(kiosk, "tennyu")


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "guide.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_the_clerk_chooses_the_language_with_keys_and_the_sheet_follows(
    qtbot: QtBot, tmp_path: Path, counter: tuple[Kiosk, MainWindow]
) -> None:
    parts, window = counter
    kiosk = parts.kiosk
    to_review(kiosk)
    page = window.pages[Step.REVIEW]
    assert isinstance(page, ReviewPage)
    assert page.guide_language.isVisible()
    assert page.guide_language.currentData() == "ja"
    assert page.forms.text().endswith("、窓口案内シート")
    page.tree.setFocus()
    qtbot.keyClick(page, Qt.Key.Key_L, Qt.KeyboardModifier.AltModifier)  # the label's mnemonic
    assert page.guide_language.hasFocus()
    wanted = page.guide_language.findData("pt-BR")
    assert page.guide_language.itemText(wanted) == "ポルトガル語(ブラジル)と日本語"
    while page.guide_language.currentIndex() != wanted:
        qtbot.keyClick(page.guide_language, Qt.Key.Key_Down)
    assert parts.resident_language.language.value == "pt-BR"
    assert page.forms.text().endswith("、窓口案内シート(ポルトガル語(ブラジル)と日本語)")
    kiosk.go_print()
    documents = parts.printer.view.value.documents
    assert documents, parts.printer.view.value.message
    guide = documents[-1]
    assert guide.title == "窓口案内シート(ポルトガル語(ブラジル))"
    text = pdf_text(guide.pdf, tmp_path)
    assert "窓口案内シート" in text and "Guia" in text

    kiosk.request_cancel()
    kiosk.cancel("resident_request")
    assert parts.resident_language.language.value == "ja"
    assert page.guide_language.currentData() == "ja"


def test_japanese_only_unless_chosen(counter: tuple[Kiosk, MainWindow]) -> None:
    parts, _window = counter
    kiosk = parts.kiosk
    to_review(kiosk)
    kiosk.go_print()
    guide = parts.printer.view.value.documents[-1]
    assert guide.title == "窓口案内シート"


def test_the_review_page_shows_the_residents_own_choice(counter: tuple[Kiosk, MainWindow]) -> None:
    parts, window = counter
    page = window.pages[Step.REVIEW]
    assert isinstance(page, ReviewPage)
    parts.resident_language.choose("ne")  # as the resident's screen does
    assert page.guide_language.currentData() == "ne"
    assert page.guide_language.currentText() == "ネパール語と日本語"

