"""Deadline rules of the catalog turned into dates.

Periods follow the 民法 (the 戸籍法, the 住民基本台帳法 … set periods and leave their counting to it):

* the first day is not counted (民法140条): ``days: 14`` after a move on 4/1 ends on 4/15. The 戸籍法
  counts the event day itself (戸籍法43条), so the catalog says ``include_event_day: true`` and a birth
  on 4/1 must be notified by 4/14;
* ``months`` and ``years`` are counted by the calendar (民法143条): the period ends on the day *before*
  the day of the last month that corresponds to the first counted day (the 起算日), or on the last
  day of that month when it has no such day. 3 months from 11/30 counting 11/30 end on 2/28 (2/29 in
  a leap year); 1 month from 2/28 not counting 2/28 ends on 3/31;
* ``earliest_of`` adds periods (each from the event or its own date answer); the earliest end wins;
* when the last day is a day the office is closed, the municipality's ``office_calendar`` decides:
  ``next_open_day`` moves the deadline to the next open day (地方自治法4条の2第4項, 民法142条), ``none``
  keeps it. Either way the deadline carries a note in Japanese and English, so a closed day is
  never printed without its explanation. A ``before_event`` deadline is not a period and never moves.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
import functools
from collections.abc import Sequence
from dataclasses import dataclass

import jpholiday

from procedures.errors import ProceduresError
from procedures.schema import WEEKDAYS, DeadlineRule, OfficeCalendar, Period

WEEKDAY_JA = "月火水木金土日"
WEEKDAY_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_SEARCH_DAYS = 3 * 366
"""How far to look for an open day (a validated calendar has one in every year)."""


class ClosedDayRule(enum.Enum):
    """What happens when the last day of a period falls on a day the office is closed."""

    MOVED = "moved"  # the deadline is the next open day (地方自治法4条の2第4項 and the municipality's rule)
    BEFORE = "before"  # the day is before an event: come on the open day before
    KEPT = "kept"  # the municipality does not move it


@dataclass(frozen=True, slots=True)
class Deadline:
    """The rule's words and, when it can be computed, the day to act by.

    ``period_end`` is the last day of the period as the law counts it; ``date`` is the day the resident
    must act by — the same day, or the next open day when ``period_end`` falls on a closed day and the
    municipality's calendar moves it. ``note`` / ``note_en`` say why whenever a closed day is involved.
    """

    date: dt.date | None
    text: str
    text_en: str
    period_end: dt.date | None = None
    note: str = ""
    note_en: str = ""
    closed: ClosedDayRule | None = None
    """How a closed last day was treated (``None``: the last day is open), for the note in other
    languages; ``come_by`` is the open day before when the deadline is before an event."""
    come_by: dt.date | None = None

    @property
    def moved(self) -> bool:
        return self.date is not None and self.period_end is not None and self.date != self.period_end

    def to_json(self) -> dict[str, str | bool | None]:
        return {
            "date": self.date.isoformat() if self.date else None,
            "text": self.text,
            "text_en": self.text_en,
            "period_end": self.period_end.isoformat() if self.period_end else None,
            "moved": self.moved,
            "note": self.note,
            "note_en": self.note_en,
        }


# ---------------------------------------------------------------- periods


def add_months(start: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the last day of that month when it is shorter."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day)


def _months_end(first: dt.date, months: int) -> dt.date:
    """民法143条2項: the day before the day corresponding to ``first`` (the 起算日), or the month's end."""
    index = first.month - 1 + months
    year, month = first.year + index // 12, index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    if first.day > last:
        return dt.date(year, month, last)
    return dt.date(year, month, first.day) - dt.timedelta(days=1)


def period_end(period: Period, start: dt.date | None) -> dt.date | None:
    """The last day of one period counted from ``start`` (the event date or a date answer)."""
    if start is None:
        return None
    if isinstance(period, DeadlineRule) and period.before_event:
        return start
    first = start if period.include_event_day else start + dt.timedelta(days=1)
    if period.days is not None:
        return max(start, first + dt.timedelta(days=period.days - 1))
    if period.months is not None:
        return _months_end(first, period.months)
    if period.years is not None:
        return _months_end(first, 12 * period.years)
    return None


def deadline_date(
    rule: DeadlineRule,
    start: dt.date | None,
    alternatives: Sequence[tuple[Period, dt.date | None]] = (),
) -> dt.date | None:
    """The last day under ``rule`` and its applicable ``earliest_of`` periods (no closed days yet).

    ``alternatives`` pairs each applicable alternative with its start; one start still unknown means
    the deadline is not known yet.
    """
    ends = [period_end(rule, start), *(period_end(alt, s) for alt, s in alternatives)]
    if any(end is None for end in ends):
        return None
    return min(end for end in ends if end is not None)


# ---------------------------------------------------------------- closed days


@dataclass(frozen=True, slots=True)
class ClosedDay:
    """Why a day is closed; ``label`` is empty when the weekday says it all (土・日)."""

    label: str
    label_en: str


@functools.lru_cache(maxsize=4096)
def _holiday_name(day: dt.date) -> str | None:
    """The national holiday on ``day`` (jpholiday's name), looked up once per date."""
    return jpholiday.is_holiday_name(day)


