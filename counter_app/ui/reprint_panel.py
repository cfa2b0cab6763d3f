"""本日の再印刷: today's printed visits, their papers at real size, reprint and correction.

Observes a :class:`~counter_app.presenters.reprint.ReprintPresenter` and forwards input; keyboard
first: Enter opens the chosen visit / reprints the chosen documents, F9 reprints all, F4 corrects a
member's detail, Backspace goes back to the list. Used as a dialog from the clerk's window (F8) and as
a tab of the supervisor's menu.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counter_app.presenters.member_form import LABELS
from counter_app.presenters.reprint import ReprintPresenter, ReprintStep, ReprintView
from counter_app.ui.keys import ENTER_KEYS
from counter_app.ui.plain import PlainLabel
from counter_app.ui.previews import PagePreviews

CORRECTABLE = ("name", "furigana", "birth_date", "address")


class ReprintPanel(QWidget):
    def __init__(self, presenter: ReprintPresenter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.presenter = presenter
        layout = QVBoxLayout(self)
        title = PlainLabel("本日の受付の再印刷・訂正")
        title.setObjectName("title")
        layout.addWidget(title)
        self.message = PlainLabel()
        self.message.setWordWrap(True)
        self.error = PlainLabel()
        self.error.setObjectName("warning")
        self.error.setWordWrap(True)
        layout.addWidget(self.message)
        layout.addWidget(self.error)
        row = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(PlainLabel("本日印刷した受付(Enter: 開く)"))
        self.visits = QListWidget()
        self.visits.itemActivated.connect(
            lambda item: presenter.open(str(item.data(Qt.ItemDataRole.UserRole)))
        )
        left.addWidget(self.visits, 1)
        left.addWidget(PlainLabel("書類(Enter: 選んだ書類を再印刷)"))
        self.documents = QListWidget()
        self.documents.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.documents.itemActivated.connect(lambda _item: self._reprint_chosen())
        left.addWidget(self.documents, 1)
        self.correct_box = self._correction_box()
        left.addWidget(self.correct_box)
        row.addLayout(left, 1)
        self.previews = PagePreviews()
        row.addWidget(self.previews, 3)
        layout.addLayout(row, 1)
        buttons = QHBoxLayout()
        self.back_button = QPushButton("一覧に戻る(Backspace)")
        self.back_button.clicked.connect(presenter.refresh)
        self.correct_button = QPushButton("訂正する(F4)")
        self.correct_button.setShortcut("F4")
        self.correct_button.clicked.connect(self._start_correction)
        self.chosen_button = QPushButton("選んだ書類を再印刷")
        self.chosen_button.clicked.connect(self._reprint_chosen)
        self.all_button = QPushButton("すべて再印刷(F9)")
        self.all_button.setShortcut("F9")
        self.all_button.clicked.connect(lambda: presenter.reprint(None))
        for button in (self.back_button, self.correct_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.chosen_button)
        buttons.addWidget(self.all_button)
        layout.addLayout(buttons)
        presenter.view.subscribe(self.show_view)

    def _correction_box(self) -> QWidget:
        """Correction of one member's detail (氏名・フリガナ・生年月日・住所), with its reason."""
        box = QWidget()
        form = QFormLayout(box)
        self.member = QComboBox()
        self.field = QComboBox()
        for key in CORRECTABLE:
            self.field.addItem(LABELS[key], key)
        self.value = QLineEdit()
        self.value.setPlaceholderText("訂正後の内容")
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("訂正の理由(例: 氏名の字の誤り)")
        self.confirm = QPushButton("訂正して書類を作り直す(Enter)")
        self.confirm.clicked.connect(self._confirm)
        form.addRow("世帯員", self.member)
        form.addRow("項目", self.field)
        form.addRow("訂正後", self.value)
        form.addRow("理由", self.reason)
        form.addRow(self.confirm)
        box.hide()
        return box

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.presenter.refresh()
        self.visits.setFocus()

    def show_view(self, view: ReprintView) -> None:
        self.message.setText(view.message)
        self.error.setText(view.error)
        self.visits.clear()
        for visit in view.visits:
            item = QListWidgetItem(visit.label)
            item.setData(Qt.ItemDataRole.UserRole, visit.visit_id)
            self.visits.addItem(item)
            if visit.visit_id == view.selected:
                self.visits.setCurrentItem(item)
        if view.visits and self.visits.currentRow() < 0:
            self.visits.setCurrentRow(0)
        self.documents.clear()
        for document in view.documents:
            self.documents.addItem(f"{document.title}({document.pages}枚)")
        if view.documents:
            self.documents.setCurrentRow(0)
        ready = view.step is ReprintStep.READY
        for button in (self.chosen_button, self.all_button, self.correct_button):
            button.setEnabled(ready)
        self.back_button.setEnabled(view.selected is not None)
        correcting = view.step is ReprintStep.CORRECTING
        self.correct_box.setVisible(correcting)
        if not correcting:
            self.member.clear()
            self.member.addItems(list(view.members))
        if view.step is ReprintStep.READY and not self.documents.hasFocus() and self.isVisible():
            self.documents.setFocus()
        self.previews.show_documents(view.documents)

    def _start_correction(self) -> None:
        self.presenter.start_correction(max(0, self.member.currentIndex()))
        self.value.clear()
        self.reason.clear()
        self.value.setFocus()

    def _confirm(self) -> None:
        form = self.presenter.correction.value
        if form is None:
            return
        form.set_field(str(self.field.currentData()), self.value.text())
        self.presenter.confirm_correction(self.reason.text())

    def _reprint_chosen(self) -> None:
        rows = sorted(index.row() for index in self.documents.selectedIndexes())
        self.presenter.reprint(rows)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        view = self.presenter.view.value
        if event.key() in ENTER_KEYS and view.step is ReprintStep.CORRECTING:
            self._confirm()
            return
        backspace = event.key() == Qt.Key.Key_Backspace
        if backspace and view.step is not ReprintStep.CORRECTING and view.selected is not None:
            self.presenter.refresh()
            self.visits.setFocus()
            return
        if event.key() == Qt.Key.Key_Escape and view.step is ReprintStep.CORRECTING:
            self.presenter.cancel_correction()
            return
        super().keyPressEvent(event)


class ReprintDialog(QDialog):
    """The clerk's 再印刷 (F8): the panel in a window-modal dialog; closing leaves no details on screen."""

    def __init__(self, presenter: ReprintPresenter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("本日の再印刷")
        self.presenter = presenter
        self.panel = ReprintPanel(presenter)
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel)
        close = QPushButton("閉じる(Esc)")
        close.clicked.connect(self.reject)
        layout.addWidget(close)
        self.finished.connect(lambda _r: presenter.close())
        self.resize(1200, 850)
