"""Step: the household — members by card, QR or typing; relationship; who the event concerns."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter_app.presenters.kiosk import KioskPresenter, KioskView, Step
from counter_app.ui.keys import enter_clicks, focus_first
from counter_app.ui.plain import PlainLabel
from counter_app.ui.qr_input import load_qr_images


class HouseholdPage(QWidget):
    def __init__(self, kiosk: KioskPresenter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kiosk = kiosk
        layout = QVBoxLayout(self)
        self.title = PlainLabel("世帯の方")
        self.title.setObjectName("title")
        layout.addWidget(self.title)
        self.hint = PlainLabel()
        self.hint.setObjectName("hint")
        layout.addWidget(self.hint)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(["氏名", "続柄", "生年月日", "入力元", "対象"])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.cellDoubleClicked.connect(lambda row, _col: kiosk.edit_member(row))
        layout.addWidget(self.table)
        buttons = QHBoxLayout()
        self.card_button = QPushButton("カードで追加(F4)")
        self.card_button.setShortcut("F4")
        self.card_button.clicked.connect(kiosk.add_member_by_card)
        self.typed_button = QPushButton("手入力で追加(F2)")
        self.typed_button.setShortcut("F2")
        self.typed_button.clicked.connect(kiosk.start_typed)
        self.qr_button = QPushButton("QR画像で追加(F5)")
        self.qr_button.setShortcut("F5")
        self.qr_button.clicked.connect(lambda: load_qr_images(self, kiosk))
        self.remove_button = QPushButton("選んだ方を削除")
        self.remove_button.clicked.connect(self._remove)
        self.event_button = QPushButton("ご用件を変える")
        self.event_button.clicked.connect(kiosk.change_event)
        self.next_button = QPushButton("質問へ進む(Enter)")
        self.next_button.setObjectName("primary")
        self.next_button.setDefault(True)
        self.next_button.clicked.connect(kiosk.household_done)
        for button in (
            self.card_button,
            self.typed_button,
            self.qr_button,
            self.remove_button,
            self.event_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.next_button)
        layout.addLayout(buttons)
        self.notes = PlainLabel()
        self.notes.setWordWrap(True)
        layout.addWidget(self.notes)
        self.error = PlainLabel()
        self.error.setObjectName("warning")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        self._shown: tuple[object, ...] | None = None  # what the table shows (refresh skips an equal one)
        kiosk.view.subscribe(self.show_view)
        kiosk.household.subscribe(self._household_changed)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        focus_first([self.next_button])

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # A number key ticks (or unticks) the 対象 box of that member: 2 = the second row.
        text = event.text()
        if text.isascii() and text.isdigit() and 1 <= int(text) <= self.table.rowCount():
            box = self.table.cellWidget(int(text) - 1, 4)
            if isinstance(box, QCheckBox):
                box.toggle()
                return
        if not enter_clicks(event, lambda: self.next_button):
            super().keyPressEvent(event)

    def _household_changed(self, _names: tuple[str, ...]) -> None:
        # Off the household step the page is hidden: entering the step refreshes it (show_view), so a
        # member added on the member page or the household cleared after a visit costs no table here.
        if self.kiosk.view.value.step is Step.HOUSEHOLD:
            self.refresh()

    def refresh(self) -> None:
        session = self.kiosk.session
        members = session.members if session else []
        event = self.kiosk.catalog.events.get(session.event) if session and session.event else None
        shown = (
            event,
            tuple((m.name, m.relationship, m.birth_date, m.source, m.subject) for m in members),
        )
        if shown == self._shown:  # the same rows: no table rebuilt (every banner or note came here)
            return
        self._shown = shown
        self.title.setText(f"世帯の方 — {event.name}" if event else "世帯の方")
        label = event.subjects.label if event else "対象"
        self.table.setHorizontalHeaderLabels(["氏名", "続柄", "生年月日", "入力元", label])
        self.table.setRowCount(len(members))
        default = event is None or event.subjects.default == "all"
        for row, member in enumerate(members):
            values = [
                f"{row + 1}. {member.name}",
                member.relationship.label_ja,
                member.birth_date.isoformat(),
                member.source.value,
            ]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(row, column, item)
            box = QCheckBox()
            box.setChecked(default if member.subject is None else member.subject)
            box.toggled.connect(lambda checked, r=row: self.kiosk.set_subject(r, checked))
            self.table.setCellWidget(row, 4, box)
        self.table.resizeColumnsToContents()

    def show_view(self, view: KioskView) -> None:
        self.error.setText(view.error)
        self.notes.setText("\n".join(f"・{note}" for note in view.notes))
        self.hint.setText(
            view.banner
            if view.adding_member
            else "追加・修正が終わったら質問へ進みます(番号キーで対象の印を付け外し、ダブルクリックで修正)"
        )
        if view.step is Step.HOUSEHOLD:  # elsewhere the table is hidden (members changing refresh it anyway)
            self.refresh()

    def _remove(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.kiosk.remove_member(row)
