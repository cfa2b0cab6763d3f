"""Facts every catalog can use without declaring them, derived from the visit without asking.

Per member: ``age`` (full years on the event date, counted from the birthday), ``legal_age`` (the age
the law counts: reached on the day before the birthday, 年齢計算ニ関スル法律 and 民法143条 — 国民年金's
20 and 60, 介護保険's 40 and 65), ``school_age`` (age at the start of the school
year that contains the event date: 6–11 小学生, 12–14 中学生, 15–17 高校生年代), ``sex``,
``relationship``, ``is_householder``, ``is_subject`` (the event concerns this member) and ``source``
(card, qr or typed). Per household: ``household_size`` and ``subject_count``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from procedures.visit import Relationship, Sex, Source

ValueKind = Literal["int", "bool", "str", "date"]


@dataclass(frozen=True, slots=True)
class BuiltinFact:
    id: str
    scope: Literal["household", "member"]
    kind: ValueKind
    name: str
    name_en: str
    values: tuple[str, ...] = ()  # the allowed values of a str fact
    minimum: int = 0


BUILTIN_FACTS: dict[str, BuiltinFact] = {
    f.id: f
    for f in (
        BuiltinFact("age", "member", "int", "年齢", "age"),
        BuiltinFact("legal_age", "member", "int", "法律上の年齢", "age in law"),
        BuiltinFact("school_age", "member", "int", "学年の年齢(4月1日時点)", "school-year age"),
        BuiltinFact("sex", "member", "str", "性別", "sex", tuple(s.value for s in Sex)),
        BuiltinFact(
            "relationship",
            "member",
            "str",
            "世帯主との続柄",
            "relationship",
            tuple(r.value for r in Relationship),
        ),
        BuiltinFact("is_householder", "member", "bool", "世帯主である", "is the householder"),
        BuiltinFact("is_subject", "member", "bool", "届出の対象の方である", "is concerned by the event"),
        BuiltinFact(
            "source",
            "member",
            "str",
            "本人情報の入手方法",
            "source of details",
            tuple(s.value for s in Source),
        ),
        BuiltinFact("household_size", "household", "int", "世帯の人数", "household size", minimum=1),
        BuiltinFact("subject_count", "household", "int", "届出の対象の方の人数", "people concerned"),
    )
}


def age_on(birth_date: dt.date, on: dt.date) -> int:
    """Full years on ``on`` (a birthday counts from the birthday itself; 2/29 births turn on 3/1)."""
    years = on.year - birth_date.year
    if (on.month, on.day) < (birth_date.month, birth_date.day):
        years -= 1
    return max(years, 0)


def legal_age_on(birth_date: dt.date, on: dt.date) -> int:
    """The age the law counts on ``on``: an age is reached at the end of the day before the birthday
    (年齢計算ニ関スル法律; 民法143条), and a right or duty that starts when an age is reached starts on
    that day — 国民年金 at 20 (国民年金法7条・8条), 介護保険's 第1号 at 65 (介護保険法9条・10条) begin on
    the day before the birthday. Someone born on 2/29 reaches an age on 2/28.
    """
    return age_on(birth_date, on + dt.timedelta(days=1))


def school_age_on(birth_date: dt.date, on: dt.date) -> int:
    """Age at the start of the school year (4/1–3/31) containing ``on``, as Japanese schools count it.

    By 年齢計算ニ関スル法律 a child reaches an age at the end of the day before the birthday, so
    children born 4/2 of one year to 4/1 of the next share a school year: someone born on 4/1
    enters primary school a year earlier than someone born on 4/2. 6–11 are 小学生, 12–14 中学生,
    15–17 高校生年代 ("18歳に達する日以後の最初の3月31日まで" ⇔ school_age ≤ 17).
    """
    school_year = on.year if (on.month, on.day) >= (4, 1) else on.year - 1
    years = school_year - birth_date.year
    if (birth_date.month, birth_date.day) >= (4, 2):
        years -= 1
    return max(years, 0)
