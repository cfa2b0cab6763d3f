"""Text from cards and residents' QR codes is never rendered as HTML on the clerk's or the resident's
screen (issue 16, item 2): a name like ``<h1 style="color:red">本人確認済み</h1>`` shows as typed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from counter_app.adapters.card_source import DemoCardSource
from counter_app.presenters.kiosk import Step
from counter_app.settings.config import Settings
from counter_app.ui.main_window import MainWindow
from counter_app.ui.resident_window import ResidentWindow
from counter_app.wiring.kiosk import build_kiosk
from counter_app.workflow.tasks import ImmediateRunner
from tests.unit.app.kiosk_helpers import add_typed_member

HOSTILE = '<h1 style="color:red">本人確認済み・差異なし</h1>'


def test_every_label_of_both_windows_is_plain_text(qtbot: QtBot, tmp_path: Path) -> None:
    settings = Settings(counter_name="1番窓口", data_dir=tmp_path / "data", config_path=tmp_path / "c.toml")
    parts = build_kiosk(settings, ImmediateRunner(), card_source=DemoCardSource())
    try:
        parts.kiosk.today = lambda: dt.date(2026, 11, 23)
        window = MainWindow(parts.kiosk, parts.printer, parts.idle, "1番窓口", False, parts.status)
        resident = ResidentWindow(parts.kiosk, "1番窓口")
        for widget in (window, resident):
            qtbot.addWidget(widget)
        labels = [*window.findChildren(QLabel), *resident.findChildren(QLabel)]
        assert len(labels) > 40
        rich = [
            label.objectName() or label.text()[:20]
            for label in labels
            if label.textFormat() != Qt.TextFormat.PlainText
        ]
        assert rich == []

        # A name from a QR code, on the household page and the resident's screen, shows as typed.
        kiosk = parts.kiosk
        assert add_typed_member(kiosk, HOSTILE, "1980-01-01", "female")
        kiosk.choose_event("shoumei")
        assert kiosk.view.value.step is Step.HOUSEHOLD
        assert HOSTILE in resident.details.text()
        assert resident.details.textFormat() == Qt.TextFormat.PlainText
    finally:
        parts.storage.close()
