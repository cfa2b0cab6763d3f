"""Step: which life event brings the resident, and its date (number keys choose)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDateEdit,
    QDateTimeEdit,
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counter_app.presenters.kiosk import KioskPresenter, KioskView, Step
from counter_app.ui.plain import PlainLabel


class EventPage(QWidget):
    def __init__(self, kiosk: KioskPresenter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kiosk = kiosk
        # The page itself takes the keys (number keys choose the event); Tab reaches the date, and
        # Enter in the date comes back here.
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        layout = QVBoxLayout(self)
        title = PlainLabel("今日のご用件(ライフイベント)を選んでください")
        title.setObjectName("title")
        layout.addWidget(title)
        row = QHBoxLayout()
        self.date_label = PlainLabel("日付")
        self.date = QDateEdit()
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy年M月d日")
        self.date.installEventFilter(self)  # reached by Tab: the day is selected (moves are recent)
        row.addWidget(self.date_label)
        row.addWidget(self.date)
        row.addStretch(1)
        layout.addLayout(row)
        # The events' buttons are made the first time the page shows: the catalog is loaded after the
        # window (start-up order, docs/architecture.md) and a visit reaches this page only with it.
        self.grid = QGridLayout()
        self.buttons: list[QPushButton] = []
        layout.addLayout(self.grid)
        layout.addStretch(1)
        self._shown_for: str | None = None
        kiosk.view.subscribe(self._show)

    def _make_buttons(self) -> None:
        for index, event in enumerate(self.kiosk.catalog.events.values()):
            button = QPushButton(f"{index + 1}. {event.name}")
            button.setMinimumHeight(70)
            button.setToolTip(event.description)
            button.clicked.connect(lambda _=False, e=event.id: self._choose(e))
            self.grid.addWidget(button, index // 2, index % 2)
            self.buttons.append(button)

    def _show(self, view: KioskView) -> None:
        """Each visit starts from its own date: the visit's event date, else today. Nothing the clerk
        set for the previous resident may stay in the field (it would be printed as their 異動日)."""
        if view.step is not Step.EVENT:
            if view.step in (Step.WAITING, Step.DONE):
                self._shown_for = None
            return
        if not self.buttons:
            self._make_buttons()
        if self._shown_for == view.visit_id:
            return  # the same visit coming back to this page keeps what the clerk typed
        self._shown_for = view.visit_id
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        session = self.kiosk.session
        day = session.event_date if session is not None and session.event_date else self.kiosk.today()
        self.date.setDate(QDate(day.year, day.month, day.day))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.date and event.type() == QEvent.Type.FocusIn:
            QTimer.singleShot(0, lambda: self.date.setSelectedSection(QDateTimeEdit.Section.DaySection))
        return super().eventFilter(watched, event)

    def _choose(self, event_id: str) -> None:
        qdate = self.date.date()
        self.kiosk.choose_event(event_id, dt.date(qdate.year(), qdate.month(), qdate.day()))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.date.hasFocus():
            self.setFocus(Qt.FocusReason.OtherFocusReason)  # the date is set: number keys choose again
        elif text.isdigit() and text.isascii() and 1 <= int(text) <= len(self.buttons):
            self.buttons[int(text) - 1].click()
        elif event.key() == Qt.Key.Key_Backspace and self.kiosk.session and self.kiosk.session.members:
            self.kiosk.edit_member(0)
        else:
            super().keyPressEvent(event)
