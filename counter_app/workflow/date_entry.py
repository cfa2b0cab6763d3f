"""Dates as clerks type them: 和暦 in the usual short forms, and 西暦.

Accepted (full-width digits and letters too, spaces ignored):

* ``4050101`` — 7 digits: era code and YYMMDD, as 住民記録 systems key them (1 明治, 2 大正, 3 昭和,
  4 平成, 5 令和): 平成5年1月1日;
* ``S63.6.12``, ``s63/6/12``, ``H5-1-1``, ``R1.5.1``, ``S630612`` — the era's letter;
* ``昭和63年6月12日``, ``平成元年1月8日``, ``令和元年5月1日`` — written out;
* ``19880612``, ``1988-06-12``, ``1988/6/12``, ``1988.6.12``, ``1988年6月12日`` — 西暦 (foreign residents'
  dates are written this way).

A 和暦 date must lie inside its era (平成31年5月1日 is 令和元年5月1日: refused, with the right name in the
message). The era table is the one forms print with (:mod:`forms.wareki`).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from forms.wareki import ERAS, Era, format_wareki

ERA_CODES = {"1": "明治", "2": "大正", "3": "昭和", "4": "平成", "5": "令和"}
_BY_NAME = {era.name: era for era in ERAS}
_BY_LETTER = {era.letter: era for era in ERAS}

_SEP = r"[./\-年月]"
_WESTERN = re.compile(rf"(\d{{4}}){_SEP}(\d{{1,2}}){_SEP}(\d{{1,2}})日?")
_WESTERN_8 = re.compile(r"(\d{4})(\d{2})(\d{2})")
_CODE_7 = re.compile(r"([1-5])(\d{2})(\d{2})(\d{2})")
_LETTER = re.compile(rf"([MTSHR])(元|\d{{1,2}}){_SEP}?(\d{{1,2}}){_SEP}?(\d{{1,2}})日?")
_LETTER_6 = re.compile(r"([MTSHR])(\d{2})(\d{2})(\d{2})")
_NAMED = re.compile(rf"(明治|大正|昭和|平成|令和)(元|\d{{1,2}}){_SEP}(\d{{1,2}}){_SEP}(\d{{1,2}})日?")


class DateEntryError(ValueError):
    """Why the text is not a date; ``message`` is the clerk's Japanese line."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _era_end(era: Era) -> dt.date | None:
    later = [e.start for e in ERAS if e.start > era.start]
    return min(later) - dt.timedelta(days=1) if later else None


def _from_era(era: Era, year_text: str, month: int, day: int) -> dt.date:
    year = 1 if year_text == "元" else int(year_text)
    if year < 1:
        raise DateEntryError(f"{era.name}0年はありません")
    try:
        date = dt.date(era.start.year + year - 1, month, day)
    except ValueError:
        raise DateEntryError(f"{era.name}{year_text}年{month}月{day}日という日はありません") from None
    end = _era_end(era)
    if date < era.start or (end is not None and date > end):
        try:
            right = f"({format_wareki(date)}のことではありませんか)"
        except ValueError:
            right = ""
        raise DateEntryError(f"{era.name}{year_text}年{month}月{day}日は{era.name}の期間にありません{right}")
    return date


def _western(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise DateEntryError(f"{year}年{month}月{day}日という日はありません") from None


def parse_clerk_date(text: str) -> dt.date:
    """The date the clerk typed, or :class:`DateEntryError` with a Japanese message."""
    typed = unicodedata.normalize("NFKC", text).replace(" ", "").upper()
    if not typed:
        raise DateEntryError("日付を入力してください")
    if match := _NAMED.fullmatch(typed):
        return _from_era(_BY_NAME[match[1]], match[2], int(match[3]), int(match[4]))
    if match := _LETTER.fullmatch(typed) or _LETTER_6.fullmatch(typed):
        return _from_era(_BY_LETTER[match[1]], match[2], int(match[3]), int(match[4]))
    if match := _CODE_7.fullmatch(typed):
        era = _BY_NAME[ERA_CODES[match[1]]]
        return _from_era(era, str(int(match[2])), int(match[3]), int(match[4]))
    if match := _WESTERN.fullmatch(typed) or _WESTERN_8.fullmatch(typed):
        return _western(int(match[1]), int(match[2]), int(match[3]))
    raise DateEntryError(
        "日付の形が分かりません(例: 4050101、S63.6.12、昭和63年6月12日、19880612、1988-06-12)"
    )
