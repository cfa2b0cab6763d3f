"""Dates in the Japanese era calendar (和暦) as forms print them: 昭和55年2月17日, 令和元年5月1日.

An era starts on the day of the accession (not on 1 January): 1989-01-07 is 昭和64年, 1989-01-08 is
平成元年. The first year of an era is written 元年 on forms (``gannen=False`` writes 1年). Dates before
1873-01-01 (明治6年, when Japan adopted the Gregorian calendar) have no well-defined Gregorian 和暦
and raise :class:`~forms.errors.WarekiRangeError`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from forms.errors import WarekiRangeError

GREGORIAN_ADOPTION = dt.date(1873, 1, 1)
WEEKDAYS_JA = "月火水木金土日"


@dataclass(frozen=True, slots=True)
class Era:
    name: str  # 令和
    letter: str  # R (the initial used in short forms and on back-office systems)
    start: dt.date  # first day of the era (accession)


# Newest first, so the first era whose start is not after the date is the right one.
ERAS: tuple[Era, ...] = (
    Era("令和", "R", dt.date(2019, 5, 1)),
    Era("平成", "H", dt.date(1989, 1, 8)),
    Era("昭和", "S", dt.date(1926, 12, 25)),
    Era("大正", "T", dt.date(1912, 7, 30)),
    Era("明治", "M", dt.date(1868, 1, 25)),
)


@dataclass(frozen=True, slots=True)
class WarekiDate:
    era: Era
    year: int  # 1 for 元年
    month: int
    day: int

    def year_text(self, *, gannen: bool = True) -> str:
        return "元" if self.year == 1 and gannen else str(self.year)


def to_wareki(date: dt.date) -> WarekiDate:
    """The era, era year, month and day of ``date``."""
    if date < GREGORIAN_ADOPTION:
        raise WarekiRangeError(date.year)
    for era in ERAS:
        if date >= era.start:
            return WarekiDate(era, date.year - era.start.year + 1, date.month, date.day)
    raise WarekiRangeError(date.year)  # unreachable: 明治 starts before the adoption date


def format_wareki(date: dt.date, *, gannen: bool = True, weekday: bool = False) -> str:
    """``昭和55年2月17日``; ``令和元年5月1日``; with ``weekday=True`` ``令和7年4月14日(月)``."""
    w = to_wareki(date)
    text = f"{w.era.name}{w.year_text(gannen=gannen)}年{w.month}月{w.day}日"
    if weekday:
        text += f"({WEEKDAYS_JA[date.weekday()]})"
    return text


def format_wareki_year_month(date: dt.date, *, gannen: bool = True) -> str:
    """``昭和55年2月`` (for 年月 boxes such as a move-in month)."""
    w = to_wareki(date)
    return f"{w.era.name}{w.year_text(gannen=gannen)}年{w.month}月"


def format_wareki_short(date: dt.date) -> str:
    """``S55.2.17`` (the short form back-office systems and some narrow boxes use)."""
    w = to_wareki(date)
    return f"{w.era.letter}{w.year}.{w.month}.{w.day}"


def format_seireki(date: dt.date) -> str:
    """``1980年2月17日`` (for forms that ask for the Western year)."""
    return f"{date.year}年{date.month}月{date.day}日"
