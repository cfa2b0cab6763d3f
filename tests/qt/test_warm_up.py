"""After the services load, the window draws the catalog's screen texts once off screen (the glyphs
ready for the day's first visit) and leaves nothing of that behind."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent

from counter_app.ui.main_window import MainWindow
from counter_app.ui.plain import PlainLabel
from counter_app.wiring.kiosk import Kiosk


def test_the_window_draws_the_catalog_texts_once_without_showing_them(
    kiosk_window: tuple[Kiosk, MainWindow],
) -> None:
    _parts, window = kiosk_window
    before = set(window.findChildren(PlainLabel))
    window.warm_up()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert set(window.findChildren(PlainLabel)) == before  # the off-screen labels are gone again
