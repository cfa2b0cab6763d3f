"""Step: the visit is closed; nothing of the resident remains on screen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from counter_app.presenters.kiosk import KioskPresenter
from counter_app.ui.keys import enter_clicks, focus_first
from counter_app.ui.plain import PlainLabel


class DonePage(QWidget):
    def __init__(self, kiosk: KioskPresenter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        title = PlainLabel("受付が終わりました。\n書類の内容をご確認のうえ、署名欄にご署名ください。")
        title.setObjectName("title")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(title)
        hint = PlainLabel("カードをお取りください。お預かりした情報はこの端末から消去しました。")
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(hint)
        self.next_button = QPushButton("次の方(Enter)")
        self.next_button.setObjectName("primary")
        self.next_button.setDefault(True)
        self.next_button.clicked.connect(kiosk.next_resident)
        layout.addWidget(self.next_button, alignment=Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(1)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        focus_first([self.next_button])

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not enter_clicks(event, lambda: self.next_button):
            super().keyPressEvent(event)
