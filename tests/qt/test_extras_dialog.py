"""受付の補足 (F7) with the keyboard: the 整理券 number typed, a scanned ticket, the certificate judgement."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from counter_app.ui.main_window import MainWindow
from counter_app.wiring.kiosk import Kiosk
from counter_app.workflow.certificates import CertificateKind
from tests.unit.app.kiosk_helpers import identify


def test_f7_ticket_and_certificate_judgement(qtbot: QtBot, kiosk_window: tuple[Kiosk, MainWindow]) -> None:
    parts, window = kiosk_window
    kiosk = parts.kiosk
    assert window.open_extras() is None  # no visit: nothing to add to
    identify(kiosk)
    kiosk.choose_event("shoumei")
    dialog = window.open_extras()
    assert dialog is not None
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(dialog.ticket.hasFocus)
    qtbot.keyClicks(dialog.ticket, "0045")
    qtbot.keyClick(dialog.ticket, Qt.Key.Key_Tab)  # leaving the field sets it
    assert kiosk.session is not None and kiosk.session.extras.ticket == "0045"
    dialog.certificate_box.setChecked(True)
    dialog.kind.setCurrentIndex(dialog.kind.findData(CertificateKind.KOSEKI_KOUIKI.value))
    dialog._apply_certificate()
    assert dialog.judgement.text().startswith(
        "交付できません: 広域交付には顔写真付きの本人確認書類が必要です"
    )
    dialog.photo_id.setChecked(True)
    dialog._apply_certificate()
    assert dialog.judgement.text().startswith("交付できます")
    dialog.purpose.setCurrentIndex(dialog.purpose.findData("license"))
    assert dialog.contents["honseki"].isChecked() and not dialog.contents["mynumber"].isChecked()
    dialog.accept()
    kiosk.qr_scanned("整理券:0046")  # the next ticket read by the scanner replaces it
    assert kiosk.session.extras.ticket == "0046"


def test_the_address_field_offers_the_municipalitys_towns(
    qtbot: QtBot, kiosk_window: tuple[Kiosk, MainWindow]
) -> None:
    from counter_app.presenters.kiosk import Step
    from counter_app.ui.pages.member import MemberPage

    parts, window = kiosk_window
    parts.kiosk.start_typed()
    page = window.pages[Step.MEMBER]
    assert isinstance(page, MemberPage)
    address = page.inputs["address"]
    completer = address.completer()
    assert completer is not None
    address.setFocus()
    typed = QInputMethodEvent()
    typed.setCommitString("若葉")  # as the IME commits it
    QApplication.sendEvent(address, typed)
    popup = completer.popup()
    assert popup is not None
    qtbot.waitUntil(popup.isVisible)
    shown = [completer.completionModel().index(i, 0).data() for i in range(completer.completionCount())]
    assert shown == ["東京都みどり川区若葉町一丁目", "東京都みどり川区若葉町二丁目"]
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert address.text() == "東京都みどり川区若葉町一丁目"
    form = parts.kiosk.member_form.value
    assert form is not None and form.view.value.address == "東京都みどり川区若葉町一丁目"
