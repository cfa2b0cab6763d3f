"""QR codes into the kiosk: a keyboard-wedge scanner (whatever widget has focus) and image files."""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget

from counter_app.presenters.kiosk import KioskPresenter
from counter_app.presenters.scanning import scan_files, wedge_detector

__all__ = ["WedgeFilter", "load_qr_images", "scan_files"]
FLUSH_MS = 400
"""Keys held back as a possible scan are given back after this long without another key (a person
who typed one ``M`` and stopped)."""
STALL_SLACK_MS = 100
"""A flush timer that fires this much later than due means the GUI thread was stalled: keys may be
queued behind it, so the hold is extended instead of typing a scan's start into the field."""


def event_seconds(event: QKeyEvent) -> float:
    """The key's own time (the window system's timestamp, in seconds); synthetic events without one
    (timestamp 0) fall back to the time they are processed."""
    stamp = event.timestamp()
    return stamp / 1000 if stamp else time.monotonic()


def key_text(event: QKeyEvent) -> str:
    key = event.key()
    if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
        return "\r"
    if key == Qt.Key.Key_Tab:
        return "\t"
    return event.text()


class WedgeFilter(QObject):
    """Application-wide key filter: a scanner's burst that starts with a pre-fill prefix and ends in
    Enter, LF or Tab goes to the kiosk instead of the focused widget. Gaps are measured with the key
    events' own timestamps, so a stalled GUI thread does not cut a scan. Keys held back while it looked
    like a scan are given back to the widget, in order, if it was a person typing after all."""

    def __init__(self, kiosk: KioskPresenter) -> None:
        super().__init__()
        self.kiosk = kiosk
        self.detector = wedge_detector()
        self._held: list[tuple[QObject, QKeyEvent]] = []
        self._replaying = False
        self._last_held = 0.0  # time.monotonic() of the last key held back
        self._due = 0.0  # when the hold timer should fire
        self._flush = QTimer(self)
        self._flush.setSingleShot(True)
        self._flush.timeout.connect(self._flush_due)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Every event of the application passes here: the class check first, since reading the type
        # makes a Python enum (1.6 µs more an event, measured; ~4,000 events a visit, two filters).
        if self._replaying or not isinstance(event, QKeyEvent) or event.type() != QEvent.Type.KeyPress:
            return False
        if not isinstance(watched, QWidget):
            return False
        text = key_text(event)
        if not text:
            return False
        scan = self.detector.feed(text, event_seconds(event))
        if scan is not None:
            self._held.clear()
            self._flush.stop()
            self.kiosk.qr_scanned(scan)
            return True
        if self.detector.consumed and self.detector.capturing:
            # (No setTimestamp on the copy: PySide6 6.12's QInputEvent.setTimestamp drops a reference
            # to None on every call, and the replayed key's time does not matter.)
            copy = QKeyEvent(event.type(), event.key(), event.modifiers(), event.text())
            self._held.append((watched, copy))
            self._last_held = time.monotonic()
            if not self._flush.isActive():  # started once per hold, not per key (see _arm)
                self._arm(FLUSH_MS)
            return True
        if self.detector.consumed:  # the LF of a CR LF terminator
            return True
        self._give_back()
        return False

    def _arm(self, ms: int) -> None:
        self._due = time.monotonic() + ms / 1000
        self._flush.start(ms)

    def _flush_due(self) -> None:
        now = time.monotonic()
        if not self._held:
            return
        if (now - self._due) * 1000 > STALL_SLACK_MS:
            # The timer fired late: the GUI thread was busy and the rest of a scan may be waiting
            # in the queue behind it. Look again once the queue has been delivered.
            self._arm(FLUSH_MS)
            return
        quiet_ms = (now - self._last_held) * 1000
        if quiet_ms < FLUSH_MS:  # keys are still coming: wait for the rest
            self._arm(max(1, round(FLUSH_MS - quiet_ms)))
            return
        self._give_back()

    def _give_back(self) -> None:
        """Not a scan: deliver the keys held back, in order."""
        held, self._held = self._held, []
        if held:
            self.detector.reset()  # what was held is delivered: it cannot be the start of a scan any more
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
