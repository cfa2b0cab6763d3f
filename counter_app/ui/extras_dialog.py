"""受付の補足 (F7): 整理券, 代理人 and 委任状, procedures added by hand, back-office note, certificates.

Observes ``KioskPresenter.extras`` and forwards every change to the presenter (which checks it and
keeps it with the visit); the certificate judgement is shown as the presenter gives it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from counter_app.presenters.extras import (
    CONTENT_LABELS,
    CONTENTS,
    KIND_LABELS,
    PURPOSES,
    REQUESTER_LABELS,
    CertificateKind,
    CertificateRequest,
    Representative,
    Requester,
)
from counter_app.presenters.kiosk import ExtrasView, KioskPresenter
from counter_app.ui.plain import PlainLabel


class ExtrasDialog(QDialog):
    def __init__(self, kiosk: KioskPresenter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kiosk = kiosk
        self.setWindowTitle("受付の補足")
        layout = QVBoxLayout(self)
        self.error = PlainLabel()
        self.error.setObjectName("warning")
        form = QFormLayout()
        self.ticket = QLineEdit()
        self.ticket.setPlaceholderText("整理券の番号(整理券のQRコード・バーコードを読み取っても入ります)")
        self.ticket.editingFinished.connect(lambda: kiosk.set_ticket(self.ticket.text()))
        self.note = QLineEdit()
        self.note.setPlaceholderText("担当課への連絡(案内シートに印刷されます)")
        self.note.editingFinished.connect(lambda: kiosk.set_note(self.note.text()))
        form.addRow("整理券番号", self.ticket)
        form.addRow("担当課への連絡", self.note)
        layout.addLayout(form)
        layout.addWidget(self._agent_box())
        layout.addWidget(self._added_box())
        layout.addWidget(self._certificate_box())
        layout.addWidget(self.error)
        close = QPushButton("閉じる(Esc)")
        close.clicked.connect(self.accept)
        layout.addWidget(close, alignment=Qt.AlignmentFlag.AlignRight)
        self._unsubscribe = kiosk.extras.subscribe(self.show_view)
        self.finished.connect(lambda _result: self._unsubscribe())
        self.ticket.setFocus()

    def _agent_box(self) -> QGroupBox:
        box = QGroupBox("代理人(届出人・請求者が本人でないとき)")
        box.setCheckable(True)
        box.setChecked(False)
        form = QFormLayout(box)
        self.agent_name = QLineEdit()
        self.agent_address = QLineEdit()
        self.agent_relationship = QLineEdit()
        self.agent_relationship.setPlaceholderText("本人との関係(例: 知人、勤務先、司法書士)")
        self.power_of_attorney = QCheckBox("委任状を確認した")
        form.addRow("氏名", self.agent_name)
        form.addRow("住所", self.agent_address)
        form.addRow("関係", self.agent_relationship)
        form.addRow(self.power_of_attorney)
        apply = QPushButton("代理人を設定")
        apply.clicked.connect(self._apply_agent)
        form.addRow(apply)
        box.toggled.connect(lambda on: None if on else self.kiosk.set_representative(None))
        self.agent_box = box
        return box

    def _apply_agent(self) -> None:
        self.kiosk.set_representative(
            Representative(
                self.agent_name.text(),
                self.agent_address.text(),
                self.agent_relationship.text(),
                self.power_of_attorney.isChecked(),
            )
        )

    def _added_box(self) -> QGroupBox:
        box = QGroupBox("手続の追加(一覧にない手続を、理由を付けて加える)")
        column = QVBoxLayout(box)
        row = QHBoxLayout()
        self.procedure = QComboBox()
        for procedure_id, procedure in self.kiosk.catalog.procedures.items():
            self.procedure.addItem(procedure.name, procedure_id)
        self.add_reason = QLineEdit()
        self.add_reason.setPlaceholderText("追加する理由")
        add = QPushButton("追加")
        add.clicked.connect(
            lambda: self.kiosk.add_procedure(str(self.procedure.currentData()), self.add_reason.text())
        )
        row.addWidget(self.procedure, 2)
        row.addWidget(self.add_reason, 2)
        row.addWidget(add)
        column.addLayout(row)
        self.added = QListWidget()
        self.added.setMaximumHeight(70)
        remove = QPushButton("選んだ追加を取り消す")
        remove.clicked.connect(self._remove_added)
        column.addWidget(self.added)
        column.addWidget(remove, alignment=Qt.AlignmentFlag.AlignLeft)
        return box

    def _remove_added(self) -> None:
        item = self.added.currentItem()
        if item is not None:
            self.kiosk.remove_added(str(item.data(Qt.ItemDataRole.UserRole)))

    def _certificate_box(self) -> QGroupBox:
        box = QGroupBox("証明書の請求")
        box.setCheckable(True)
        box.setChecked(False)
        form = QFormLayout(box)
        self.kind = QComboBox()
        for kind in CertificateKind:
            self.kind.addItem(KIND_LABELS[kind], kind.value)
        self.copies = QSpinBox()
        self.copies.setRange(1, 20)
        self.purpose = QComboBox()
        for purpose in PURPOSES.values():
            self.purpose.addItem(purpose.label, purpose.id)
        self.purpose.setCurrentIndex(self.purpose.findData("other"))
        self.purpose.currentIndexChanged.connect(self._purpose_changed)
        self.purpose_text = QLineEdit()
        self.purpose_text.setPlaceholderText("使用目的・提出先(第三者の請求では理由も)")
        self.contents = {key: QCheckBox(CONTENT_LABELS[key]) for key in CONTENTS}
        contents = QHBoxLayout()
        for check in self.contents.values():
            contents.addWidget(check)
        self.requester = QComboBox()
        for requester in Requester:
            self.requester.addItem(REQUESTER_LABELS[requester], requester.value)
        self.cert_poa = QCheckBox("委任状あり")
        self.photo_id = QCheckBox("顔写真付きの本人確認書類を確認した")
        self.judgement = PlainLabel()
        self.judgement.setWordWrap(True)
        form.addRow("種類", self.kind)
        form.addRow("通数", self.copies)
        form.addRow("使用目的", self.purpose)
        form.addRow("提出先など", self.purpose_text)
        form.addRow("記載する事項(住民票)", contents)
        form.addRow("請求者", self.requester)
        form.addRow(self.cert_poa)
        form.addRow(self.photo_id)
        apply = QPushButton("この内容で判定")
        apply.clicked.connect(self._apply_certificate)
        form.addRow(apply)
        form.addRow(self.judgement)
        box.toggled.connect(lambda on: None if on else self.kiosk.set_certificate(None))
        self.certificate_box = box
        return box

    def _purpose_changed(self) -> None:
        # The purpose sets the defaults of the 住民票 contents; the clerk confirms each of them.
        defaults = PURPOSES[str(self.purpose.currentData())].contents
        for key, check in self.contents.items():
            check.setChecked(key in defaults)

    def _apply_certificate(self) -> None:
        self.kiosk.set_certificate(
            CertificateRequest(
                kind=CertificateKind(str(self.kind.currentData())),
                copies=self.copies.value(),
                purpose=str(self.purpose.currentData()),
                purpose_text=self.purpose_text.text(),
                contents=frozenset(k for k, c in self.contents.items() if c.isChecked()),
                requester=Requester(str(self.requester.currentData())),
                power_of_attorney=self.cert_poa.isChecked(),
                photo_id=self.photo_id.isChecked(),
            )
        )

    def show_view(self, view: ExtrasView) -> None:
        extras = view.extras
        self.error.setText(view.error)
        if not self.ticket.hasFocus():
            self.ticket.setText(extras.ticket)
        if not self.note.hasFocus():
            self.note.setText(extras.note)
        self.added.clear()
        names = self.kiosk.catalog.procedures
        for procedure_id, reason in extras.added.items():
            name = names[procedure_id].name if procedure_id in names else procedure_id
            self.added.addItem(f"{name}(理由: {reason})")
            self.added.item(self.added.count() - 1).setData(Qt.ItemDataRole.UserRole, procedure_id)
        self.judgement.setText("\n".join(view.judgement))
        if extras.representative is not None and not self.agent_box.isChecked():
            agent = extras.representative
            self.agent_box.setChecked(True)
            self.agent_name.setText(agent.name)
            self.agent_address.setText(agent.address)
            self.agent_relationship.setText(agent.relationship)
            self.power_of_attorney.setChecked(agent.power_of_attorney)
