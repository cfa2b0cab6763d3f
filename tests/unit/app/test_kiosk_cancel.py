"""Cancelling a visit (with a reason, from any step) and typing instead of a card that cannot be used:
the outcome is recorded once, as cancelled, with the reason's code; nothing of the visit remains."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from counter_app.adapters.card_source import DemoCardSource
from counter_app.presenters.identify import IdentifyStep
from counter_app.presenters.kiosk import CANCEL_REASONS, KioskPresenter, Step
from counter_app.workflow.tasks import ImmediateRunner
from counter_app.workflow.visit_session import VisitSession
from procedures.catalog import load_catalog
from procedures.engine import NeededProcedure
from tests.unit.app.kiosk_helpers import Drafts, identify

CATALOG = load_catalog()


class Log:
    def __init__(self) -> None:
        self.finished: list[tuple[str, str]] = []
        self.audits: list[tuple[str, str | None, str]] = []

    def visit_finished(
        self, session: VisitSession, chosen: list[NeededProcedure], outcome: str, printed: list[Any]
    ) -> None:
        self.finished.append((session.visit_id, outcome))

    def audit(self, event: str, visit_id: str | None, detail: str = "") -> None:
        self.audits.append((event, visit_id, detail))


def kiosk(log: Log, drafts: Drafts, tries: int = 3) -> KioskPresenter:
    from card_reader.virtual import VirtualCardProfile

    return KioskPresenter(
        CATALOG,
        DemoCardSource(VirtualCardProfile(pin="1234", tries_left=tries)),
        ImmediateRunner(),
        drafts=drafts,
        visit_log=log,
        today=lambda: dt.date(2026, 11, 23),
    )


def to_household(k: KioskPresenter) -> None:
    identify(k)
    k.choose_event("tennyu")


@pytest.mark.parametrize("where", ["identify", "member", "event", "household", "questions"])
def test_a_visit_is_cancelled_from_any_step_with_a_reason(where: str) -> None:
    log, drafts = Log(), Drafts()
    k = kiosk(log, drafts)
    k.card_inserted()
    if where != "identify":
        for digit in "1234":
            k.identify.press_digit(digit)
        k.identify.submit()
    if where in ("event", "household", "questions"):
        assert k.confirm_member()
    if where in ("household", "questions"):
        k.choose_event("tennyu")
    if where == "questions":
        k.household_done()
    assert k.session is not None
    visit_id = k.session.visit_id
    assert k.view.value.step is not Step.WAITING

    k.escape()  # Esc asks for the reason
    assert k.view.value.cancelling
    k.escape()  # Esc again: the visit goes on as it was
    assert not k.view.value.cancelling and k.session is not None
    k.request_cancel()
    k.cancel("documents_missing")

    assert log.finished == [(visit_id, "cancelled")]
    assert ("visit_cancelled", visit_id, "documents_missing") in log.audits
    assert k.session is None and drafts.saved == {}
    assert k.view.value.step is Step.WAITING and not k.view.value.cancelling
    assert k.view.value.banner.startswith("受付を中止しました")
    assert k.household.value == ()


def test_only_a_listed_reason_is_recorded() -> None:
    log, drafts = Log(), Drafts()
    k = kiosk(log, drafts)
    to_household(k)
    with pytest.raises(ValueError):
        k.cancel("山田さんが帰った")  # free text could carry personal data: never recorded
    assert log.finished == []
    assert set(CANCEL_REASONS) >= {"resident_request", "other"}


def test_nothing_to_cancel_outside_a_visit() -> None:
    log, drafts = Log(), Drafts()
    k = kiosk(log, drafts)
    k.request_cancel()
    assert not k.view.value.cancelling


def test_a_locked_card_lets_the_clerk_type_the_details_instead() -> None:
    log, drafts = Log(), Drafts()
    k = kiosk(log, drafts, tries=0)
    k.card_inserted()
    assert k.identify.view.value.step is IdentifyStep.LOCKED
    k.type_instead()
    assert k.view.value.step is Step.MEMBER
    assert k.member_form.value is not None and k.member_form.value.view.value.name == ""
    assert k.session is not None and k.session.members == []
