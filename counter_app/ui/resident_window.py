"""The resident's screen (second monitor): their own details and the procedures, in large type.

Between visits it shows only a welcome: nothing of the previous resident ever stays on it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QListWidget, QVBoxLayout, QWidget

from counter_app.presenters.kiosk import KioskPresenter, KioskView, QuestionsView, ReviewView, Step
from counter_app.ui.style import RESIDENT_POINT_SIZE


class ResidentWindow(QWidget):
    def __init__(self, kiosk: KioskPresenter, counter_name: str) -> None:
        super().__init__()
        self.kiosk = kiosk
        self.setWindowTitle("ご本人確認用画面")
        self.setStyleSheet(
            f"QWidget {{ font-size: {RESIDENT_POINT_SIZE}pt; }} QLabel#title {{ font-weight: bold; }}"
        )
        layout = QVBoxLayout(self)
        self.title = QLabel()
        self.title.setObjectName("title")
        self.title.setWordWrap(True)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.procedures_title = QLabel("必要な手続")
        self.procedures = QListWidget()
        self.procedures.setWordWrap(True)
        for widget in (self.title, self.details, self.procedures_title, self.procedures):
            layout.addWidget(widget)
        self.counter_name = counter_name
        kiosk.view.subscribe(self.show_view)
        kiosk.household.subscribe(lambda _h: self.show_view(kiosk.view.value))
        kiosk.questions.subscribe(self._questions)
        kiosk.review.subscribe(self._review)

    def show_view(self, view: KioskView) -> None:
        session = self.kiosk.session
        if view.step in (Step.WAITING, Step.DONE) or session is None:
            self.title.setText(
                f"{self.counter_name}\nいらっしゃいませ"
                if view.step is Step.WAITING
                else "ありがとうございました。書類をご確認のうえ署名してください。"
            )
            self.details.clear()
            self.procedures.clear()
            self.procedures_title.hide()
            return
        self.title.setText("ご本人の情報をご確認ください")
        lines = []
        for member in session.members:
            lines.append(f"{member.name}({member.relationship.label_ja})")
            lines.append(
                f"　生年月日 {member.birth_date.year}年{member.birth_date.month}月{member.birth_date.day}日"
                f"　性別 {member.sex.label_ja}"
            )
            if member.address:
                lines.append(f"　住所 {member.address}")
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
