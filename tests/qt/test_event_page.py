"""The event page: each visit starts from its own date, nothing of the previous resident's stays."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot

from counter_app.adapters.card_source import DemoCardSource
from counter_app.presenters.kiosk import KioskPresenter
from counter_app.ui.pages.event import EventPage
from counter_app.workflow.tasks import ImmediateRunner
from procedures.catalog import load_catalog
from tests.unit.app.kiosk_helpers import identify

TODAY = dt.date(2026, 11, 23)


def test_the_date_of_the_previous_visit_never_reaches_the_next(qtbot: QtBot) -> None:
    kiosk = KioskPresenter(load_catalog(), DemoCardSource(), ImmediateRunner(), today=lambda: TODAY)
    page = EventPage(kiosk)
    qtbot.addWidget(page)

    identify(kiosk)
    assert page.date.date() == QDate(2026, 11, 23)
    page.date.setDate(QDate(2026, 11, 2))  # the first family moved in on 2 November
    kiosk.report_error("")  # the view is published again while the clerk is on the page
    assert page.date.date() == QDate(2026, 11, 2)
    page.buttons[0].click()
    assert kiosk.session is not None and kiosk.session.event_date == dt.date(2026, 11, 2)
    kiosk.change_event()  # back to the event page in the same visit: the date stays
    assert page.date.date() == QDate(2026, 11, 2)
    kiosk.abandon()
    kiosk.next_resident()

    identify(kiosk)  # the next resident: nobody touched the date, so it is today
    assert page.date.date() == QDate(2026, 11, 23)
    page.buttons[0].click()
    assert kiosk.session is not None and kiosk.session.event_date == TODAY
