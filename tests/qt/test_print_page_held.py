"""The print page with a form held back (issue 14 item 4): the clerk reads which field on which form,
and the 「文字を小さくする」 button brings the held forms into the preview."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from counter_app.presenters.kiosk import KioskPresenter
from counter_app.presenters.printing import PrintPresenter, PrintStep
from counter_app.ui.pages.print_page import PrintPage
from counter_app.workflow.documents import DocumentService
from counter_app.workflow.tasks import ImmediateRunner
from forms import FormRenderer, load_fonts, load_library
from printing import AesGcmCodec
from printing.folder_backend import FolderBackend
from printing.queue import PrintQueue
from procedures.catalog import load_catalog
from tests.helpers.held import FakeSession, long_reading_household


def test_held_forms_are_named_and_the_smaller_font_is_offered(qtbot: QtBot, tmp_path: Path) -> None:
    catalog = load_catalog(None)
    fonts = load_fonts()
    renderer = FormRenderer(load_library(fonts=fonts), fonts)
    visit, guidance, _ = long_reading_household(catalog)
    presenter = PrintPresenter(
        DocumentService(catalog, renderer, fonts),
        PrintQueue(  # nothing is printed here; the printer is looked up before the preview
            tmp_path / "spool",
            AesGcmCodec(AesGcmCodec.new_key()),
            FolderBackend(tmp_path / "out", "office", codec=AesGcmCodec(AesGcmCodec.new_key())),
        ),
        lambda: "office",
        ImmediateRunner(),
        today=lambda: dt.date(2025, 4, 14),
    )
    page = PrintPage(KioskPresenter.__new__(KioskPresenter), presenter)
    qtbot.addWidget(page)
    page.show()
    presenter.prepare(FakeSession(visit, guidance))  # type: ignore[arg-type]
    assert presenter.view.value.step is PrintStep.PREVIEW
    assert "「住民異動届」の「フリガナ(2人目)」が枠に収まりません。" in page.message.text()
    assert page.shrink_button.isVisible() and page.print_button.isVisible()
    before = len(presenter.view.value.documents)
    qtbot.mouseClick(page.shrink_button, Qt.MouseButton.LeftButton)
    assert presenter.view.value.held == ()
    assert len(presenter.view.value.documents) > before
    assert not page.shrink_button.isVisible()
