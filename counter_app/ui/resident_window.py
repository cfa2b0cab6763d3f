"""The resident's screen (second monitor): the PIN pad for the resident, then their own details, the
new address with its furigana and the procedures, in large type and polite Japanese, to confirm before
anything is printed.

Between visits it shows only a welcome: nothing of the previous resident ever stays on it. Turned on
by ``devices.resident_screen`` (auto: when a second monitor is connected).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QStackedWidget, QVBoxLayout, QWidget

from counter_app.presenters.kiosk import KioskPresenter, KioskView, QuestionsView, ReviewView, Step
from counter_app.ui.pin_pad import IdentifyPage
from counter_app.ui.plain import PlainLabel
from counter_app.ui.style import RESIDENT_POINT_SIZE
from counter_app.workflow.visit_fields import common_values


class ResidentWindow(QWidget):
    def __init__(self, kiosk: KioskPresenter, counter_name: str) -> None:
        super().__init__()
        self.kiosk = kiosk
        self.setWindowTitle("ご本人確認用画面")
        self.setStyleSheet(
            f"QWidget {{ font-size: {RESIDENT_POINT_SIZE}pt; }} QLabel#title {{ font-weight: bold; }}"
        )
        outer = QVBoxLayout(self)
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
        self.procedures_title = PlainLabel("必要なお手続き")
        self.procedures = QListWidget()
        self.procedures.setWordWrap(True)
        for widget in (self.title, self.details, self.procedures_title, self.procedures):
            layout.addWidget(widget)
        self.stack.addWidget(self.info)

        # The resident types the PIN here (touch screen or a PIN pad): the clerk's screen shows progress.
        self.pin_pad = IdentifyPage(kiosk.identify, resident=True)
        self.stack.addWidget(self.pin_pad)

        self.counter_name = counter_name
        kiosk.view.subscribe(self.show_view)
        kiosk.household.subscribe(lambda _h: self.show_view(kiosk.view.value))
        kiosk.questions.subscribe(self._questions)
        kiosk.review.subscribe(self._review)

    def show_view(self, view: KioskView) -> None:
        session = self.kiosk.session
        if view.step is Step.IDENTIFY:
            self.stack.setCurrentWidget(self.pin_pad)
            return
        self.stack.setCurrentWidget(self.info)
        if view.step in (Step.WAITING, Step.DONE) or session is None:
            self.title.setText(
                f"{self.counter_name}\nいらっしゃいませ"
                if view.step is Step.WAITING
                else "ありがとうございました。書類の内容をご確認のうえ、ご署名ください。"
            )
            self.details.clear()
            self.procedures.clear()
            self.procedures_title.hide()
            return
        confirming = view.step in (Step.REVIEW, Step.PRINT)
        self.title.setText(
            "この内容で書類をお作りします。お間違いがないか、ご確認ください。"
            if confirming
            else "ご本人の情報をご確認ください"
        )
        lines = []
        for member in session.members:
            furigana = f"({member.furigana})" if member.furigana else ""
            lines.append(f"{member.name}{furigana} 様 — {member.relationship.label_ja}")
            lines.append(
                f"　生年月日 {member.birth_date.year}年{member.birth_date.month}月{member.birth_date.day}日"
                f"　性別 {member.sex.label_ja}"
            )
            if member.address and not confirming:
                lines.append(f"　住所 {member.address}")
        if confirming and session.event:
            address = common_values(session.visit(), dt.date.today()).get("address")
            if address:
                lines.append("")
                lines.append(f"書類に記載する住所: {address}")
        self.details.setText("\n".join(lines))

    def _questions(self, view: QuestionsView) -> None:
        if view.guidance is None:
            return
        self.procedures_title.show()
        self.procedures.clear()
        for procedure in view.guidance.procedures:
            self.procedures.addItem(f"{procedure.procedure.name} — {procedure.reason}")

    def _review(self, view: ReviewView) -> None:
        if not view.procedures:
            return
        self.procedures_title.show()
        self.procedures.clear()
        for procedure in view.procedures:
            if procedure.key not in view.deselected:
                self.procedures.addItem(f"{procedure.procedure.name}({procedure.counter.name})")
