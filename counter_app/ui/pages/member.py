"""Step 2/3: the four details (from the card, or typed), furigana, relationship; changes need a reason."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counter_app.presenters.kiosk import KioskPresenter
from counter_app.presenters.member_form import LABELS, MemberFormPresenter, MemberFormView
from counter_app.ui.keys import ENTER_KEYS, enter_clicks, focus_first
from counter_app.ui.plain import PlainLabel
from counter_app.ui.towns import attach_towns
from procedures.visit import Relationship, Source

RELATIONSHIP_KEYS = "123456789AB"  # the key that picks each 続柄 in its combo box

SOURCE_LABELS = {
    Source.CARD: "マイナンバーカードから読み取り",
    Source.QR: "QRコードから",
    Source.TYPED: "手入力",
    Source.REGISTRY: "住民記録から",
}


class MemberPage(QWidget):
    def __init__(self, kiosk: KioskPresenter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kiosk = kiosk
        self.presenter: MemberFormPresenter | None = None
        self._unsubscribe: object = None
        layout = QVBoxLayout(self)
        self.title = PlainLabel("ご本人の情報の確認")
        self.title.setObjectName("title")
        self.source = PlainLabel()
        self.source.setObjectName("hint")
        layout.addWidget(self.title)
        layout.addWidget(self.source)
        form = QFormLayout()
        self.inputs: dict[str, QLineEdit] = {}
        self.errors: dict[str, QLabel] = {}
        for name in ("name", "furigana", "birth_date", "address", "reason"):
            edit = QLineEdit()
            edit.textEdited.connect(lambda text, n=name: self._set(n, text))
            self.inputs[name] = edit
        self.inputs["birth_date"].setPlaceholderText("和暦 4050101・S63.6.12 または 西暦 19880612")
        self.inputs["reason"].setPlaceholderText("カードの内容を変えたときは理由(例: カード記載後に転居)")
        self._combos()
        self.suggestion = QPushButton()
        self.suggestion.setShortcut("F3")
        self.suggestion.clicked.connect(self._accept_suggestion)
        address_box = self._address_box()
        furigana_row = QHBoxLayout()
        furigana_row.addWidget(self.inputs["furigana"], 1)
        furigana_row.addWidget(self.suggestion)
        for name, widget in (
            ("name", self.inputs["name"]),
            ("furigana", furigana_row),
            ("birth_date", self.inputs["birth_date"]),
            ("sex", self.sex),
            ("address", address_box),
            ("relationship", self.relationship),
        ):
            error = PlainLabel()
            error.setObjectName("warning")
            self.errors[name] = error
            form.addRow(PlainLabel(LABELS[name]), widget)
            form.addRow(PlainLabel(), error)
        self.reason_label = PlainLabel("変更の理由")
        self.errors["reason"] = PlainLabel()
        self.errors["reason"].setObjectName("warning")
        form.addRow(self.reason_label, self.inputs["reason"])
        form.addRow(PlainLabel(), self.errors["reason"])
        layout.addLayout(form)
        self.confirm_button = QPushButton("この内容で確定(Enter)")
        self.confirm_button.setObjectName("primary")
        self.confirm_button.setDefault(True)
        self.confirm_button.clicked.connect(kiosk.confirm_member)
        layout.addWidget(self.confirm_button, alignment=Qt.AlignmentFlag.AlignRight)
        kiosk.member_form.subscribe(self._bind)

    def _combos(self) -> None:
        self.sex = QComboBox()
        self.sex.addItem("(選択)", "")
        # A number key picks the item (a closed combo box selects the item its text starts with).
        self.sex.addItem("1 男", "male")
        self.sex.addItem("2 女", "female")
        self.sex.currentIndexChanged.connect(lambda _i: self._set("sex", str(self.sex.currentData())))
        self.relationship = QComboBox()
        for key, relationship in zip(RELATIONSHIP_KEYS, Relationship, strict=True):
            self.relationship.addItem(f"{key} {relationship.label_ja}", relationship.value)
        self.relationship.currentIndexChanged.connect(
            lambda _i: self._set("relationship", str(self.relationship.currentData()))
        )

    def _address_box(self) -> QVBoxLayout:
        """The address field and, under it, the offered address: from a 郵便番号 typed into the field,
        or the household's address; one key (F6) puts it in."""
        self.address_choice = QComboBox()
        self.address_button = QPushButton("この住所を入れる(F6)")
        self.address_button.setShortcut("F6")
        self.address_button.clicked.connect(self._use_address)
        self.address_note = PlainLabel()
        self.address_note.setObjectName("hint")
        address_row = QHBoxLayout()
        address_row.addWidget(self.address_note)
        address_row.addWidget(self.address_choice, 1)
        address_row.addWidget(self.address_button)
        self.address_offer = QWidget()
        self.address_offer.setLayout(address_row)
        address_box = QVBoxLayout()
        address_box.setContentsMargins(0, 0, 0, 0)
        address_box.addWidget(self.inputs["address"])
        address_box.addWidget(self.address_offer)
        self.inputs["address"].setPlaceholderText("住所(郵便番号 7桁か町名の最初の数文字で候補が出ます)")
        attach_towns(self.inputs["address"], self.kiosk.town_addresses)
        return address_box

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # Typing starts at the first empty field (a card read fills the four details: then the button);
        # after a family name offered for an added member, at the given name.
        name = self.inputs["name"]
        if self.presenter is not None and self.presenter.family_prefix and name.text().endswith("\u3000"):
            name.setFocus(Qt.FocusReason.OtherFocusReason)
            name.end(False)
            return
        empty = [
            self.inputs[n] for n in ("name", "furigana", "birth_date", "address") if not self.inputs[n].text()
        ]
        focus_first([*empty, self.confirm_button])

    def _fields(self) -> list[QWidget]:
        inputs = self.inputs
        fields: list[QWidget] = [inputs["name"], inputs["furigana"], inputs["birth_date"], self.sex]
        fields += [inputs["address"], self.relationship]
        return fields + ([inputs["reason"]] if inputs["reason"].isVisible() else [])

    def _empty(self, widget: QWidget) -> bool:
        if isinstance(widget, QLineEdit):
            return not widget.text().strip()
        return isinstance(widget, QComboBox) and not widget.currentData()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter in a field goes on to the next field still empty (as on paper-form software at the
        # counters); when none is left, Enter confirms. (The IME's own Enter, which commits the
        # converted text, never reaches the page.)
        focused = QApplication.focusWidget()
        fields = self._fields()
        if event.key() in ENTER_KEYS and focused in fields:
            after = fields[fields.index(focused) + 1 :] + fields[: fields.index(focused)]
            empty = [w for w in after if self._empty(w)]
            if empty:
                empty[0].setFocus(Qt.FocusReason.TabFocusReason)
                return
        if not enter_clicks(event, lambda: self.confirm_button):
            super().keyPressEvent(event)

    def _bind(self, presenter: MemberFormPresenter | None) -> None:
        self.presenter = presenter
        if presenter is not None:
            presenter.view.subscribe(self.show_view)

    def _set(self, name: str, value: str) -> None:
        if self.presenter is not None:
            self.presenter.set_field(name, value)

    def _use_address(self) -> None:
        if self.presenter is not None:
            self.presenter.use_address(max(0, self.address_choice.currentIndex()))
            self.inputs["address"].setFocus()
            self.inputs["address"].end(False)

    def _accept_suggestion(self) -> None:
        if self.presenter is not None:
            self.presenter.accept_suggestion()

    def show_view(self, view: MemberFormView) -> None:
        if self.presenter is None or self.presenter.view.value is not view:
            return
        self.source.setText(SOURCE_LABELS[view.source])
        for name in ("name", "furigana", "birth_date", "address", "reason"):
            widget = self.inputs[name]
            value = str(getattr(view, name))
            if widget.text() != value:
                widget.setText(value)
        self.sex.blockSignals(True)
        self.sex.setCurrentIndex(max(0, self.sex.findData(view.sex)))
        self.sex.blockSignals(False)
        self.relationship.blockSignals(True)
        self.relationship.setCurrentIndex(max(0, self.relationship.findData(view.relationship)))
        self.relationship.blockSignals(False)
        self.suggestion.setVisible(
            bool(view.furigana_suggestion) and view.furigana != view.furigana_suggestion
        )
        self.suggestion.setText(f"候補「{view.furigana_suggestion}」を使う(F3)")
        self.suggestion.setShortcut("F3")  # (setText resets a button's shortcut to the text's mnemonic)
        if tuple(self.address_choice.itemText(i) for i in range(self.address_choice.count())) != (
            view.address_options
        ):
            self.address_choice.clear()
            self.address_choice.addItems(list(view.address_options))
        self.address_note.setText(view.address_note)
        self.address_offer.setVisible(bool(view.address_options))
        for name, label in self.errors.items():
            label.setText(view.errors.get(name, ""))
        self.reason_label.setVisible(view.needs_reason)
        self.inputs["reason"].setVisible(view.needs_reason)
