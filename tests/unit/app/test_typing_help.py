"""Typing help added for issue 18: a 郵便番号 typed as the new address of a move offers the town; a
member added by typing starts with the householder's 氏 (and a name of the 氏 alone is refused)."""

from __future__ import annotations

import datetime as dt

from counter_app.adapters.card_source import DemoCardSource
from counter_app.presenters.kiosk import KioskPresenter, Step
from counter_app.presenters.member_form import MemberFormPresenter
from counter_app.workflow.tasks import ImmediateRunner
from procedures.catalog import load_catalog
from tests.unit.app.kiosk_helpers import identify


def _kiosk() -> KioskPresenter:
    return KioskPresenter(
        load_catalog(), DemoCardSource(), ImmediateRunner(), today=lambda: dt.date(2026, 11, 23)
    )


def test_a_postcode_typed_as_the_new_address_offers_the_town() -> None:
    kiosk = _kiosk()
    identify(kiosk)
    kiosk.choose_event("tennyu")
    kiosk.household_done()
    assert kiosk.view.value.step is Step.QUESTIONS
    arrival = kiosk.questions.value.question
    assert arrival is not None and arrival.id == "arrival"
    kiosk.answer(arrival.question.choices[0].value)  # 国内から・転出証明書あり
    question = kiosk.questions.value.question
    assert question is not None and question.id == "new_address"
    kiosk.type_answer("100-0001")
    view = kiosk.questions.value
    assert view.address_options == ("東京都千代田区千代田",)
    assert view.address_note == "〒100-0001 の住所"
    kiosk.use_answer_address(0)
    assert kiosk.questions.value.text == "東京都千代田区千代田"
    assert kiosk.questions.value.address_options == ()
    kiosk.type_answer("9999999")
    assert kiosk.questions.value.error == "郵便番号 〒999-9999 は見つかりません(番号を確認してください)"
    kiosk.type_answer("東京都千代田区千代田2-3-4")
    assert kiosk.questions.value.address_options == ()
    kiosk.answer("東京都千代田区千代田2-3-4")
    assert kiosk.session is not None and kiosk.session.answers["new_address"] == "東京都千代田区千代田2-3-4"


def test_an_added_member_starts_with_the_householders_family_name() -> None:
    kiosk = _kiosk()
    identify(kiosk)  # 窓口　花子 from the demo card
    kiosk.choose_event("tennyu")
    kiosk.start_typed()
    form = kiosk.member_form.value
    assert form is not None
    assert form.view.value.name == "窓口\u3000"
    assert form.view.value.furigana_suggestion == "マドグチ\u3000"
    form.set_field("birth_date", "4300101")
    form.set_field("sex", "male")
    assert form.validate() is None
    assert form.view.value.errors["name"] == "名を入力してください"
    form.set_field("name", "窓口\u3000翔太")
    assert form.view.value.furigana_suggestion == "マドグチ\u3000ショウタ"
    form.accept_suggestion()
    result = form.validate()
    assert result is not None and result[0].name == "窓口\u3000翔太"


def test_no_family_name_when_editing_or_for_the_first_member() -> None:
    assert MemberFormPresenter().view.value.name == ""
    assert MemberFormPresenter(family_name="窓口").view.value.name == "窓口\u3000"
