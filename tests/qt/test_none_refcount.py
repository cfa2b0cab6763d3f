"""The Qt binding must not drop references to None: on CPython 3.11 (Debian 12's Python, the Linux
build) None is not immortal, and PySide6 6.12 lost one on every call returning nothing, until the
interpreter aborted ("none_dealloc") — a kiosk crash after a few hours. pyproject.toml keeps such a
PySide6 off Pythons before 3.12; this test fails if one comes back."""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot


def test_qt_calls_returning_nothing_keep_none_alive(qtbot: QtBot) -> None:
    timer = QTimer()
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(2000):
        timer.setInterval(5)
        timer.start()
        timer.stop()
        label.setText("窓口")
        label.show()
        label.hide()
    if sys.version_info >= (3, 12):
        return  # None is immortal: its count means nothing (and cannot run out)
    assert sys.getrefcount(None) - before > -100  # 12,000 calls: a leak would show as -12,000
