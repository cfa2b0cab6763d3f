"""A keyboard-wedge QR scanner types into the focused widget; the kiosk takes the scan."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from counter_app.presenters.kiosk import KioskPresenter, Step
from counter_app.services.card_source import DemoCardSource
from counter_app.services.tasks import ImmediateRunner
from counter_app.ui.qr_input import WedgeFilter
from procedures.catalog import load_catalog
from procedures.prefill import encode_visit
from procedures.visit import parse_visit


def kiosk() -> KioskPresenter:
    return KioskPresenter(
        load_catalog(), DemoCardSource(), ImmediateRunner(), today=lambda: dt.date(2026, 11, 23)
    )


def type_fast(widget: QLineEdit, text: str) -> None:
    """As a scanner does: every character within a few milliseconds, then Enter."""
    for char in text:
        QApplication.sendEvent(
            widget, QKeyEvent(QKeyEvent.Type.KeyPress, 0, Qt.KeyboardModifier.NoModifier, char)
        )
    QApplication.sendEvent(
        widget, QKeyEvent(QKeyEvent.Type.KeyPress, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier)
    )


def test_scan_goes_to_the_kiosk_not_the_focused_field(qtbot: QtBot) -> None:
    presenter = kiosk()
    catalog = presenter.catalog
    visit = parse_visit(
        {
            "event": "tennyu",
            "event_date": "2026-11-20",
            "members": [
                {
                    "name": "山田\u3000花子",
                    "birth_date": "1990-01-02",
                    "sex": "female",
                    "relationship": "self",
                }
            ],
        }
    )
    [text] = encode_visit(visit, catalog.id, catalog.meta.version)
    field = QLineEdit()
    qtbot.addWidget(field)
    field.show()
    field.setFocus()
    wedge = WedgeFilter(presenter)
    app = QApplication.instance()
    assert app is not None
    app.installEventFilter(wedge)
    try:
        type_fast(field, text)
        assert field.text() == ""
        assert presenter.view.value.step is Step.HOUSEHOLD
        assert presenter.session is not None and presenter.session.members[0].name == "山田\u3000花子"
        # A person typing "MD" slowly keeps the keys: they are given back after the short hold.
        qtbot.keyClick(field, "M")
        qtbot.wait(200)
        qtbot.keyClick(field, "D")
        qtbot.waitUntil(lambda: field.text() == "MD", timeout=2000)
    finally:
        app.removeEventFilter(wedge)
