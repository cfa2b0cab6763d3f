"""Why a deadline is not the period's last day, on the resident's side of the guide sheet: in every
language, with the same dates as the Japanese (the three cases of procedures.deadlines)."""

from __future__ import annotations

import datetime as dt

import pytest

from counter_app.workflow.closed_day_notes import closed_day_note
from forms.guide_bilingual import format_date
from procedures.deadlines import ClosedDayRule, compute_deadline
from procedures.i18n import LANGUAGES
from procedures.schema import DeadlineRule, OfficeCalendar

CALENDAR = {"closed_weekdays": ["sat", "sun"], "national_holidays": True, "basis": "地方自治法4条の2第4項"}
MOVES = OfficeCalendar.model_validate(CALENDAR)
KEEPS = OfficeCalendar.model_validate({**CALENDAR, "rule": "none"})
OTHERS = [code for code in LANGUAGES if code != "en"]


def rule(**fields: object) -> DeadlineRule:
    return DeadlineRule.model_validate({"text": "期限", "text_en": "deadline", **fields})


@pytest.mark.parametrize("language", OTHERS)
def test_a_moved_deadline_names_both_days(language: str) -> None:
    # 出生届: born on Monday 2025-06-02, 14 days counting that day end on Sunday 6/15 → Monday 6/16.
    deadline = compute_deadline(rule(days=14, include_event_day=True), dt.date(2025, 6, 2), MOVES)
    assert deadline.closed is ClosedDayRule.MOVED
    note = closed_day_note(deadline, language)
    assert note is not None and note != deadline.note
    assert format_date(dt.date(2025, 6, 15), language) in note
    assert format_date(dt.date(2025, 6, 16), language) in note


@pytest.mark.parametrize("language", OTHERS)
def test_a_day_before_an_event_names_the_open_day_before(language: str) -> None:
    # Due before the event (転出届: before moving out), a move on Sunday 2025-06-15: come by Friday 6/13.
    deadline = compute_deadline(rule(before_event=True), dt.date(2025, 6, 15), MOVES)
    assert deadline.closed is ClosedDayRule.BEFORE and deadline.come_by == dt.date(2025, 6, 13)
    note = closed_day_note(deadline, language)
    assert note is not None
    assert format_date(dt.date(2025, 6, 15), language) in note
    assert format_date(dt.date(2025, 6, 13), language) in note


@pytest.mark.parametrize("language", OTHERS)
def test_a_kept_deadline_names_only_the_closed_day(language: str) -> None:
    deadline = compute_deadline(rule(days=14, include_event_day=True), dt.date(2025, 6, 2), KEEPS)
    assert deadline.closed is ClosedDayRule.KEPT and deadline.date == dt.date(2025, 6, 15)
    note = closed_day_note(deadline, language)
    assert note is not None and format_date(dt.date(2025, 6, 15), language) in note
    assert format_date(dt.date(2025, 6, 16), language) not in note
    # The three cases read differently.
    moved = compute_deadline(rule(days=14, include_event_day=True), dt.date(2025, 6, 2), MOVES)
    assert closed_day_note(moved, language) != note


def test_english_is_the_engines_own_and_an_open_day_has_none() -> None:
    moved = compute_deadline(rule(days=14, include_event_day=True), dt.date(2025, 6, 2), MOVES)
    assert closed_day_note(moved, "en") == moved.note_en
    plain = compute_deadline(rule(days=14), dt.date(2025, 6, 2), MOVES)
    assert plain.closed is None
    assert all(closed_day_note(plain, code) is None for code in LANGUAGES)
