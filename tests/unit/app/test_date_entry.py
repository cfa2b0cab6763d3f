"""Dates as clerks key them: 7-digit era codes, era letters, written-out 和暦, and 西暦."""

from __future__ import annotations

import datetime as dt

import pytest

from counter_app.presenters.member_form import MemberFormPresenter
from counter_app.workflow.date_entry import DateEntryError, parse_clerk_date
from procedures.visit import Member, Relationship, Sex, Source


@pytest.mark.parametrize(
    ("typed", "date"),
    [
        ("4050101", dt.date(1993, 1, 1)),  # the example: 平成5年1月1日
        ("3630612", dt.date(1988, 6, 12)),
        ("5010501", dt.date(2019, 5, 1)),  # 令和元年5月1日, the first day of 令和
        ("3640107", dt.date(1989, 1, 7)),  # 昭和64年1月7日, the last day of 昭和
        ("4010108", dt.date(1989, 1, 8)),  # 平成元年1月8日
        ("1450729", dt.date(1912, 7, 29)),  # 明治45年7月29日
        ("2010730", dt.date(1912, 7, 30)),  # 大正元年7月30日
        ("S63.6.12", dt.date(1988, 6, 12)),
        ("s63/6/12", dt.date(1988, 6, 12)),
        ("Ｓ６３．６．１２", dt.date(1988, 6, 12)),  # full width, as an IME may leave it
        ("H5-1-1", dt.date(1993, 1, 1)),
        ("R1.5.1", dt.date(2019, 5, 1)),
        ("S630612", dt.date(1988, 6, 12)),
        ("昭和63年6月12日", dt.date(1988, 6, 12)),
        ("平成元年1月8日", dt.date(1989, 1, 8)),
        ("令和元年5月1日", dt.date(2019, 5, 1)),
        ("19880612", dt.date(1988, 6, 12)),
        ("1988-06-12", dt.date(1988, 6, 12)),
        ("1988/6/12", dt.date(1988, 6, 12)),
        ("1988年6月12日", dt.date(1988, 6, 12)),
        (" 2000.2.29 ", dt.date(2000, 2, 29)),
    ],
)
def test_accepted(typed: str, date: dt.date) -> None:
    assert parse_clerk_date(typed) == date


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("平成31年5月1日", "平成31年5月1日は平成の期間にありません(令和元年5月1日のことではありませんか)"),
        ("4310501", "平成31年5月1日は平成の期間にありません(令和元年5月1日のことではありませんか)"),
        ("3640108", "昭和64年1月8日は昭和の期間にありません(平成元年1月8日のことではありませんか)"),
        ("R1.4.30", "令和1年4月30日は令和の期間にありません(平成31年4月30日のことではありませんか)"),
        ("H2.2.30", "平成2年2月30日という日はありません"),
        ("2025-02-30", "2025年2月30日という日はありません"),
        ("6010101", "日付の形が分かりません"),
        ("S0.1.1", "昭和0年はありません"),
        ("", "日付を入力してください"),
        ("きのう", "日付の形が分かりません"),
    ],
)
def test_refused_with_a_japanese_message(typed: str, message: str) -> None:
    with pytest.raises(DateEntryError) as refused:
        parse_clerk_date(typed)
    assert refused.value.message.startswith(message)


def test_the_member_form_takes_wareki_and_a_card_date_typed_as_wareki_is_no_change() -> None:
    card = Member(
        name="山田 太郎",
        birth_date=dt.date(1988, 6, 12),
        sex=Sex.MALE,
        relationship=Relationship.SELF,
        is_householder=True,
        source=Source.CARD,
        address="東京都みどり川区若葉町1-2-3",
    )
    form = MemberFormPresenter(card, 0)
    form.set_field("birth_date", "S63.6.12")
    assert form.view.value.changed_from_card == ()  # the same date, not an edit needing a reason
    result = form.validate()
    assert result is not None and result[0].birth_date == dt.date(1988, 6, 12)

    typed = MemberFormPresenter()
    for name, value in (("name", "山田 花子"), ("birth_date", "4050101"), ("sex", "female")):
        typed.set_field(name, value)
    result = typed.validate()
    assert result is not None and result[0].birth_date == dt.date(1993, 1, 1)
    typed.set_field("birth_date", "平成31年5月1日")
    assert typed.validate() is None
    assert typed.view.value.errors["birth_date"].startswith(
        "生年月日: 平成31年5月1日は平成の期間にありません"
    )
