"""Labels that never read their text as HTML.

Names, addresses and answers come from cards and from residents' QR codes. Qt's default (AutoText)
renders a string that looks like markup as rich text, so a name written as ``<h1 style=…>本人確認済み``
would appear on the clerk's screen as a large red heading. Every label of the kiosk is a
:class:`PlainLabel` (a test walks the windows to check it).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget


class PlainLabel(QLabel):
    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
