"""The print step's pages are rendered to pixels on a worker (the Qt thread pool, as in the kiosk) and
the window shows exactly those pages: the same picture PDFium makes of the PDF that prints."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from counter_app.adapters.card_source import DemoCardSource
from counter_app.presenters.identify import IdentifyStep
from counter_app.presenters.kiosk import Step
from counter_app.presenters.printing import PrintStep
from counter_app.settings.config import Settings
from counter_app.ui.main_window import MainWindow
from counter_app.ui.pages.print_page import PrintPage
from counter_app.ui.tasks import QtTaskRunner
from counter_app.wiring.kiosk import Kiosk, build_kiosk
from printing.folder_backend import FolderBackend
from tests.unit.app.kiosk_helpers import DEMO_PIN, answer_all


@pytest.fixture
def app(qtbot: QtBot, tmp_path: Path) -> Iterator[tuple[Kiosk, MainWindow, QtTaskRunner]]:
    settings = Settings(counter_name="1番窓口", data_dir=tmp_path / "data", config_path=tmp_path / "c.toml")
    runner = QtTaskRunner()
    parts = build_kiosk(
        settings, runner, card_source=DemoCardSource(), print_backend=FolderBackend(tmp_path / "out")
    )
    parts.kiosk.today = parts.printer.today = lambda: dt.date(2026, 11, 23)
    window = MainWindow(parts.kiosk, parts.printer, parts.idle, settings.counter_name, False, parts.status)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield parts, window, runner
    parts.printer.stop()
    assert runner.wait()
    parts.storage.close()


def rgb_rows(image: QImage) -> list[bytes]:
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    data = bytes(rgb.constBits())
    line = rgb.bytesPerLine()
    return [data[y * line : y * line + 3 * rgb.width()] for y in range(rgb.height())]


def test_the_window_shows_the_pages_the_worker_rendered(
    qtbot: QtBot, app: tuple[Kiosk, MainWindow, QtTaskRunner]
) -> None:
    parts, window, _runner = app
    kiosk = parts.kiosk
    kiosk.card_inserted()
    qtbot.waitUntil(lambda: kiosk.identify.view.value.step is IdentifyStep.PIN_ENTRY)
    for digit in DEMO_PIN:
        kiosk.identify.press_digit(digit)
    kiosk.identify.submit()
    qtbot.waitUntil(lambda: kiosk.view.value.step is Step.MEMBER)
    assert kiosk.confirm_member()
    answer_all(kiosk, "shoumei")
    kiosk.go_print()
    page = window.pages[Step.PRINT]
    assert isinstance(page, PrintPage)
    assert parts.printer.view.value.step is PrintStep.RENDERING  # the worker renders; the loop runs on
    qtbot.waitUntil(lambda: parts.printer.view.value.step is PrintStep.PREVIEW, timeout=20_000)
    view = parts.printer.view.value
    assert page.previews.showing(view.previews)
    assert len(page.previews.pages) == sum(d.pages for d in view.documents)
    view_of_page = page.previews.pages[0]
    frame = view_of_page.frameWidth()
    painted = view_of_page.grab().toImage()  # what the widget paints on screen, inside its frame
    shown = painted.copy(frame, frame, painted.width() - 2 * frame, painted.height() - 2 * frame)
    document = pdfium.PdfDocument(view.documents[0].pdf)
    try:
        dpi = page.previews.logicalDpiX()
        expected = document[0].render(scale=dpi / 72).to_pil().convert("RGB")
    finally:
        document.close()
    assert (shown.width(), shown.height()) == expected.size
    assert b"".join(rgb_rows(shown)) == expected.tobytes()
