"""What counts as the clerk being there (the idle countdown starts again): a key pressed, a click, a
wheel turned, anywhere in the kiosk — and nothing the application does by itself (painting, timers,
a key let go)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QKeyEvent, QWheelEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from counter_app.ui.main_window import MainWindow
from counter_app.wiring.kiosk import Kiosk


def test_keys_clicks_and_the_wheel_count_as_the_clerk_and_nothing_else_does(
    kiosk_window: tuple[Kiosk, MainWindow], qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    parts, window = kiosk_window
    seen: list[float] = []
    monkeypatch.setattr(parts.idle, "activity", seen.append)
    widget = window.cancel_button

    window.repaint()  # painting, layout, timers: the application by itself
    qtbot.wait(50)
    release = QKeyEvent(QEvent.Type.KeyRelease, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier, "a")
    QApplication.sendEvent(widget, release)
    assert seen == []

    press = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier, "a")
    QApplication.sendEvent(widget, press)
    assert seen  # (a key no widget takes goes on to the widgets around it: each counts it again)
    before = len(seen)
    qtbot.mousePress(widget, Qt.MouseButton.LeftButton)
    assert len(seen) > before
    before = len(seen)
    qtbot.mouseRelease(widget, Qt.MouseButton.LeftButton)
    assert len(seen) == before  # the press counts, not the release
    wheel = QWheelEvent(
        QPointF(5, 5),
        QPointF(widget.mapToGlobal(QPoint(5, 5))),
        QPoint(0, 0),
        QPoint(0, -120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, wheel)
    assert len(seen) > before
