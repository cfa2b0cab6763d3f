"""Step: the procedures grouped by counter; each can be left out with a reason; the forms that will print,
and the language of the guide sheet (the clerk can choose it here for a resident who has no screen of
their own; it is the same choice the resident makes on the resident's screen)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter_app.presenters.deadlines import deadline_cell
from counter_app.presenters.kiosk import DESELECT_REASONS, ExtrasView, KioskPresenter, ReviewView
from counter_app.presenters.resident_language import CLERK_CHOICES, ResidentLanguage
from counter_app.ui.plain import PlainLabel

KEY_ROLE = Qt.ItemDataRole.UserRole


class ReviewPage(QWidget):
    def __init__(
        self,
        kiosk: KioskPresenter,
        language: ResidentLanguage | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.kiosk = kiosk
        self.language = language
        self._printed = ""
        layout = QVBoxLayout(self)
        title = PlainLabel("必要な手続の確認")
        title.setObjectName("title")
        layout.addWidget(title)
        hint = PlainLabel("チェックを外すと、その手続は今回行いません(理由を記録します)")
        hint.setObjectName("hint")
        layout.addWidget(hint)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["手続", "理由", "期限"])
        self.tree.setWordWrap(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.itemChanged.connect(self._toggled)
        layout.addWidget(self.tree, 3)
        self.forms = PlainLabel()
        self.forms.setWordWrap(True)
        layout.addWidget(self.forms)
        self.extras = PlainLabel()  # 整理券, 代理人, added procedures, note, certificate (F7 to change)
        self.extras.setWordWrap(True)
        layout.addWidget(self.extras)
        self.guide_language = self._language_row(layout, language)
        row = QHBoxLayout()
        back = QPushButton("質問に戻る(Backspace)")
        back.clicked.connect(kiosk.back)
        self.print_button = QPushButton("印刷へ進む(Enter)")
        self.print_button.setObjectName("primary")
        self.print_button.setDefault(True)
        self.print_button.clicked.connect(kiosk.go_print)
        row.addWidget(back)
        row.addStretch(1)
        row.addWidget(self.print_button)
        layout.addLayout(row)
        self._filling = False
        self._pending: ReviewView | None = None  # the latest review while the page was hidden
        kiosk.review.subscribe(self._review_changed)
        kiosk.extras.subscribe(self.show_extras)

    def _language_row(self, layout: QVBoxLayout, language: ResidentLanguage | None) -> QComboBox:
        """案内シートの言語 (Alt+L), named as staff know the languages; hidden without a shared choice."""
        chooser = QComboBox()
        for code, name_ja in CLERK_CHOICES:
            chooser.addItem(name_ja, code)
        if language is None:
            chooser.hide()
            return chooser
        row = QHBoxLayout()
        label = QLabel("案内シートの言語(&L)")
        label.setBuddy(chooser)
        row.addWidget(label)
        row.addWidget(chooser)
        row.addStretch(1)
        layout.addLayout(row)
        chooser.activated.connect(lambda index: language.choose(str(chooser.itemData(index))))
        language.language.subscribe(self._show_language, now=False)
        return chooser

    def _show_language(self, code: str) -> None:
        self.guide_language.setCurrentIndex(max(0, self.guide_language.findData(code)))
        guide = "窓口案内シート" + (f"({self.guide_language.currentText()})" if code != "ja" else "")
        self.forms.setText(f"印刷する書類: {self._printed}、{guide}")

    def _review_changed(self, view: ReviewView) -> None:
        """A hidden page keeps only the latest review and builds its tree when shown: the review is
        reset after every visit and rebuilt on entering the step, on the GUI thread each time."""
        if self.isVisible():
            self._pending = None
            self.show_view(view)
        else:
            self._pending = view

    def showEvent(self, event: QShowEvent) -> None:
        if self._pending is not None:
            view, self._pending = self._pending, None
            self.show_view(view)
        super().showEvent(event)

    def show_extras(self, view: ExtrasView) -> None:
        lines = [*view.summary, *view.judgement]
        head = (
            "受付の補足(F7で変更): "
            if lines
            else "F7: 整理券・代理人・手続の追加・担当課への連絡・証明書の内容"
        )
        self.extras.setText(head + " ／ ".join(lines))

    def show_view(self, view: ReviewView) -> None:
        self._filling = True
        self.tree.clear()
        groups: dict[str, QTreeWidgetItem] = {}
        names = [m.name for m in self.kiosk.session.members] if self.kiosk.session else []
        for procedure in view.procedures:
            counter = procedure.counter
            group = groups.get(counter.id)
            if group is None:
                group = QTreeWidgetItem([f"{counter.name}({counter.place})"])
                group.setFirstColumnSpanned(True)
                self.tree.addTopLevelItem(group)
                groups[counter.id] = group
            who = "・".join(names[i].split("\u3000")[-1] for i in procedure.members if i < len(names))
            label = procedure.procedure.name + (
                f"({who})" if who and procedure.procedure.scope == "member" else ""
            )
            deadline, deadline_note = deadline_cell(procedure.deadline)
            reason = procedure.reason
            if procedure.key in view.deselected:
                code = view.deselected[procedure.key]
                reason = f"今回は行わない: {DESELECT_REASONS.get(code, code)}"
            item = QTreeWidgetItem([label, reason, deadline])
            item.setToolTip(1, reason)
            if deadline_note:
                item.setToolTip(2, deadline_note)
            item.setData(0, KEY_ROLE, procedure.key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = procedure.key not in view.deselected
            item.setCheckState(0, Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            group.addChild(item)
        self.tree.expandAll()
        titles = (
            {f.id: f.name for f in self.kiosk.catalog.forms.values()}
            if view.forms and hasattr(self.kiosk.catalog, "forms")  # no forms: before any visit too
            else {}
        )
        printed = "、".join(titles.get(f, f) for f in view.forms) or "(申請書なし)"
        self._printed = printed
        self._show_language(self.language.language.value if self.language else "ja")
        self._filling = False

    def _toggled(self, item: QTreeWidgetItem, column: int) -> None:
        if self._filling or column != 0 or item.data(0, KEY_ROLE) is None:
            return
        key = str(item.data(0, KEY_ROLE))
        if item.checkState(0) == Qt.CheckState.Checked:
            self.kiosk.reselect(key)
            return
        labels = list(DESELECT_REASONS.values())
        label, ok = QInputDialog.getItem(self, "手続を行わない理由", "理由を選んでください", labels, 0, False)
        if ok and label in labels:
            self.kiosk.deselect(key, list(DESELECT_REASONS)[labels.index(label)])
        else:
            self.show_view(self.kiosk.review.value)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Backspace:
            self.kiosk.back()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.kiosk.go_print()
        else:
            super().keyPressEvent(event)