def closed_day(office: OfficeCalendar, day: dt.date) -> ClosedDay | None:
    """Whether the office is closed on ``day`` under the municipality's calendar, and why."""
    if day in office.extra_open:
        return None
    if day in office.extra_closed:
        return ClosedDay("", "")
    if office.national_holidays:
        name = _holiday_name(day)
        if name is not None:
            return ClosedDay("振替休日" if "振替休日" in name else name, "national holiday")
    for period in office.closed_periods:
        if period.contains(day):
            return ClosedDay(period.name, period.name_en or "office closure")
    if WEEKDAYS[day.weekday()] in office.closed_weekdays:
        return ClosedDay("", "")
    return None


def _open_day(office: OfficeCalendar, day: dt.date, step: int) -> dt.date:
    for n in range(1, _SEARCH_DAYS + 1):
        other = day + dt.timedelta(days=step * n)
        if closed_day(office, other) is None:
            return other
    raise ProceduresError(f"no open day within {_SEARCH_DAYS} days of {day}")


def next_open_day(office: OfficeCalendar, day: dt.date) -> dt.date:
    """The first open day after ``day``."""
    return _open_day(office, day, 1)


def previous_open_day(office: OfficeCalendar, day: dt.date) -> dt.date:
    """The last open day before ``day``."""
    return _open_day(office, day, -1)


def day_ja(day: dt.date, why: ClosedDay | None = None) -> str:
    """``6月15日(日)``, ``7月20日(月・海の日)``."""
    inside = WEEKDAY_JA[day.weekday()] + (f"・{why.label}" if why and why.label else "")
    return f"{day.month}月{day.day}日({inside})"


def day_en(day: dt.date, why: ClosedDay | None = None) -> str:
    """``Sunday 15 June``, ``Monday 20 July (national holiday)``."""
    text = f"{WEEKDAY_EN[day.weekday()]} {day.day} {MONTH_EN[day.month - 1]}"
    return text + (f" ({why.label_en})" if why and why.label_en else "")


def compute_deadline(
    rule: DeadlineRule,
    start: dt.date | None,
    office: OfficeCalendar | None = None,
    alternatives: Sequence[tuple[Period, dt.date | None]] = (),
) -> Deadline:
    """The deadline of ``rule``: its last day, moved off a closed day when ``office`` says so."""
    end = deadline_date(rule, start, alternatives)
    why = closed_day(office, end) if office is not None and end is not None else None
    if office is None or end is None or why is None:
        return Deadline(end, rule.text, rule.text_en, end)
    if rule.before_event:
        before = previous_open_day(office, end)
        return Deadline(
            end,
            rule.text,
            rule.text_en,
            end,
            f"{day_ja(end, why)}は閉庁日のため、前の開庁日の{day_ja(before)}までにお越しください",
            f"{day_en(end, why)} is a closed day: please come by {day_en(before)}, the open day before",
            ClosedDayRule.BEFORE,
            before,
        )
    if office.rule == "none":
        return Deadline(
            end,
            rule.text,
            rule.text_en,
            end,
            f"期限の{day_ja(end, why)}は閉庁日です(期限は延びません)",
            f"The last day, {day_en(end, why)}, is a closed day (the deadline is not extended)",
            ClosedDayRule.KEPT,
        )
    moved = next_open_day(office, end)
    return Deadline(
        moved,
        rule.text,
        rule.text_en,
        end,
        f"期限の{day_ja(end, why)}は閉庁日のため、翌開庁日の{day_ja(moved)}まで",
        f"The last day, {day_en(end, why)}, is a closed day: the deadline is the next open day, "
        f"{day_en(moved)}",
        ClosedDayRule.MOVED,
    )


def describe_calendar(office: OfficeCalendar | None, english: bool = False) -> str:
    """The closed days and the rule in one line, for ``madoguchi catalog show``."""
    if office is None:
        if english:
            return "No office calendar: no day is treated as closed"
        return "閉庁日の定めなし(期限は閉庁日でも延びません)"
    indexes = [WEEKDAYS.index(w) for w in office.closed_weekdays]
    if english:
        days = ["/".join(WEEKDAY_EN[i] for i in indexes)]
    else:
        days = ["・".join(WEEKDAY_JA[i] for i in indexes) + "曜日"]
    if office.national_holidays:
        days.append("national holidays" if english else "国民の祝日・休日")
    for period in office.closed_periods:
        name = period.name_en if english else period.name
        span = f"{period.start} to {period.end}" if english else f"{period.start}〜{period.end}"
        days.append(span + ((f" ({name})" if english else f"({name})") if name else ""))
    if office.extra_closed:
        extra = ", ".join(d.isoformat() for d in office.extra_closed)
        days.append(f"also {extra}" if english else f"ほかに {extra}")
    if office.extra_open:
        extra = ", ".join(d.isoformat() for d in office.extra_open)
        days.append(f"but open on {extra}" if english else f"ただし {extra} は開庁")
    if english:
        rule = "moves to the next open day" if office.rule == "next_open_day" else "is not moved"
        return f"Closed: {', '.join(days)}; a deadline on a closed day {rule} ({office.basis})"
    rule = "翌開庁日まで延長" if office.rule == "next_open_day" else "延長しない"
    return f"閉庁日: {'、'.join(days)} — 期限が閉庁日なら{rule}({office.basis})"
