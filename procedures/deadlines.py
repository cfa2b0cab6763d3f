"""Deadline rules of the catalog turned into dates.

``days: 14`` after a move on 4/1 ends on 4/15: Japanese law does not count the first day (民法140条).
Notifications under the 戸籍法 count the event day itself (戸籍法43条), so the catalog says
``include_event_day: true`` and a birth on 4/1 must be notified by 4/14. ``months`` and ``years``
end on the same day of the month (the last day of a shorter month: 民法143条).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from procedures.schema import DeadlineRule


@dataclass(frozen=True, slots=True)
class Deadline:
    """The rule's words and, when it can be computed, the last day."""

    date: dt.date | None
    text: str
    text_en: str

    def to_json(self) -> dict[str, str | None]:
        return {
            "date": self.date.isoformat() if self.date else None,
            "text": self.text,
            "text_en": self.text_en,
        }


def add_months(start: dt.date, months: int) -> dt.date:
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day)


def deadline_date(rule: DeadlineRule, start: dt.date | None) -> dt.date | None:
    """The last day under ``rule`` counted from ``start`` (the event date or a date answer)."""
    if start is None:
        return None
    if rule.before_event:
        return start
    if rule.days is not None:
        end = start + dt.timedelta(days=rule.days)
    elif rule.months is not None:
        end = add_months(start, rule.months)
    elif rule.years is not None:
        end = add_months(start, 12 * rule.years)
    else:
        return None
    return end - dt.timedelta(days=1) if rule.include_event_day else end


def compute_deadline(rule: DeadlineRule, start: dt.date | None) -> Deadline:
    return Deadline(deadline_date(rule, start), rule.text, rule.text_en)
