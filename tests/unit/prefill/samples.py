"""Households, visits and QR images for the pre-fill tests (fictional people)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import segno
from hypothesis import strategies as st
from PIL import Image, ImageFilter

from counter_app.cli.qr import PNG_SCALE
from procedures.visit import Member, Relationship, Sex, Visit

EVENT_DATE = dt.date(2025, 4, 1)

SIX = (
    ("山田 太郎", "やまだ たろう", dt.date(1980, 5, 1), Sex.MALE, Relationship.SELF),
    ("山田 花子", "やまだ はなこ", dt.date(1982, 7, 12), Sex.FEMALE, Relationship.SPOUSE),
    ("山田 一郎", "やまだ いちろう", dt.date(2010, 4, 2), Sex.MALE, Relationship.CHILD),
    ("髙橋 𠮷子", "たかはし よしこ", dt.date(2013, 11, 30), Sex.FEMALE, Relationship.CHILD),
    ("山田 さくら", "やまだ さくら", dt.date(2018, 3, 3), Sex.FEMALE, Relationship.CHILD),
    ("佐藤 ハル", "さとう はる", dt.date(1948, 1, 15), Sex.FEMALE, Relationship.SPOUSE_PARENT),
)
ADDRESS = "東京都みどり川区中央一丁目2番3号 みどりハイツ405"


def six_member_visit() -> Visit:
    """A move-in of six, with the answers a resident typically gives on the page."""
    members = []
    for index, (name, furigana, born, sex, relationship) in enumerate(SIX):
        answers: dict[str, Any] = {"has_mynumber_card": index != 2}
        if born.year < 1950:
            answers["inkan_register"] = False
        else:
            answers["insurance"] = "kokuho" if index < 2 else "employee"
        if dt.date(2025, 4, 1).year - born.year >= 15:
            answers.setdefault("inkan_register", index == 0)
        members.append(
            Member(
                name=name,
                furigana=furigana,
                birth_date=born,
                sex=sex,
                relationship=relationship,
                is_householder=relationship is Relationship.SELF,
                address=ADDRESS,
                answers=answers,
            )
        )
    return Visit(
        event="tennyu",
        event_date=EVENT_DATE,
        members=tuple(members),
        answers={"from_abroad": False, "new_address": ADDRESS},
    )


def qr_image(text: str, scale: int = PNG_SCALE) -> Image.Image:
    """The PNG of one part exactly as ``madoguchi qr encode`` writes it."""
    buffer = io.BytesIO()
    symbol = segno.make_qr(text, error="m", mode="alphanumeric", boost_error=False)
    symbol.save(buffer, kind="png", scale=scale, border=4)
    buffer.seek(0)
    return Image.open(buffer).convert("L")


def harden(image: Image.Image, position: tuple[int, int], background: int) -> Image.Image:
    """A photo of the code made harder: 40 %, turned 15°, blurred, on a 1920×1080 frame, JPEG quality 30."""
    width, height = image.size
    small = image.resize((round(width * 0.4), round(height * 0.4)), Image.Resampling.LANCZOS)
    turned = small.rotate(15, expand=True, fillcolor=255, resample=Image.Resampling.BICUBIC)
    blurred = turned.filter(ImageFilter.GaussianBlur(1.0))
    frame = Image.new("L", (1920, 1080), background)
    x = min(position[0], 1920 - blurred.width)
    y = min(position[1], 1080 - blurred.height)
    frame.paste(blurred, (x, y))
    buffer = io.BytesIO()
    frame.save(buffer, "JPEG", quality=30)
    buffer.seek(0)
    return Image.open(buffer)


# ---------------------------------------------------------------- hypothesis

names = st.text(
    alphabet=st.sampled_from("山田花子太郎髙﨑𠮷あいうえおアイウエオｶﾀｶﾅ ー・々 ABCxyz"),
    min_size=1,
    max_size=12,
).filter(lambda s: s.strip() != "")


TODAY = dt.date.today()
"""Dates a counter accepts are relative to today (procedures.visit.check_dates): event dates from
9 years back to 300 days ahead, birth dates from 1900 to today and not after the event."""


@st.composite
def members(draw: st.DrawFn, relationship: Relationship, born_by: dt.date = TODAY) -> Member:
    answers = draw(
        st.dictionaries(
            st.from_regex(r"[a-z][a-z0-9_]{0,15}", fullmatch=True),
            st.booleans() | st.integers(-5, 1000) | st.text(max_size=20),
            max_size=4,
        )
    )
    return Member(
        name=draw(names),
        furigana=draw(st.none() | names),
        birth_date=draw(st.dates(dt.date(1900, 1, 1), born_by)),
        sex=draw(st.sampled_from(list(Sex))),
        relationship=relationship,
        is_householder=relationship is Relationship.SELF,
        address=draw(st.none() | st.text(max_size=60).filter(lambda s: s.strip() != "")),
        subject=draw(st.none() | st.booleans()),
        answers=answers,
    )


@st.composite
def visits(draw: st.DrawFn, max_members: int = 6) -> Visit:
    count = draw(st.integers(1, max_members))
    relationships = [Relationship.SELF] + [
        draw(st.sampled_from([r for r in Relationship if r is not Relationship.SELF]))
        for _ in range(count - 1)
    ]
    event_date = draw(
        st.none() | st.dates(TODAY - dt.timedelta(days=9 * 365), TODAY + dt.timedelta(days=300))
    )
    born_by = min(TODAY, event_date) if event_date is not None else TODAY
    return Visit(
        event=draw(st.none() | st.sampled_from(["tennyu", "shussei", "shibou", "some_other_event"])),
        event_date=event_date,
        members=tuple(draw(members(r, born_by)) for r in relationships),
        answers=draw(
            st.dictionaries(
                st.from_regex(r"[a-z][a-z0-9_]{0,15}", fullmatch=True),
                st.booleans() | st.integers(-5, 1000) | st.text(max_size=30),
                max_size=5,
            )
        ),
    )


_EXTRA_GIVEN = (
    "蒼",
    "凛",
    "樹",
    "陽葵",
    "湊",
    "紬",
    "律",
    "結菜",
    "颯真",
    "芽依",
    "朔",
    "詩織",
    "大和",
    "杏",
    "蓮",
)
_EXTRA_KANA = (
    "あおい",
    "りん",
    "いつき",
    "ひまり",
    "みなと",
    "つむぎ",
    "りつ",
    "ゆいな",
    "そうま",
    "めい",
    "さく",
    "しおり",
    "やまと",
    "あん",
    "れん",
)


def large_visit(members: int = 12) -> Visit:
    """The six-member move-in and more relatives, enough for two codes of the current format."""
    base = six_member_visit()
    extra = []
    for index in range(members - len(base.members)):
        extra.append(
            Member(
                name=f"宇都宮 {_EXTRA_GIVEN[index % len(_EXTRA_GIVEN)]}",
                furigana=f"うつのみや {_EXTRA_KANA[index % len(_EXTRA_KANA)]}",
                birth_date=dt.date(1960 + index * 3, 1 + index % 12, 1 + index * 2 % 28),
                sex=Sex.MALE if index % 2 else Sex.FEMALE,
                relationship=Relationship.OTHER_RELATIVE,
                is_householder=False,
                address=f"埼玉県みどり川市桜ケ丘{index + 1}丁目{index * 7 % 30 + 1}番{index * 5 % 20 + 1}号",
                answers={"has_mynumber_card": index % 3 == 0},
            )
        )
    return base.model_copy(update={"members": base.members + tuple(extra)})
