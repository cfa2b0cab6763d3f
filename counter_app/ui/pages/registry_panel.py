"""The resident-registry bar under the household step (and on the waiting page, for a search without a
card): one key (F10) fetches the household; one box searches; results carry 転出・死亡・消除 badges.

Only observes :class:`~counter_app.presenters.registry.RegistryPresenter` and forwards input; every
text is a :class:`PlainLabel` or a list item (plain text): names come from the registry.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QListWidget, QPushButton, QVBoxLayout, QWidget

from counter_app.presenters.registry import RegistryPresenter, RegistryRow, RegistryView
from counter_app.ui.plain import PlainLabel


def _line(row: RegistryRow) -> str:
    badge = f"【{row.badge}】 " if row.badge else ""
    added = " (追加しました)" if row.added else ""
    return f"{badge}{row.label}{added}"


class RegistryPanel(QWidget):
    def __init__(self, registry: RegistryPresenter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.registry = registry
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.fetch_button = QPushButton("住民記録から世帯を取得(F10)")
        self.fetch_button.setShortcut("F10")
        self.fetch_button.clicked.connect(registry.fetch_household)
        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText("氏名かフリガナと生年月日(19830412 / 3580412)、または宛名番号")
        self.search_box.returnPressed.connect(self._search)
        self.search_button = QPushButton("住民記録を検索")
        self.search_button.clicked.connect(self._search)
        for widget in (self.fetch_button, self.search_box, self.search_button):
            bar.addWidget(widget)
        layout.addLayout(bar)
        self.message = PlainLabel()
        self.message.setObjectName("warning")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.note = PlainLabel()
        self.note.setObjectName("hint")
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self.list = QListWidget()
        self.list.itemActivated.connect(lambda item: registry.choose(self.list.row(item)))
        layout.addWidget(self.list)
        self._showing_hits = False
        registry.view.subscribe(self.show_view)

    def _search(self) -> None:
        text = self.search_box.text()
        if text.strip():
            self.registry.search(text)

    def show_view(self, view: RegistryView) -> None:
        self.fetch_button.setEnabled(not view.busy)
        self.search_button.setEnabled(not view.busy)
        self.message.setText(view.error)
        self.note.setText("\n".join([*view.differences, view.note] if view.note else view.differences))
        self.list.clear()
        self._showing_hits = bool(view.hits)
        for row in view.hits or view.rows:
            self.list.addItem(_line(row))
        self.list.setVisible(bool(view.hits or view.rows))
        if view.hits:
            self.search_box.clear()  # what was typed (a name, a birth date) does not stay on screen
