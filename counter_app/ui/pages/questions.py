"""Step: one question at a time, big buttons, number keys / Enter / Backspace, procedures beside it."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from counter_app.presenters.kiosk import KioskPresenter, QuestionsView
from counter_app.ui.plain import PlainLabel
from counter_app.ui.towns import attach_towns
from counter_app.ui.visibility import show_only

if TYPE_CHECKING:  # the engine loads with the catalog, after the window shows
    from procedures.engine import NeededProcedure


def procedure_line(procedure: NeededProcedure, names: tuple[str, ...]) -> str:
    who = "・".join(names[i].split("\u3000")[-1] for i in procedure.members if i < len(names))
    suffix = f"({who})" if who and procedure.procedure.scope == "member" else ""
    return f"{procedure.procedure.name}{suffix} — {procedure.reason}"


class QuestionsPage(QWidget):
    _choices: list[tuple[str, bool | str]]  # what the choice buttons answer
    _procedure_lines: list[str]  # the list of procedures as shown
    _button_pool: list[QPushButton]  # every choice button made; those beyond the question's are hidden

    def __init__(self, kiosk: KioskPresenter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kiosk = kiosk
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        outer = QHBoxLayout(self)
        left = QVBoxLayout()
        self.counter = PlainLabel()
        self.counter.setObjectName("hint")
        self.who = PlainLabel()
        self.text = PlainLabel()
        self.text.setObjectName("title")
        self.help = PlainLabel()
        self.help.setObjectName("hint")
        self.error = PlainLabel()
        self.error.setObjectName("warning")
        for label in (self.text, self.help, self.error):
            label.setWordWrap(True)
        for label in (self.counter, self.who, self.text, self.help, self.error):
            left.addWidget(label)
        left.addWidget(self._answer_area(), 1)
        outer.addLayout(left, 3)
        right = QVBoxLayout()
        right.addWidget(PlainLabel("必要な手続(ここまでの回答で)"))
        self.procedures = QListWidget()
        self.procedures.setWordWrap(True)
        right.addWidget(self.procedures)
        outer.addLayout(right, 2)
        self.choice_buttons: list[QPushButton] = []  # the buttons of the question on screen
        self._choices, self._procedure_lines, self._button_pool = [], [], []
        self._shown_question: tuple[str, int | None, int] | None = None
        kiosk.questions.subscribe(self.show_view)

    def _answer_area(self) -> QWidget:
        """What changes from one kind of question to the next, shown and hidden as one
        (:func:`~counter_app.ui.visibility.show_only`): the choice buttons, the number, date and text
        fields, the address offer, and the back and 決定 buttons."""
        self.answer_area = QWidget()
        area = QVBoxLayout(self.answer_area)
        area.setContentsMargins(0, 0, 0, 0)
        self.choices_box = QVBoxLayout()
        area.addLayout(self.choices_box)
        self.number = QSpinBox()
        self.number.setRange(0, 999)
        self.date = QDateEdit()
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy年M月d日")
        self.line = QLineEdit()
        self.line.textEdited.connect(self.kiosk.type_answer)
        for widget in (self.number, self.date, self.line):
            area.addWidget(widget)
        self.address_row = self._address_offer()
        area.addWidget(self.address_row)
        self.ok_button = QPushButton("決定(Enter)")
        self.ok_button.setObjectName("primary")
        self.ok_button.clicked.connect(self._submit_value)
        self.back_button = QPushButton("前の質問に戻る(Backspace)")
        self.back_button.clicked.connect(self.kiosk.back)
        row = QHBoxLayout()
        row.addWidget(self.back_button)
        row.addStretch(1)
        row.addWidget(self.ok_button)
        area.addStretch(1)
        area.addLayout(row)
        return self.answer_area

    def _address_offer(self) -> QWidget:
        """The address(es) of a 郵便番号 typed as the answer; F6 puts the chosen one in. The 町丁目
        of the municipality are offered as completion."""
        self.line.setPlaceholderText("住所は郵便番号 7桁か町名の最初の数文字で候補が出ます")
        attach_towns(self.line, self.kiosk.town_addresses)
        row = QWidget()
        offer = QHBoxLayout(row)
        offer.setContentsMargins(0, 0, 0, 0)
        self.address_note = PlainLabel()
        self.address_note.setObjectName("hint")
        self.address_choice = QComboBox()
        self.address_button = QPushButton("この住所を入れる(F6)")
        self.address_button.setShortcut("F6")
        self.address_button.clicked.connect(self._use_address)
        offer.addWidget(self.address_note)
        offer.addWidget(self.address_choice, 1)
        offer.addWidget(self.address_button)
        row.hide()
        return row

    def _set_choices(self, options: list[tuple[str, bool | str]]) -> dict[QWidget, bool]:
        """One button per choice; the same choices as the question before keep their buttons. The buttons
        are kept in a pool and relabelled: a new button costs a style polish, a queued show and a second
        layout pass and repaint of the page (measured 2–3 repaints an answer), a relabelled one none.
        Returns which buttons show (for :func:`~counter_app.ui.visibility.show_only`)."""
        if options == self._choices:
            return {}
        self._choices = options
        for index, (label, _value) in enumerate(options):
            if index == len(self._button_pool):
                button = QPushButton()
                button.setMinimumHeight(64)
                button.clicked.connect(lambda _=False, i=index: self._choose(i))
                self.choices_box.addWidget(button)
                self._button_pool.append(button)
            self._button_pool[index].setText(f"{index + 1}. {label}")
        self.choice_buttons = self._button_pool[: len(options)]
        return {button: index < len(options) for index, button in enumerate(self._button_pool)}

    def _choose(self, index: int) -> None:
        self.kiosk.answer(self._choices[index][1])

    def _use_address(self) -> None:
        self.kiosk.use_answer_address(max(0, self.address_choice.currentIndex()))
        self.line.setFocus()
        self.line.end(False)

    def _show_text(self, view: QuestionsView) -> None:
        if self.line.text() != view.text:
            self.line.setText(view.text)
        options = tuple(self.address_choice.itemText(i) for i in range(self.address_choice.count()))
        if options != view.address_options:
            self.address_choice.clear()
            self.address_choice.addItems(list(view.address_options))
        self.address_note.setText(view.address_note)
        self.address_row.setVisible(bool(view.address_options))

    def show_view(self, view: QuestionsView) -> None:
        if (
            self.choice_buttons == []
            and view.question is not None
            and view.question.question.type == "text"
            and self._shown_question == (view.question.id, view.question.member, view.position)
        ):
            self._show_text(view)  # typing in the same text question: keep the page as it is
            self.error.setText(view.error)
            return
        self._shown_question = (
            (view.question.id, view.question.member, view.position) if view.question else None
        )
        self._show_text(view)
        self.error.setText(view.error)
        lines = (
            [procedure_line(p, view.member_names) for p in view.guidance.procedures] if view.guidance else []
        )
        if lines != self._procedure_lines:  # most answers change no line: no list rebuilt, no relayout
            self._procedure_lines = lines
            self.procedures.clear()
            self.procedures.addItems(lines)
            self.procedures.doItemsLayout()  # now, not on the view's timer: one repaint, not two
        question = view.question
        kind = question.question.type if question else ""
        wanted: dict[QWidget, bool] = {
            self.number: kind == "number",
            self.date: kind == "date",
            self.line: kind == "text",
            self.ok_button: kind in ("number", "date", "text"),
        }
        if question is None:
            show_only(self.answer_area, wanted | self._set_choices([]))
            self.text.setText("")
            self.who.setText("")
            self.help.setText("")
            return
        self.counter.setText(f"質問 {view.position + 1}(回答済み {view.position})")
        who = view.member_names[question.member] if question.member is not None else ""
        self.who.setText(f"{who} さんについて" if who else "世帯について")
        self.text.setText(question.question.text)
        self.help.setText(question.question.help)
        options: list[tuple[str, bool | str]] = []
        if kind == "yes_no":
            options = [("はい", True), ("いいえ", False)]
        elif kind == "choice":
            options = [(c.label, c.value) for c in question.question.choices]
        show_only(self.answer_area, wanted | self._set_choices(options))
        if kind == "number":
            q = question.question
            self.number.setRange(q.min if q.min is not None else 0, q.max if q.max is not None else 999)
            self.number.setValue(self.number.minimum())
        elif kind == "date":
            self.date.setDate(QDate.currentDate())
        elif kind == "text":
            self.line.setText(view.text)
        self.setFocus()

    def _submit_value(self) -> None:
        question = self.kiosk.questions.value.question
        if question is None:
            return
        kind = question.question.type
        if kind == "number":
            self.kiosk.answer(self.number.value())
        elif kind == "date":
            q = self.date.date()
            self.kiosk.answer(dt.date(q.year(), q.month(), q.day()).isoformat())
        elif kind == "text" and self.line.text().strip():
            self.kiosk.answer(self.line.text().strip())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        if (
            self.choice_buttons
            and text.isdigit()
            and text.isascii()
            and 1 <= int(text) <= len(self.choice_buttons)
        ):
            self.choice_buttons[int(text) - 1].click()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._submit_value()
        elif event.key() == Qt.Key.Key_Backspace and not self.line.hasFocus():
            self.kiosk.back()
        else:
            super().keyPressEvent(event)
