"""The resident's screen (second monitor): the PIN pad for the resident, then their own details, the
new address with its furigana and the procedures, in large type and polite Japanese — or in the
language the resident chooses on this screen (:mod:`counter_app.presenters.resident_language`; the
clerk's screen stays Japanese) — to confirm before anything is printed.

Between visits it shows only a welcome: nothing of the previous resident ever stays on it. Turned on
by ``devices.resident_screen`` (auto: when a second monitor is connected).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QListWidget, QStackedWidget, QVBoxLayout, QWidget

from counter_app.presenters.kiosk import KioskPresenter, KioskView, QuestionsView, ReviewView, Step
from counter_app.presenters.resident_language import CHOICES, ResidentLanguage
from counter_app.ui.pin_pad import IdentifyPage
from counter_app.ui.plain import PlainLabel
from counter_app.ui.style import RESIDENT_POINT_SIZE


class ResidentWindow(QWidget):
    def __init__(
        self, kiosk: KioskPresenter, counter_name: str, language: ResidentLanguage | None = None
    ) -> None:
        super().__init__()
        self.kiosk = kiosk
        if language is None:  # alone (no print step shares it): it follows the visits itself
            language = ResidentLanguage()
            language.follow_visits(kiosk)
        self.language = language  # shared with the print step (the guide sheet)
        self.setWindowTitle(self.language.text("window_title"))
        self.setStyleSheet(
            f"QWidget {{ font-size: {RESIDENT_POINT_SIZE}pt; }} QLabel#title {{ font-weight: bold; }}"
        )
        outer = QVBoxLayout(self)
        # The resident chooses the language of this screen (touch); Japanese again after each visit.
        chooser_row = QHBoxLayout()
        self.language_label = PlainLabel(self.language.text("language"))
        self.chooser = QComboBox()
        for code, name in CHOICES:
            self.chooser.addItem(name, code)
        self.chooser.currentIndexChanged.connect(lambda _i: self.language.choose(self.chooser.currentData()))
        chooser_row.addStretch(1)
        chooser_row.addWidget(self.language_label)
        chooser_row.addWidget(self.chooser)
        outer.addLayout(chooser_row)
        self.stack = QStackedWidget()
        outer.addWidget(self.stack)

        self.info = QWidget()
        layout = QVBoxLayout(self.info)
        self.title = PlainLabel()
        self.title.setObjectName("title")
        self.title.setWordWrap(True)
        self.details = PlainLabel()
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.PlainText)  # names come from cards and QR codes
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.procedures_title = PlainLabel(self.language.text("procedures"))
        self.procedures = QListWidget()
        self.procedures.setWordWrap(True)
        for widget in (self.title, self.details, self.procedures_title, self.procedures):
            layout.addWidget(widget)
        self.stack.addWidget(self.info)

        # The resident types the PIN here (touch screen or a PIN pad): the clerk's screen shows progress.
        self.pin_pad = IdentifyPage(kiosk.identify, resident=True, language=self.language)
        self.stack.addWidget(self.pin_pad)

        self.counter_name = counter_name
        kiosk.view.subscribe(self.show_view)
        kiosk.household.subscribe(lambda _h: self.show_view(kiosk.view.value))
        kiosk.questions.subscribe(self._questions)
        kiosk.review.subscribe(self._review)
        self.language.language.subscribe(self._language_changed)

    def _language_changed(self, code: str) -> None:
        index = self.chooser.findData(code)
        if index != self.chooser.currentIndex():
            self.chooser.setCurrentIndex(index)
        self.setWindowTitle(self.language.text("window_title"))
        self.procedures_title.setText(self.language.text("procedures"))
        self.show_view(self.kiosk.view.value)
        self._questions(self.kiosk.questions.value)
        self._review(self.kiosk.review.value)

    def show_view(self, view: KioskView) -> None:
        session = self.kiosk.session
        text = self.language.text
        if view.step is Step.IDENTIFY:
            self.stack.setCurrentWidget(self.pin_pad)
            return
        self.stack.setCurrentWidget(self.info)
        if view.step in (Step.WAITING, Step.DONE) or session is None:
            self.title.setText(
                text("welcome", counter=self.counter_name) if view.step is Step.WAITING else text("thanks")
            )
            self.details.clear()
            self.procedures.clear()
            self.procedures_title.hide()
            return
        confirming = view.step in (Step.REVIEW, Step.PRINT)
        self.title.setText(text("confirm_review") if confirming else text("confirm_details"))
        lines = []
        for member in session.members:
            lines += self.language.member_lines(member, with_address=not confirming)
        if confirming and session.event:
            address = self.kiosk.address_on_forms()
            if address:
                lines.append("")
                lines.append(text("document_address", address=address))
        self.details.setText("\n".join(lines))

    def _questions(self, view: QuestionsView) -> None:
        if view.guidance is None:
            return
        self.procedures_title.show()
        catalog = self.kiosk.catalog
        self._show_procedures([self.language.procedure_line(catalog, p) for p in view.guidance.procedures])

    def _show_procedures(self, lines: list[str]) -> None:
        """Most answers change no line: the list is rebuilt (and laid out again) only when one changed."""
        if [self.procedures.item(i).text() for i in range(self.procedures.count())] != lines:
            self.procedures.clear()
            self.procedures.addItems(lines)

    def _review(self, view: ReviewView) -> None:
        if not view.procedures:
            return
        self.procedures_title.show()
        lines = []
        for procedure in view.procedures:
            if procedure.key not in view.deselected:
                line = self.language.procedure_line(self.kiosk.catalog, procedure, with_reason=False)
                lines.append(f"{line}({procedure.counter.name})")
        self._show_procedures(lines)
