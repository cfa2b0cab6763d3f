"""The kiosk flow over the real catalog and the demo card, without Qt."""

from __future__ import annotations

import datetime as dt

from counter_app.adapters.card_source import DemoCardSource
from counter_app.presenters.kiosk import KioskPresenter, Step
from counter_app.workflow.tasks import ImmediateRunner
from procedures.catalog import load_catalog
from tests.unit.app.kiosk_helpers import identify


def test_household_with_nobody_concerned_stays_on_the_household_with_a_message() -> None:
    kiosk = KioskPresenter(
        load_catalog(), DemoCardSource(), ImmediateRunner(), today=lambda: dt.date(2026, 11, 23)
    )
    identify(kiosk)
    kiosk.choose_event("tennyu")
    kiosk.set_subject(0, False)  # 転入 needs at least one person concerned
    kiosk.household_done()
    assert kiosk.view.value.step is Step.HOUSEHOLD
    assert kiosk.view.value.error != ""
