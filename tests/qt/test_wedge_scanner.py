"""A keyboard-wedge QR scanner types into the focused widget; the kiosk takes the scan."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from counter_app.adapters.card_source import DemoCardSource
from counter_app.presenters.kiosk import KioskPresenter, Step
from counter_app.ui.qr_input import FLUSH_MS, WedgeFilter
from counter_app.workflow.tasks import ImmediateRunner
from procedures.catalog import load_catalog
from procedures.prefill import encode_visit
from procedures.visit import parse_visit
from tests.unit.prefill.samples import large_visit


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


def _visit_text(presenter: KioskPresenter) -> str:
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
                    "address": "東京都みどり川区中央一丁目2番3号 みどりハイツ405",
                }
            ],
        }
    )
    [text] = encode_visit(visit, catalog.id, catalog.meta.version)
    return text


def _key(char: str, stamp_ms: int) -> QKeyEvent:
    keys = {"\r": Qt.Key.Key_Return, "\t": Qt.Key.Key_Tab, "\n": Qt.Key.Key_Return}
    event = QKeyEvent(
        QKeyEvent.Type.KeyPress,
        keys.get(char, 0),
        Qt.KeyboardModifier.NoModifier,
        "" if char in keys else char,
    )
    event.setTimestamp(stamp_ms)  # (the None reference PySide6 6.12 drops here: see conftest.py)
    return event


def _scanner(
    widget: QLineEdit,
    text: str,
    every_ms: int,
    terminator: str,
    stall_at: int | None = None,
    stall_s: float = 0,
) -> None:
    """A scanner typing ``text`` with key events stamped ``every_ms`` apart. ``stall_at``: the GUI thread
    is busy for ``stall_s`` seconds there (the keys wait in the queue, their timestamps unchanged), and
    then runs its event loop (the hold timer fires late) before the remaining keys are delivered."""
    app = QApplication.instance()
    assert app is not None
    stamp = 5_000_000
    for index, char in enumerate(text + terminator):
        if index == stall_at:
            time.sleep(stall_s)
            app.processEvents()
        QApplication.sendEvent(widget, _key(char, stamp))
        stamp += every_ms


def _with_filter(qtbot: QtBot, presenter: KioskPresenter) -> tuple[QLineEdit, WedgeFilter]:
    field = QLineEdit()
    qtbot.addWidget(field)
    field.show()
    field.setFocus()
    wedge = WedgeFilter(presenter)
    app = QApplication.instance()
    assert app is not None
    app.installEventFilter(wedge)
    return field, wedge


def _remove(wedge: WedgeFilter) -> None:
    app = QApplication.instance()
    assert app is not None
    app.removeEventFilter(wedge)


@pytest.mark.parametrize("terminator", ["\r", "\t", "\n"], ids=["enter", "tab", "lf"])
@pytest.mark.parametrize("every_ms", [4, 40])
def test_a_scan_never_leaks_into_the_field_despite_a_gui_stall(
    qtbot: QtBot, terminator: str, every_ms: int
) -> None:
    """A 60 ms (and a 0.6 s) stall in the middle of each long scan (the two codes of a
    household of 20, 500+ characters each); scanners at 4 and 40 ms per key."""
    catalog = load_catalog()
    texts = encode_visit(large_visit(20), catalog.id, catalog.meta.version)
    assert len(texts) == 2 and min(map(len, texts)) > 500
    for stall_s in (0.06, 0.6):
        presenter = kiosk()
        field, wedge = _with_filter(qtbot, presenter)
        try:
            for text in texts:
                _scanner(field, text, every_ms, terminator, stall_at=len(text) // 2, stall_s=stall_s)
                qtbot.wait(FLUSH_MS + 100)  # any hold timer has long run out
                assert field.text() == ""
            assert presenter.view.value.step is Step.HOUSEHOLD, presenter.view.value.error
            assert presenter.session is not None and len(presenter.session.members) == 20
        finally:
            _remove(wedge)


def test_cr_lf_leaves_nothing_in_the_field(qtbot: QtBot) -> None:
    presenter = kiosk()
    field, wedge = _with_filter(qtbot, presenter)
    try:
        _scanner(field, _visit_text(presenter), 10, "\r\n")
        qtbot.wait(FLUSH_MS + 100)
        assert field.text() == ""
        assert presenter.view.value.step is Step.HOUSEHOLD
    finally:
        _remove(wedge)


def test_a_person_typing_the_prefix_gets_every_key(qtbot: QtBot) -> None:
    presenter = kiosk()
    field, wedge = _with_filter(qtbot, presenter)
    try:
        _scanner(field, "MDP1:ABCDEFGH", 150, "")
        qtbot.waitUntil(lambda: field.text() == "MDP1:ABCDEFGH", timeout=2000)
        assert presenter.view.value.step is Step.WAITING
    finally:
        _remove(wedge)
