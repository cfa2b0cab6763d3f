"""Step: which life event brings the resident, and its date (number keys choose)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDateEdit, QGridLayout, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from counter_app.presenters.kiosk import KioskPresenter, KioskView, Step
from counter_app.ui.plain import PlainLabel


class EventPage(QWidget):
    def __init__(self, kiosk: KioskPresenter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kiosk = kiosk
        layout = QVBoxLayout(self)
        title = PlainLabel("今日のご用件(ライフイベント)を選んでください")
        title.setObjectName("title")
        layout.addWidget(title)
        row = QHBoxLayout()
        self.date_label = PlainLabel("日付")
        self.date = QDateEdit()
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy年M月d日")
        row.addWidget(self.date_label)
        row.addWidget(self.date)
        row.addStretch(1)
        layout.addLayout(row)
        grid = QGridLayout()
        self.buttons: list[QPushButton] = []
        for index, event in enumerate(kiosk.catalog.events.values()):
            button = QPushButton(f"{index + 1}. {event.name}")
            button.setMinimumHeight(70)
            button.setToolTip(event.description)
            button.clicked.connect(lambda _=False, e=event.id: self._choose(e))
            grid.addWidget(button, index // 2, index % 2)
            self.buttons.append(button)
        layout.addLayout(grid)
        layout.addStretch(1)
        self._shown_for: str | None = None
        kiosk.view.subscribe(self._show)

    def _show(self, view: KioskView) -> None:
        """Each visit starts from its own date: the visit's event date, else today. Nothing the clerk
        set for the previous resident may stay in the field (it would be printed as their 異動日)."""
        if view.step is not Step.EVENT:
            if view.step in (Step.WAITING, Step.DONE):
                self._shown_for = None
            return
        if self._shown_for == view.visit_id:
            return  # the same visit coming back to this page keeps what the clerk typed
        self._shown_for = view.visit_id
        session = self.kiosk.session
        day = session.event_date if session is not None and session.event_date else self.kiosk.today()
        self.date.setDate(QDate(day.year, day.month, day.day))

    def _choose(self, event_id: str) -> None:
        qdate = self.date.date()
        self.kiosk.choose_event(event_id, dt.date(qdate.year(), qdate.month(), qdate.day()))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        if text.isdigit() and text.isascii() and 1 <= int(text) <= len(self.buttons):
            self.buttons[int(text) - 1].click()
        elif event.key() == Qt.Key.Key_Backspace and self.kiosk.session and self.kiosk.session.members:
            self.kiosk.edit_member(0)
        else:
            super().keyPressEvent(event)
