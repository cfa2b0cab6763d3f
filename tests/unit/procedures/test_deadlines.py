"""Deadlines from the law: 民法140条・143条 periods, closed days (地方自治法4条の2), ``earliest_of``.

Expected dates come from the articles and from worked examples in public explanations, never from
the engine: the examples of 民法143条2項 (a period from 1/15 ends on 2/14; from 1/30 or 1/31 on
the last day of February; 2 years from 2014-09-01 end on 2016-08-31; 3 months counted from 3/9
end on 6/8), the 出生届 example "born 12/2 → 12/15" (戸籍法49条 with 43条) and the municipal
guides' "a deadline on a Saturday, Sunday, holiday or the year-end closure is the next open day".
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from procedures.catalog import check_catalog, load_catalog
from procedures.deadlines import (
    Deadline,
    closed_day,
    compute_deadline,
    deadline_date,
    describe_calendar,
    next_open_day,
    period_end,
)
from procedures.engine import guide
from procedures.schema import AlternativePeriod, DeadlineRule, OfficeCalendar
from tests.unit.procedures.flow import member, visit
from tests.unit.procedures.test_catalog_check import (
    CATALOG,
    PROCEDURES,
    QUESTIONS,
    errors,
    line_of,
    only_error,
    write,
)


def rule(**fields: Any) -> DeadlineRule:
    return DeadlineRule.model_validate({"text": "期限", "text_en": "deadline", **fields})


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


WARD = OfficeCalendar.model_validate(
    {
        "closed_weekdays": ["sat", "sun"],
        "national_holidays": True,
        "closed_periods": [{"from": "12-29", "to": "01-03", "name": "年末年始", "name_en": "New Year"}],
        "basis": "地方自治法4条の2第4項",
    }
)


# ---------------------------------------------------------------- periods (民法140条・143条)


@pytest.mark.parametrize(
    ("fields", "start", "end"),
    [
        # days: 民法140条 — the first day is not counted …
        ({"days": 14}, "2025-04-01", "2025-04-15"),
        ({"days": 14}, "2025-12-20", "2026-01-03"),  # across the year end
        ({"days": 14}, "2024-02-20", "2024-03-05"),  # leap year: 2/29 is a day like any other
        ({"days": 14}, "2025-02-20", "2025-03-06"),
        ({"days": 0}, "2025-04-01", "2025-04-01"),
        # … unless the law counts it (戸籍法43条): born 12/2 → 12/15, born 1/1 → 1/14.
        ({"days": 14, "include_event_day": True}, "2025-12-02", "2025-12-15"),
        ({"days": 14, "include_event_day": True}, "2026-01-01", "2026-01-14"),
        ({"days": 7, "include_event_day": True}, "2025-12-28", "2026-01-03"),
        # months and years: 民法143条2項 — the day before the 起算日's corresponding day …
        ({"months": 1, "include_event_day": True}, "2025-01-15", "2025-02-14"),
        ({"months": 1, "include_event_day": True}, "2025-04-01", "2025-04-30"),
        ({"years": 2, "include_event_day": True}, "2014-09-01", "2016-08-31"),
        ({"months": 3}, "2025-03-08", "2025-06-08"),  # 起算日 3/9 → 6/9 → 6/8
        ({"months": 1}, "2025-02-28", "2025-03-31"),  # 起算日 3/1 → 4/1 → 3/31
        ({"months": 1}, "2025-12-31", "2026-01-31"),  # 起算日 1/1 → 2/1 → 1/31
        ({"months": 1, "include_event_day": True}, "2025-12-31", "2026-01-30"),  # 12/31 → 1/31 → 1/30
        ({"months": 3, "include_event_day": True}, "2025-06-02", "2025-09-01"),
        # … or the last day of the last month when it has no such day (ただし書).
        ({"months": 3, "include_event_day": True}, "2025-11-30", "2026-02-28"),
        ({"months": 3, "include_event_day": True}, "2023-11-30", "2024-02-29"),
        ({"months": 3}, "2025-11-30", "2026-02-28"),  # 起算日 12/1 → 3/1 → 2/28
        ({"months": 3}, "2023-11-30", "2024-02-29"),
        ({"months": 1, "include_event_day": True}, "2025-01-30", "2025-02-28"),
        ({"months": 1, "include_event_day": True}, "2024-01-30", "2024-02-29"),
        ({"months": 1, "include_event_day": True}, "2025-01-31", "2025-02-28"),
        ({"months": 1}, "2025-01-31", "2025-02-28"),  # 起算日 2/1 → 3/1 → 2/28
        ({"months": 1}, "2024-01-31", "2024-02-29"),
        ({"months": 1}, "2025-01-30", "2025-02-28"),  # 起算日 1/31: February has no 31st
        ({"years": 1, "include_event_day": True}, "2024-02-29", "2025-02-28"),
        ({"years": 2}, "2024-02-29", "2026-02-28"),  # 起算日 3/1 → 2026-03-01 → 2/28
        ({"years": 1}, "2023-02-28", "2024-02-29"),  # 起算日 2023-03-01 → 2024-03-01 → 2/29
        ({"years": 5}, "2025-06-02", "2030-06-02"),
        # not a period
        ({"before_event": True}, "2025-06-02", "2025-06-02"),
        ({}, "2025-06-02", None),
    ],
)
def test_period_end(fields: dict[str, Any], start: str, end: str | None) -> None:
    assert period_end(rule(**fields), day(start)) == (day(end) if end else None)
    assert deadline_date(rule(**fields), day(start)) == (day(end) if end else None)


def test_unknown_start_gives_no_date() -> None:
    assert period_end(rule(days=14), None) is None
    deadline = compute_deadline(rule(days=14), None, WARD)
    assert deadline == Deadline(None, "期限", "deadline", None)


# ---------------------------------------------------------------- closed days (地方自治法4条の2)


@pytest.mark.parametrize(
    ("text", "closed"),
    [
        ("2026-06-15", False),  # Monday
        ("2026-06-13", True),  # Saturday
        ("2026-06-14", True),  # Sunday
        ("2026-07-20", True),  # 海の日
        ("2026-05-06", True),  # 振替休日 for 5/3 (憲法記念日, a Sunday)
        ("2026-09-22", True),  # 国民の休日 between 敬老の日 and 秋分の日
        ("2026-12-28", False),  # the last open day of the year
        ("2026-12-29", True),
        ("2027-01-03", True),
        ("2027-01-04", False),
    ],
)
def test_ward_closed_days(text: str, closed: bool) -> None:
    assert (closed_day(WARD, day(text)) is not None) == closed


@pytest.mark.parametrize(
    ("last_day", "open_day"),
    [
        ("2026-06-14", "2026-06-15"),  # Sunday → Monday
        ("2026-06-13", "2026-06-15"),  # Saturday → Monday
        ("2026-07-18", "2026-07-21"),  # Saturday, Sunday, 海の日 → Tuesday
        ("2026-05-02", "2026-05-07"),  # Golden Week: 5/2 (Sat) … 5/6 (振替休日) → Thursday
        ("2026-12-29", "2027-01-04"),  # year-end closure → Monday 1/4
        ("2025-12-30", "2026-01-05"),  # closure ends on Saturday 1/3, then Sunday → Monday 1/5
        ("2026-06-15", "2026-06-15"),  # open already
    ],
)
def test_next_open_day(last_day: str, open_day: str) -> None:
    start = day(last_day)
    expected = day(open_day)
    assert (next_open_day(WARD, start) if closed_day(WARD, start) else start) == expected


def test_a_deadline_on_a_sunday_moves_to_monday_and_says_why() -> None:
    # 出生届: born on Monday 2025-06-02, 14 days counting that day end on Sunday 6/15.
    deadline = compute_deadline(rule(days=14, include_event_day=True), day("2025-06-02"), WARD)
    assert deadline.period_end == day("2025-06-15")
    assert deadline.date == day("2025-06-16")
    assert deadline.moved
    assert deadline.note == "期限の6月15日(日)は閉庁日のため、翌開庁日の6月16日(月)まで"
    assert deadline.note_en == (
        "The last day, Sunday 15 June, is a closed day: the deadline is the next open day, Monday 16 June"
    )
    assert deadline.to_json() == {
        "date": "2025-06-16",
        "text": "期限",
        "text_en": "deadline",
        "period_end": "2025-06-15",
        "moved": True,
        "note": deadline.note,
        "note_en": deadline.note_en,
    }


def test_holiday_and_year_end_are_named() -> None:
    holiday = compute_deadline(rule(days=14), day("2026-07-06"), WARD)  # ends on 海の日
    assert (holiday.period_end, holiday.date) == (day("2026-07-20"), day("2026-07-21"))
    assert holiday.note == "期限の7月20日(月・海の日)は閉庁日のため、翌開庁日の7月21日(火)まで"
    assert "Monday 20 July (national holiday)" in holiday.note_en
    year_end = compute_deadline(rule(days=14), day("2026-12-15"), WARD)  # ends on 12/29
    assert (year_end.period_end, year_end.date) == (day("2026-12-29"), day("2027-01-04"))
    assert year_end.note == "期限の12月29日(火・年末年始)は閉庁日のため、翌開庁日の1月4日(月)まで"
    substitute = compute_deadline(rule(days=4), day("2026-05-02"), WARD)  # ends on 5/6
    assert substitute.note.startswith("期限の5月6日(水・振替休日)は閉庁日のため")


def test_an_open_day_has_no_note() -> None:
    deadline = compute_deadline(rule(days=14), day("2025-06-02"), WARD)
    assert deadline == Deadline(day("2025-06-16"), "期限", "deadline", day("2025-06-16"))
    assert not deadline.moved


def test_without_a_calendar_nothing_moves() -> None:
    deadline = compute_deadline(rule(days=14, include_event_day=True), day("2025-06-02"), None)
    assert (deadline.date, deadline.period_end, deadline.note) == (day("2025-06-15"), day("2025-06-15"), "")


def test_the_municipality_decides_which_days_are_closed() -> None:
    sunday, tuesday = day("2026-06-14"), day("2026-06-16")
    calendar = WARD.model_copy(update={"extra_open": [sunday], "extra_closed": [tuesday]})
    assert closed_day(calendar, sunday) is None
    assert closed_day(calendar, tuesday) is not None
    assert next_open_day(calendar, day("2026-06-15")) == day("2026-06-17")
    no_holidays = WARD.model_copy(update={"national_holidays": False})
    assert closed_day(no_holidays, day("2026-07-20")) is None
    weekdays_only = WARD.model_copy(update={"closed_weekdays": ["sun"]})
    assert closed_day(weekdays_only, day("2026-06-13")) is None


def test_rule_none_keeps_the_day_and_says_it_is_closed() -> None:
    calendar = WARD.model_copy(update={"rule": "none"})
    deadline = compute_deadline(rule(days=14, include_event_day=True), day("2025-06-02"), calendar)
    assert deadline.date == deadline.period_end == day("2025-06-15")
    assert not deadline.moved
    assert deadline.note == "期限の6月15日(日)は閉庁日です(期限は延びません)"
    assert deadline.note_en == "The last day, Sunday 15 June, is a closed day (the deadline is not extended)"


def test_before_event_is_not_a_period_and_does_not_move() -> None:
    deadline = compute_deadline(rule(before_event=True), day("2025-06-15"), WARD)  # moving out on a Sunday
    assert (deadline.date, deadline.period_end) == (day("2025-06-15"), day("2025-06-15"))
    assert deadline.note == "6月15日(日)は閉庁日のため、前の開庁日の6月13日(金)までにお越しください"


def test_office_calendar_is_validated(tmp_path: Path) -> None:
    block = (
        "office_calendar:\n"
        "  closed_weekdays: [sat, sun, sun]\n"
        "  closed_periods:\n"
        '    - {from: "12-29", to: "13-03"}\n'
        "  extra_closed: [2026-05-07]\n"
        "  extra_open: [2026-05-07]\n"
        "  rule: next_day\n"
        "  basis: 地方自治法4条の2第4項\n"
    )
    text = CATALOG + block
    issues = errors(write(tmp_path, catalog_yaml=text))
    assert {e.file for e in issues} == {str(tmp_path / "catalog.yaml")}
    found = {(e.line, e.message) for e in issues}
    assert (line_of(text, "closed_weekdays"), "「sun」が2回書かれています") in found
    assert (line_of(text, "13-03"), "「13-03」は月-日(例: 12-29)の形で書いてください") in found
    assert (line_of(text, "rule:"), "次のどれかを書いてください: 'next_open_day', 'none'") in found
    misspelt = CATALOG + (
        'office_calendar:\n  closed_periods:\n    - {start: "12-29", to: "01-03"}\n  basis: 条例\n'
    )
    found = {(e.line, e.message) for e in errors(write(tmp_path, catalog_yaml=misspelt))}
    assert found == {
        (line_of(misspelt, "start:"), "「from」がありません(必須の項目です)"),
        (line_of(misspelt, "start:"), "「start」は使えない項目です(つづりを確認してください)"),
    }


def test_office_calendar_needs_an_open_day_and_no_contradiction(tmp_path: Path) -> None:
    every_day = CATALOG + (
        "office_calendar:\n  closed_weekdays: [mon, tue, wed, thu, fri, sat, sun]\n  basis: 条例\n"
    )
    issue = only_error(write(tmp_path, catalog_yaml=every_day))
    assert issue.line == line_of(every_day, "office_calendar:")
    assert issue.message == "すべての曜日を閉庁日にはできません(closed_weekdays を確認してください)"
    both = CATALOG + (
        "office_calendar:\n  extra_closed: [2026-05-07]\n  extra_open: [2026-05-07]\n  basis: 条例\n"
    )
    issue = only_error(write(tmp_path, catalog_yaml=both))
    assert issue.message == "2026-05-07 が extra_closed と extra_open の両方に書かれています"
    no_basis = CATALOG + "office_calendar:\n  closed_weekdays: [sat, sun]\n"
    issue = only_error(write(tmp_path, catalog_yaml=no_basis))
    assert issue.message == "「basis」がありません(必須の項目です)"


def test_shipped_catalogs_close_on_weekends_holidays_and_the_year_end() -> None:
    for name in ("default", "sazanami"):
        calendar = load_catalog(name).meta.office_calendar
        assert calendar is not None and calendar.rule == "next_open_day"
        assert "地方自治法4条の2" in calendar.basis
        for closed in ("2026-06-13", "2026-06-14", "2026-07-20", "2026-12-29", "2027-01-03"):
            assert closed_day(calendar, day(closed)) is not None, (name, closed)
        assert closed_day(calendar, day("2026-12-28")) is None


# ---------------------------------------------------------------- earliest_of (住基法24条の2)


def test_earliest_of_takes_the_earliest_end() -> None:
    card_move = rule(days=14, earliest_of=[{"days": 30, "from_answer": "planned_out"}])
    alternative = card_move.earliest_of[0]
    moved_in = day("2025-06-02")
    # Planned to leave on 5/10: 30 days from then end on 6/9, before the 14 days from moving in (6/16).
    assert deadline_date(card_move, moved_in, [(alternative, day("2025-05-10"))]) == day("2025-06-09")
    # Planned to leave on 5/30: 30 days end on 6/29, so the 14 days from moving in decide.
    assert deadline_date(card_move, moved_in, [(alternative, day("2025-05-30"))]) == day("2025-06-16")
    assert deadline_date(card_move, moved_in, [(alternative, None)]) is None  # not answered yet
    assert deadline_date(card_move, moved_in) == day("2025-06-16")  # the alternative does not apply
    # The earliest end is moved off a closed day like any other: 5/15 + 30 days = Saturday 6/14.
    deadline = compute_deadline(card_move, moved_in, WARD, [(alternative, day("2025-05-15"))])
    assert (deadline.period_end, deadline.date) == (day("2025-06-14"), day("2025-06-16"))


def test_earliest_of_rules_are_checked() -> None:
    with pytest.raises(ValueError, match="earliest_of は days / months / years のある期限にだけ"):
        rule(before_event=True, earliest_of=[{"days": 30}])
    with pytest.raises(ValueError, match="earliest_of の各項目には"):
        rule(days=14, earliest_of=[{"include_event_day": True}])
    with pytest.raises(ValueError, match="extra_forbidden"):
        AlternativePeriod.model_validate({"days": 30, "text": "30日"})


TENNYU_QUESTIONS = (
    QUESTIONS
    + """\
  - id: card_move
    text: マイナンバーカードで転出届をしましたか
    text_en: Did you move out with your My Number card?
    type: yes_no
    ask_when: {event: tennyu}
  - id: planned_out
    text: 転出予定日
    text_en: Planned moving-out date
    type: date
    ask_when: {answer: card_move}
