"""The clerk's answer to a second household's QR set: the offer bar's buttons reach the kiosk."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from counter_app.ui.main_window import QrOfferBar
from tests.unit.app.test_kiosk_qr import four, kiosk, names, other_household, parts


def test_the_offer_bar_shows_the_offer_and_adds_on_click(qtbot: QtBot) -> None:
    presenter = kiosk()
    bar = QrOfferBar(presenter)
    qtbot.addWidget(bar)
    presenter.view.subscribe(lambda v: bar.show_offer(v.qr_offer, v.qr_offer_can_add))
    assert bar.isHidden()
    for code in parts(four()) + parts(other_household()):
        presenter.qr_scanned(code)
    assert not bar.isHidden() and "3人分" in bar.text.text()
    assert not bar.add.isHidden()
    qtbot.mouseClick(bar.add, Qt.MouseButton.LeftButton)
    assert bar.isHidden()
    assert len(names(presenter)) == 7


def test_without_a_visit_the_bar_offers_only_to_start_one(qtbot: QtBot) -> None:
    presenter = kiosk()
    bar = QrOfferBar(presenter)
    qtbot.addWidget(bar)
    presenter.view.subscribe(lambda v: bar.show_offer(v.qr_offer, v.qr_offer_can_add))
    presenter.qr_scanned(parts(four())[0])
    [single] = parts(other_household(), chunk=400)
    presenter.qr_scanned(single)
    assert bar.add.isHidden() and bar.new_visit.text() == "この組で受付を始める"
    qtbot.mouseClick(bar.dismiss, Qt.MouseButton.LeftButton)
    assert bar.isHidden()
    assert presenter.session is None or not presenter.session.members
