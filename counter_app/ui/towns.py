"""Completion of the municipality's 町丁目 in an address field (the list comes from the catalog folder)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtWidgets import QCompleter, QLineEdit


def attach_towns(edit: QLineEdit, addresses: Sequence[str]) -> None:
    """Offer ``addresses`` (prefix + 町丁目) in ``edit`` for any part typed: 「本町」 offers
    「東京都みどり川区本町一丁目」…; nothing when the municipality has no list."""
    if not addresses:
        return
    completer = QCompleter(edit)
    completer.setModel(QStringListModel(list(addresses), completer))
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setMaxVisibleItems(12)
    edit.setCompleter(completer)
    # A chosen town is an edit like any typed text: the page's presenter hears of it.
    completer.activated.connect(edit.textEdited.emit)
