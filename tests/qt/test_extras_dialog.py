"""受付の補足 (F7) with the keyboard: the 整理券 number typed, a scanned ticket, the certificate judgement."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from bench import clerk_keys
from counter_app.ui.main_window import MainWindow
from counter_app.wiring.kiosk import Kiosk
from counter_app.workflow.certificates import CertificateKind
from tests.unit.app.kiosk_helpers import identify


@pytest.fixture
def app(qtbot: QtBot, tmp_path: Path) -> Iterator[tuple[Kiosk, MainWindow]]:
    parts, window = clerk_keys.open_kiosk(tmp_path)
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    yield parts, window
    parts.printer.stop()
    parts.storage.close()


def test_f7_ticket_and_certificate_judgement(qtbot: QtBot, app: tuple[Kiosk, MainWindow]) -> None:
    parts, window = app
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