"""
)
TENNYU_PROCEDURES = PROCEDURES.replace(
    "    deadline: {days: 14, text: 14日以内, text_en: Within 14 days}",
    """\
    deadline:
      days: 14
      earliest_of:
        - {days: 30, from_answer: planned_out, basis: 住民基本台帳法24条の2}
      text: 転入した日から14日以内(カードでの転出は転出予定日から30日以内のうち早い日)
      text_en: Within 14 days of moving in (and 30 days of the planned moving-out date)""",
)


def test_earliest_of_in_a_catalog(tmp_path: Path) -> None:
    catalog = load_catalog(
        write(tmp_path, questions_yaml=TENNYU_QUESTIONS, procedures__main_yaml=TENNYU_PROCEDURES)
    )
    start = visit("tennyu", "2025-06-02", member("self", "1980-01-01")).with_answer("has_dog", False)

    def todoke(answers: dict[str, Any]) -> tuple[dt.date | None, set[str]]:
        current = start
        for question, value in answers.items():
            current = current.with_answer(question, value)
        guidance = guide(catalog, current)
        found = next(p for p in guidance.procedures if p.id == "todoke")
        assert found.deadline is not None
        return found.deadline.date, {q.id for q in guidance.questions}

    # Whether the alternative applies is not known yet: no date, and the engine asks.
    assert todoke({}) == (None, {"card_move"})
    # Moved out on paper: the alternative's question is not asked and the alternative is ignored.
    assert todoke({"card_move": False}) == (day("2025-06-16"), set())
    # Card-based move, planned date not answered yet: no date, the engine asks for it.
    assert todoke({"card_move": True}) == (None, {"planned_out"})
    # 30 days from 5/10 end on 6/9, before 6/16.
    assert todoke({"card_move": True, "planned_out": "2025-05-10"}) == (day("2025-06-09"), set())
    assert todoke({"card_move": True, "planned_out": "2025-05-30"}) == (day("2025-06-16"), set())


def test_earliest_of_questions_are_checked(tmp_path: Path) -> None:
    unknown = TENNYU_PROCEDURES.replace("from_answer: planned_out", "from_answer: planned_outt")
    issue = only_error(write(tmp_path, questions_yaml=TENNYU_QUESTIONS, procedures__main_yaml=unknown))
    assert issue.line == line_of(unknown, "planned_outt")
    assert issue.message == "質問「planned_outt」は定義されていません"
    not_a_date = TENNYU_PROCEDURES.replace("from_answer: planned_out", "from_answer: card_move")
    issue = only_error(write(tmp_path, questions_yaml=TENNYU_QUESTIONS, procedures__main_yaml=not_a_date))
    assert issue.line == line_of(not_a_date, "from_answer: card_move")
    assert issue.message == "質問「card_move」は日付の質問ではありません(type: date が必要です)"


def test_a_question_used_only_by_earliest_of_is_used(tmp_path: Path) -> None:
    report = check_catalog(
        write(tmp_path, questions_yaml=TENNYU_QUESTIONS, procedures__main_yaml=TENNYU_PROCEDURES)
    )
    assert report.ok, [str(i) for i in report.issues]
    assert not [i for i in report.issues if "planned_out" in i.message]


def test_describe_calendar() -> None:
    calendar = WARD.model_copy(update={"extra_closed": [day("2026-05-07")], "rule": "none"})
    assert describe_calendar(calendar) == (
        "閉庁日: 土・日曜日、国民の祝日・休日、12-29〜01-03(年末年始)、ほかに 2026-05-07"
        " — 期限が閉庁日なら延長しない(地方自治法4条の2第4項)"
    )
    assert describe_calendar(None) == "閉庁日の定めなし(期限は閉庁日でも延びません)"


@settings(max_examples=300, deadline=None)
@given(
    start=st.dates(dt.date(2000, 1, 1), dt.date(2040, 12, 31)),
    months=st.integers(1, 36),
    include=st.booleans(),
)
def test_month_periods_are_monotone_and_calendar_long(start: dt.date, months: int, include: bool) -> None:
    period = rule(months=months, include_event_day=include)
    end = period_end(period, start)
    later = period_end(period, start + dt.timedelta(days=1))
    assert end is not None and later is not None and end <= later
    first = start if include else start + dt.timedelta(days=1)
    counted = (end - first).days + 1  # days in the period, both ends included
    assert 28 * months - 3 <= counted <= 31 * months + 3
    # The day after the end is in the month `months` after the first day's month, unless that month
    # is too short for the first day (then the period ends on its last day).
    target = (first.month - 1 + months) % 12 + 1
    assert end.month == target or (end + dt.timedelta(days=1)).month == target


@settings(max_examples=300, deadline=None)
@given(start=st.dates(dt.date(2020, 1, 1), dt.date(2035, 12, 31)), days=st.integers(1, 60))
def test_a_moved_deadline_is_the_first_open_day_from_the_last_day(start: dt.date, days: int) -> None:
    deadline = compute_deadline(rule(days=days), start, WARD)
    assert deadline.date is not None and deadline.period_end is not None
    assert closed_day(WARD, deadline.date) is None
    assert deadline.date >= deadline.period_end
    gap = (deadline.date - deadline.period_end).days
    assert all(closed_day(WARD, deadline.period_end + dt.timedelta(days=n)) for n in range(gap))
    assert deadline.moved == (gap > 0) == bool(deadline.note)
    # The longest run of closed days: the year end (12/29–1/3) between two weekends, e.g. 2030-12-28 (Sat)
    # to 2031-01-05 (Sun): nine days.
    assert gap <= 9
