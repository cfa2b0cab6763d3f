"""QR codes into the kiosk: a keyboard-wedge scanner (whatever widget has focus) and image files."""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget

from card_reader.errors import CardError
from card_reader.qr import decode_file
from card_reader.wedge import WedgeDetector
from counter_app.messages import clerk_message
from counter_app.presenters.kiosk import KioskPresenter
from procedures.prefill import WEDGE_PREFIXES

PREFIXES = WEDGE_PREFIXES  # the pre-fill format (docs/qr-format.md), also when Caps Lock / layout garble it
FLUSH_MS = 80


class WedgeFilter(QObject):
    """Application-wide key filter: a scanner's fast burst that starts with a pre-fill prefix and ends
    in Enter goes to the kiosk instead of the focused widget. Keys swallowed while it looked like a scan
    are given back to the widget if it was a person typing after all."""

    def __init__(self, kiosk: KioskPresenter) -> None:
        super().__init__()
        self.kiosk = kiosk
        self.detector = WedgeDetector(PREFIXES)
        self._held: list[tuple[QObject, QKeyEvent]] = []
        self._replaying = False
        self._flush = QTimer(self)
        self._flush.setSingleShot(True)
        self._flush.setInterval(FLUSH_MS)
        self._flush.timeout.connect(self._give_back)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._replaying or event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if not isinstance(watched, QWidget):
            return False
        text = "\r" if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) else event.text()
        if not text:
            return False
        scan = self.detector.feed(text, time.monotonic())
        if scan is not None:
            self._held.clear()
            self._flush.stop()
            self.kiosk.qr_scanned(scan)
            return True
        if self.detector.capturing:
            self._held.append(
                (watched, QKeyEvent(event.type(), event.key(), event.modifiers(), event.text()))
            )
            self._flush.start()
            return True
        self._give_back()
        return False

    def _give_back(self) -> None:
        """Not a scan: deliver the keys held back, in order."""
        held, self._held = self._held, []
        if not self.detector.capturing:
            self.detector.reset()
        self._replaying = True
        try:
            for target, key in held:
                QApplication.sendEvent(target, key)
        finally:
            self._replaying = False


def load_qr_images(parent: QWidget, kiosk: KioskPresenter) -> None:
    """The QR codes as image files (a photo or a screenshot sent by the resident)."""
    paths, _ = QFileDialog.getOpenFileNames(
        parent, "QRコードの画像を選ぶ", "", "画像 (*.png *.jpg *.jpeg *.bmp)"
    )
    scan_files(kiosk, paths)


def scan_files(kiosk: KioskPresenter, paths: list[str]) -> None:
    for path in paths:
        try:
            payloads = decode_file(path)
        except (CardError, OSError) as exc:
            kiosk.report_error(clerk_message(exc).text)
            return
        for payload in payloads:
            kiosk.qr_scanned(payload)
