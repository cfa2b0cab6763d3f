"""Step 1: waiting for a resident — a card, a QR code, or 手入力."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counter_app.presenters.kiosk import KioskPresenter, KioskView
from counter_app.ui.plain import PlainLabel
from counter_app.ui.qr_input import load_qr_images


class WaitingPage(QWidget):
    def __init__(
        self, kiosk: KioskPresenter, counter_name: str, demo: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.kiosk = kiosk
        layout = QVBoxLayout(self)
        title = PlainLabel(f"{counter_name}\nカードを置いてください / QRコードをかざしてください")
        title.setObjectName("title")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(1)
        layout.addWidget(title)
        self.banner = PlainLabel()
        self.banner.setObjectName("hint")
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.banner)
        buttons = QHBoxLayout()
        self.typed_button = QPushButton("手入力で受付(F2)")
        self.typed_button.setShortcut("F2")
        self.typed_button.clicked.connect(kiosk.start_typed)
        buttons.addStretch(1)
        buttons.addWidget(self.typed_button)
        self.demo_button = QPushButton("デモ用カードで受付(F3)")
        self.demo_button.setShortcut("F3")
        self.demo_button.setVisible(demo)
        self.demo_button.clicked.connect(kiosk.card_inserted)
        buttons.addWidget(self.demo_button)
        self.qr_button = QPushButton("QR画像を読み込む(F5)")
        self.qr_button.setShortcut("F5")
        self.qr_button.clicked.connect(lambda: load_qr_images(self, kiosk))
        buttons.addWidget(self.qr_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.recoveries_title = PlainLabel("未完了の受付があります(再開するか破棄してください)")
        self.recoveries_title.setObjectName("warning")
        self.recoveries = QListWidget()
        self.resume_button = QPushButton("選んだ受付を再開")
        self.resume_button.clicked.connect(self._resume)
        self.discard_button = QPushButton("選んだ受付を破棄")
        self.discard_button.clicked.connect(self._discard)
        layout.addWidget(self.recoveries_title)
        layout.addWidget(self.recoveries)
        row = QHBoxLayout()
        row.addWidget(self.resume_button)
        row.addWidget(self.discard_button)
        layout.addLayout(row)
        layout.addStretch(1)
        kiosk.view.subscribe(self.show_view)

    def show_view(self, view: KioskView) -> None:
        self.banner.setText(view.error or view.banner)
        self.recoveries.clear()
        for recovery in view.recoveries:
            started = recovery.started_at[:16].replace("T", " ")
            item = QListWidgetItem(f"開始 {started}(UTC) 世帯員{recovery.members}人 段階: {recovery.step}")
            item.setData(Qt.ItemDataRole.UserRole, recovery.visit_id)
            self.recoveries.addItem(item)
        has = bool(view.recoveries)
        for widget in (self.recoveries_title, self.recoveries, self.resume_button, self.discard_button):
            widget.setVisible(has)
        if has:
            self.recoveries.setCurrentRow(0)

    def _selected(self) -> str | None:
        item = self.recoveries.currentItem()
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    def _resume(self) -> None:
        if (visit_id := self._selected()) is not None:
            self.kiosk.resume(visit_id)

    def _discard(self) -> None:
        if (visit_id := self._selected()) is not None:
            self.kiosk.discard_recovery(visit_id)
