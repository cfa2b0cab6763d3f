"""監督者メニュー「住民記録の照会」: lookups per clerk and office day (households fetched, searches,
refusals), read from the audit log; plain text only."""

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

from counter_app.presenters.registry_stats import PERIODS, RegistryLookupsPresenter
from counter_app.ui.plain import PlainLabel

HEADERS = ["日付", "職員", "窓口", "世帯取得", "検索", "拒否", "合計"]


class RegistryLookupsView(QWidget):
    def __init__(self, presenter: RegistryLookupsPresenter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.presenter = presenter
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.period = QComboBox()
        for key, label in PERIODS.items():
            self.period.addItem(label, key)
        self.period.currentIndexChanged.connect(lambda _index: self.refresh())
        self.refresh_button = QPushButton("更新")
        self.refresh_button.clicked.connect(self.refresh)
        bar.addWidget(self.period)
        bar.addWidget(self.refresh_button)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.message = PlainLabel()
        self.message.setObjectName("warning")
        layout.addWidget(self.message)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table, 1)

    def refresh(self) -> None:
        start, end = self.presenter.period(str(self.period.currentData()))
        rows = self.presenter.rows(start, end)
        self.table.setRowCount(0)
        if isinstance(rows, str):
            self.message.setText(rows)
            return
        self.message.setText("" if rows else "この期間の照会はありません。")
        self.table.setRowCount(len(rows))
        for r, figure in enumerate(rows):
            values = [
                figure.day.isoformat(), figure.clerk_id or "-", figure.counter, str(figure.lookups),
                str(figure.searches), str(figure.refused), str(figure.total),
            ]  # fmt: skip
            for c, value in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(value))
