"""引き渡し: today's hand-offs to the back office and their state, with re-delivery of a batch.

Shows :class:`~counter_app.presenters.handoff_list.HandoffListPresenter`'s lines (ids, counts, states;
never a name) in a table of plain text, and forwards 再送 for the chosen batch.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter_app.presenters.handoff_list import HEADERS, NOT_CONFIGURED, HandoffListPresenter
from counter_app.ui.plain import PlainLabel


class HandoffView(QWidget):
    def __init__(self, presenter: HandoffListPresenter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.presenter = presenter
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.batch_choice = QComboBox()
        self.refresh_button = QPushButton("更新")
        self.redeliver_button = QPushButton("選んだ一括番号を再送")
        self.message = PlainLabel("")
        self.refresh_button.clicked.connect(self.refresh)
        self.redeliver_button.clicked.connect(self._redeliver)
        buttons = QHBoxLayout()
        buttons.addWidget(self.refresh_button)
        buttons.addWidget(self.batch_choice, 1)
        buttons.addWidget(self.redeliver_button)
        layout = QVBoxLayout(self)
        layout.addWidget(PlainLabel("今日、基幹システムへ引き渡したデータ(送信待ち・送信済み・取込済み)"))
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.message)

    def refresh(self) -> None:
        if not self.presenter.enabled:
            self.table.setRowCount(0)
            self.batch_choice.clear()
            self.redeliver_button.setEnabled(False)
            self.message.setText(NOT_CONFIGURED)
            return
        lines = self.presenter.lines()
        self.table.setRowCount(len(lines))
        for row, line in enumerate(lines):
            for column, text in enumerate(line.cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.batch_choice.clear()
        self.batch_choice.addItems([b for line in lines for b in line.batch_ids])
        self.redeliver_button.setEnabled(self.batch_choice.count() > 0)

    def _redeliver(self) -> None:
        batch = self.batch_choice.currentText()
        if batch:
            self.message.setText(self.presenter.redeliver(batch))
            self.refresh()
