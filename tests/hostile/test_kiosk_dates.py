"""Impossible dates typed at the kiosk (issue 16, item 4): refused with a Japanese line that says what
to check, and the visit stays where it was."""

from __future__ import annotations

import datetime as dt

import pytest

from counter_app.adapters.card_source import DemoCardSource
from counter_app.presenters.kiosk import KioskPresenter, Step
from counter_app.presenters.member_form import MemberFormPresenter
from counter_app.workflow.tasks import ImmediateRunner
from procedures.catalog import load_catalog
from tests.unit.app.kiosk_helpers import identify

TODAY = dt.date(2026, 11, 23)


def kiosk() -> KioskPresenter:
    presenter = KioskPresenter(load_catalog(), DemoCardSource(), ImmediateRunner(), today=lambda: TODAY)
    identify(presenter)
    assert presenter.view.value.step is Step.EVENT
    return presenter


@pytest.mark.parametrize(
    "day", [dt.date(9999, 12, 31), dt.date(1, 1, 1), dt.date(2099, 1, 1), dt.date(2016, 11, 22)]
)
def test_an_event_date_out_of_range_is_refused(day: dt.date) -> None:
    presenter = kiosk()
    presenter.choose_event("tennyu", day)
    refused = presenter.view.value
    assert refused.step is Step.EVENT
    assert presenter.session is not None and presenter.session.event is None
    assert "届出の日付は10年前から1年後まで" in refused.error
    presenter.choose_event("tennyu", TODAY)  # a usable date goes on
    assert presenter.view.value.step is Step.HOUSEHOLD


def test_an_event_date_before_the_residents_birth_is_refused() -> None:
    presenter = kiosk()
    assert presenter.session is not None
    newborn = presenter.session.members[0].model_copy(update={"birth_date": TODAY - dt.timedelta(days=5)})
    presenter.session.members[0] = newborn
    presenter.choose_event("shussei", TODAY - dt.timedelta(days=10))
    assert presenter.view.value.step is Step.EVENT
    assert "生年月日より前" in presenter.view.value.error


@pytest.mark.parametrize(("typed", "words"), [("2099-01-01", "未来"), ("1800-01-01", "古すぎます")])
def test_an_impossible_birth_date_typed_is_refused(typed: str, words: str) -> None:
    form = MemberFormPresenter()
    for name, value in (("name", "窓口 太郎"), ("birth_date", typed), ("sex", "male")):
        form.set_field(name, value)
    assert form.validate() is None
    assert words in form.view.value.errors["birth_date"]
