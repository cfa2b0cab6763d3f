"""The PIN pad of the identify step: ten big keys, dots for the digits typed, tries left up front."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QGridLayout, QProgressBar, QPushButton, QVBoxLayout, QWidget

from counter_app.presenters.identify import PIN_DIGITS, IdentifyPresenter, IdentifyStep, IdentifyView
from counter_app.presenters.resident_language import ResidentLanguage
from counter_app.ui.plain import PlainLabel


class IdentifyPage(QWidget):
    """Shows an :class:`IdentifyPresenter`; keys go to the presenter, nothing is decided here."""

    def __init__(
        self,
        presenter: IdentifyPresenter,
        parent: QWidget | None = None,
        type_instead: Callable[[], None] | None = None,
        resident: bool = False,
        language: ResidentLanguage | None = None,
    ) -> None:
        super().__init__(parent)
        self.presenter = presenter
        self.resident = resident  # the resident's own screen: polite wording, digits by touch
        self.keypad_elsewhere = False  # the clerk's screen while the resident's screen has the pad
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        layout = QVBoxLayout(self)
        self.title = PlainLabel(
            "ご本人確認(マイナンバーカード)" if resident else "マイナンバーカードの読み取り"
        )
        self.title.setObjectName("title")
        self.tries = PlainLabel()
        self.tries.setObjectName("big")
        self.message = PlainLabel()
        self.message.setWordWrap(True)
        self.dots = PlainLabel()
        self.dots.setObjectName("big")
        self.dots.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        for widget in (self.title, self.tries, self.message, self.dots, self.progress):
            layout.addWidget(widget)

        self.keys = QWidget()
        grid = QGridLayout(self.keys)
        self.digit_buttons: dict[str, QPushButton] = {}
        for index, digit in enumerate("1234567890"):
            button = QPushButton(digit)
            button.setObjectName("key")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _=False, d=digit: self.presenter.press_digit(d))
            self.digit_buttons[digit] = button
            row, column = divmod(index, 3) if digit != "0" else (3, 1)
            grid.addWidget(button, row, column)
        self.back_button = QPushButton("訂正")
        self.back_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.back_button.clicked.connect(self.presenter.backspace)
        grid.addWidget(self.back_button, 3, 0)
        self.ok_button = QPushButton("決定")
        self.ok_button.setObjectName("primary")
        self.ok_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.ok_button.clicked.connect(self.presenter.submit)
        grid.addWidget(self.ok_button, 3, 2)
        layout.addWidget(self.keys)

        self.confirm_button = QPushButton("本人に確認しました。最後の1回を入力します")
        self.confirm_button.setObjectName("danger")
        self.confirm_button.clicked.connect(self.presenter.confirm_last_try)
        layout.addWidget(self.confirm_button)
        # The way out when the card cannot be used (locked, forgotten PIN): type the four details.
        self.type_button = QPushButton("カードを使わず手入力で続ける(F2)")
        self.type_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.type_button.setShortcut("F2")
        self.type_button.setVisible(type_instead is not None)
        if type_instead is not None:
            self.type_button.clicked.connect(type_instead)
        layout.addWidget(self.type_button, alignment=Qt.AlignmentFlag.AlignLeft)
        self._connect(language)

    def _connect(self, language: ResidentLanguage | None) -> None:
        """Follow the presenter; the resident's screen also the language the resident chose (the
        clerk's screen stays Japanese)."""
        self.language = language
        self.presenter.view.subscribe(self.show_view)
        if language is not None:
            language.language.subscribe(lambda _code: self.show_view(self.presenter.view.value))

    def _in_language(self) -> bool:
        return self.language is not None and self.language.language.value != "ja"

    def pad_on_resident_screen(self, elsewhere: bool) -> None:
        """The clerk's page when the resident types the PIN on their own screen: progress only."""
        self.keypad_elsewhere = elsewhere
        self.show_view(self.presenter.view.value)

    def show_view(self, view: IdentifyView) -> None:
        entering = view.step is IdentifyStep.PIN_ENTRY
        self.tries.setText("" if view.tries_left is None else f"暗証番号の残り回数: {view.tries_left}回")
        tries_look = "warning" if view.tries_left is not None and view.tries_left <= 1 else "big"
        if self.tries.objectName() != tries_look:  # a re-polish re-lays the label out (2 ms): on change only
            self.tries.setObjectName(tries_look)
            self.tries.style().polish(self.tries)
        self.message.setText(view.message)
        self.dots.setText("●" * view.digits + "○" * (PIN_DIGITS - view.digits) if entering else "")
        self.keys.setVisible(entering and not self.keypad_elsewhere)
        if self.keypad_elsewhere and entering:
            self.message.setText("ご本人が本人確認用の画面で暗証番号を入力しています")
        self.ok_button.setEnabled(view.can_submit)
        if self.language is not None:
            text = self.language.text
            self.title.setText(text("pin_title"))
            self.back_button.setText(text("back"))
            self.ok_button.setText(text("ok"))
        if self._in_language() and self.language is not None:
            # What the resident reads, in their language; the clerk's screen keeps the Japanese details.
            text = self.language.text
            self.tries.setText("" if view.tries_left is None else text("tries", n=view.tries_left))
            key = {
                IdentifyStep.CHECKING: "checking",
                IdentifyStep.READING: "reading",
                IdentifyStep.DONE: "done",
                IdentifyStep.CONFIRM_LAST_TRY: "last_try_wait",
                IdentifyStep.PIN_ENTRY: "pin_last" if view.last_try_confirmed else "pin_enter",
            }.get(view.step, "staff")
            self.message.setText(text(key))
        # The last try is the clerk's decision, on the clerk's screen (never the resident's).
        self.confirm_button.setVisible(view.step is IdentifyStep.CONFIRM_LAST_TRY and not self.resident)
        if self.resident and view.step is IdentifyStep.CONFIRM_LAST_TRY:
            wait = "残り1回です。係員がご案内しますので、少しお待ちください"
            self.message.setText(self.language.text("last_try_wait") if self.language is not None else wait)
        self.progress.setVisible(view.step in (IdentifyStep.CHECKING, IdentifyStep.READING))
        self.progress.setValue(int(view.progress * 100))
        if view.step is IdentifyStep.CHECKING or view.step is IdentifyStep.READING:
            self.progress.setRange(0, 0)  # busy: the card answers in well under a second
        else:
            self.progress.setRange(0, 100)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Keyboard operation: digits, Backspace, Enter. The clerk never has to reach for the mouse."""
        text = event.text()
        if text.isdigit() and len(text) == 1 and text.isascii():
            self.presenter.press_digit(text)
        elif event.key() == Qt.Key.Key_Backspace:
            self.presenter.backspace()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.presenter.submit()
        else:
            super().keyPressEvent(event)
