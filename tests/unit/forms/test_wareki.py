"""和暦: era boundaries, 元年, and a property over every date since 1873."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from forms.errors import WarekiRangeError
from forms.wareki import (
    ERAS,
    format_seireki,
    format_wareki,
    format_wareki_short,
    format_wareki_year_month,
    to_wareki,
)


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        (dt.date(1980, 2, 17), "昭和55年2月17日"),
        (dt.date(1989, 1, 7), "昭和64年1月7日"),
        (dt.date(1989, 1, 8), "平成元年1月8日"),
        (dt.date(1990, 1, 1), "平成2年1月1日"),
        (dt.date(2019, 4, 30), "平成31年4月30日"),
        (dt.date(2019, 5, 1), "令和元年5月1日"),
        (dt.date(2020, 1, 1), "令和2年1月1日"),
        (dt.date(1926, 12, 24), "大正15年12月24日"),
        (dt.date(1926, 12, 25), "昭和元年12月25日"),
        (dt.date(1912, 7, 29), "明治45年7月29日"),
        (dt.date(1912, 7, 30), "大正元年7月30日"),
        (dt.date(1873, 1, 1), "明治6年1月1日"),
    ],
)
def test_known_dates(date: dt.date, expected: str) -> None:
    assert format_wareki(date) == expected


def test_gannen_can_be_written_as_one() -> None:
    assert format_wareki(dt.date(2019, 5, 1), gannen=False) == "令和1年5月1日"
    assert format_wareki_year_month(dt.date(1989, 1, 8)) == "平成元年1月"


def test_other_formats() -> None:
    assert format_wareki(dt.date(2025, 4, 14), weekday=True) == "令和7年4月14日(月)"
    assert format_wareki_short(dt.date(1980, 2, 17)) == "S55.2.17"
    assert format_wareki_short(dt.date(2019, 5, 1)) == "R1.5.1"
    assert format_seireki(dt.date(1980, 2, 17)) == "1980年2月17日"


def test_before_the_gregorian_calendar_is_refused() -> None:
    with pytest.raises(WarekiRangeError):
        format_wareki(dt.date(1872, 12, 31))


_PATTERN = re.compile(r"^(明治|大正|昭和|平成|令和)(元|\d+)年(\d+)月(\d+)日$")


@given(st.dates(min_value=dt.date(1873, 1, 1), max_value=dt.date(2200, 12, 31)))
def test_wareki_reads_back_to_the_same_date(date: dt.date) -> None:
    match = _PATTERN.match(format_wareki(date))
    assert match is not None
    era = next(e for e in ERAS if e.name == match.group(1))
    year = 1 if match.group(2) == "元" else int(match.group(2))
    assert era.start <= date
    # The era is the newest that has started: the next era (if any) starts after the date.
    newer = [e for e in ERAS if e.start > era.start]
    assert all(e.start > date for e in newer)
    assert dt.date(era.start.year + year - 1, int(match.group(3)), int(match.group(4))) == date
    assert (year == 1) == (date.year == era.start.year)
    assert to_wareki(date).year == year
