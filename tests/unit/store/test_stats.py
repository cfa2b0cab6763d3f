"""Statistics: the pre-aggregated path agrees with the raw records, rebuilds agree with increments,
quantiles are exact, exports open in Excel."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import statistics
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select

from counter_app.adapters.stats import (
    StatsQuery,
    StatsReport,
    compute_stats,
    quantile_from_counts,
    render_text,
    split_periods,
)
from counter_app.adapters.store.engine import make_engine
from counter_app.adapters.store.migrate import upgrade
from counter_app.adapters.store.models import STAT_COUNTS
from counter_app.adapters.store.records import VisitRecord
from counter_app.adapters.store.rollups import rebuild
from counter_app.adapters.store.writer import apply_record
from tests.unit.store.factories import COUNTERS, TOKYO, visit, visits
from tests.unit.store.reference import binned_quantile, expected_stats, quantile

FIRST_DAY = dt.date(2026, 1, 28)


def fresh_engine() -> Engine:
    engine = make_engine("sqlite://")
    upgrade(engine)
    return engine


def store(engine: Engine, records: list[VisitRecord]) -> None:
    with engine.begin() as connection:
        for record in records:
            apply_record(connection, record)


def snapshot(engine: Engine) -> set[tuple[object, ...]]:
    with engine.connect() as connection:
        return {tuple(row) for row in connection.execute(select(STAT_COUNTS))}


def check_report(report: StatsReport, records: list[VisitRecord], query: StatsQuery) -> None:
    exp = expected_stats(records, query)
    assert report.visits == exp.visits
    assert report.by_outcome == dict(exp.by_outcome)
    assert {r.life_event: r.visits for r in report.by_life_event} == dict(exp.by_event)
    assert {r.life_event: r.completed for r in report.by_life_event} == {
        e: exp.event_completed[e] for e in exp.by_event
    }
    assert {r.life_event: r.procedures_listed for r in report.by_life_event} == {
        e: exp.event_listed[e] for e in exp.by_event
    }
    assert {r.life_event: r.procedures_chosen for r in report.by_life_event} == {
        e: exp.event_chosen[e] for e in exp.by_event
    }
    assert {r.procedure_id: (r.listed, r.chosen) for r in report.by_procedure} == {
        p: (n, exp.chosen[p]) for p, n in exp.listed.items()
    }
    assert {(r.procedure_id, r.reason): r.count for r in report.deselections} == dict(exp.deselections)
    assert {r.form_id: (r.printed, r.reprinted, r.failed, r.prefilled_chars) for r in report.forms} == {
        f: (exp.printed[f], exp.reprinted[f], exp.failed[f], exp.chars[f]) for f in exp.printed
    }
    assert report.by_hour == exp.hours
    assert report.by_identification == dict(exp.ident)
    assert {r.counter: r.visits for r in report.by_counter} == dict(exp.by_counter)
    assert dict(report.by_day) == {
        query.start + dt.timedelta(days=i): exp.by_day[query.start + dt.timedelta(days=i)]
        for i in range(query.days)
    }
    assert report.handling.count == len(exp.durations)
    assert report.handling.median_s == binned_quantile(exp.durations, 0.5)
    assert report.handling.p90_s == pytest.approx(binned_quantile(exp.durations, 0.9))
    if exp.durations:
        assert report.handling.mean_s == pytest.approx(statistics.mean(exp.durations))
        assert abs(report.handling.median_s - statistics.median(exp.durations)) <= 5  # type: ignore[operator]
    for row in report.by_counter:
        durations = exp.counter_durations[row.counter]
        if query.counter is not None:
            assert row.handling == report.handling
        else:
            assert row.handling.count == len(durations)
            assert row.handling.mean_s == (pytest.approx(statistics.mean(durations)) if durations else None)
    assert report.chars_avoided == sum(exp.chars.values())


@st.composite
def queries(draw: st.DrawFn) -> StatsQuery:
    start = FIRST_DAY + dt.timedelta(days=draw(st.integers(-5, 75)))
    end = start + dt.timedelta(days=draw(st.integers(0, 80)))
    return StatsQuery(start, end, draw(st.none() | st.sampled_from(COUNTERS)))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records=st.lists(visits(FIRST_DAY), max_size=25, unique_by=lambda r: r.visit_id), query=queries())
def test_stats_agree_with_the_records(records: list[VisitRecord], query: StatsQuery) -> None:
    engine = fresh_engine()
    try:
        store(engine, records)
        check_report(compute_stats(engine, query), records, query)
    finally:
        engine.dispose()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records=st.lists(visits(FIRST_DAY), max_size=20, unique_by=lambda r: r.visit_id))
def test_rebuild_equals_the_increments(records: list[VisitRecord]) -> None:
    engine = fresh_engine()
    try:
        store(engine, records)
        store(engine, records)  # sent again: ignored, counted once
        incremental = snapshot(engine)
        with engine.begin() as connection:
            rows = rebuild(connection)
        assert snapshot(engine) == incremental
        assert rows == len(incremental)
    finally:
        engine.dispose()


@given(st.lists(st.integers(0, 5000), min_size=1, max_size=60), st.sampled_from([0.0, 0.1, 0.5, 0.9, 1.0]))
def test_quantile_from_counts_is_exact(values: list[int], q: float) -> None:
    counts = sorted({v: values.count(v) for v in values}.items())
    assert quantile_from_counts(counts, q) == pytest.approx(quantile(values, q))
    if q == 0.5:
        assert quantile_from_counts(counts, q) == statistics.median(values)
    if q == 0.9 and len(values) > 1:
        assert quantile_from_counts(counts, q) == pytest.approx(
            statistics.quantiles(values, n=10, method="inclusive")[8]
        )


def test_quantile_of_nothing() -> None:
    assert quantile_from_counts([], 0.5) is None


@given(st.dates(dt.date(2024, 1, 1), dt.date(2027, 12, 31)), st.integers(0, 800))
def test_split_periods_covers_the_range_exactly(start: dt.date, length: int) -> None:
    end = start + dt.timedelta(days=length)
    months, day_ranges = split_periods(start, end)
    covered: list[dt.date] = []
    for first in months:
        assert first.day == 1
        following = (first + dt.timedelta(days=32)).replace(day=1)
        covered += [first + dt.timedelta(days=i) for i in range((following - first).days)]
    for first, last in day_ranges:
        assert first <= last
        covered += [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    assert sorted(covered) == [start + dt.timedelta(days=i) for i in range(length + 1)]
    assert len(covered) == len(set(covered))
    assert len(day_ranges) <= 2  # at most a head and a tail


def test_week_and_month_queries() -> None:
    thursday = dt.date(2026, 4, 2)
    week = StatsQuery.week(thursday)
    assert (week.start, week.end) == (dt.date(2026, 3, 30), dt.date(2026, 4, 5))
    february = StatsQuery.month(dt.date(2028, 2, 10))
    assert (february.start, february.end, february.days) == (dt.date(2028, 2, 1), dt.date(2028, 2, 29), 29)
    with pytest.raises(ValueError):
        StatsQuery(dt.date(2026, 4, 2), dt.date(2026, 4, 1))


@pytest.fixture
def sample_report() -> Iterator[StatsReport]:
    engine = fresh_engine()
    t0 = dt.datetime(2026, 4, 1, 9, 0, tzinfo=TOKYO)
    records = [
        visit(t0, minutes=10),
        visit(t0 + dt.timedelta(hours=1), minutes=20, counter="2番窓口", life_event="birth"),
        visit(t0 + dt.timedelta(days=1), minutes=30, life_event="=cmd|' /C calc'!A0"),
    ]
    store(engine, records)
    yield compute_stats(engine, StatsQuery.month(t0.date()))
    engine.dispose()


def test_csv_opens_in_excel(sample_report: StatsReport) -> None:
    data = sample_report.to_csv()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads Japanese correctly
    text = data.decode("utf-8-sig")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")  # CRLF only
    rows = list(csv.reader(io.StringIO(text)))
    assert ["■概要"] in rows
    assert ["来庁者数", "3"] in rows
    assert ["処理時間 中央値(分)", "20.1"] in rows  # 1205 s: the centre of the 10-second bin
    cells = [cell for row in rows for cell in row]
    assert "'=cmd|' /C calc'!A0" in cells  # a formula-looking id is quoted, not executed
    assert not any(cell.startswith("=") for cell in cells)


def test_json_export(sample_report: StatsReport) -> None:
    document = json.loads(json.dumps(sample_report.to_json(), ensure_ascii=False))
    assert document["visits"] == 3 and document["completed"] == 3
    assert document["handling_time"]["median_s"] == 1205  # the centre of the bin 1200–1209 s
    assert document["handling_time"]["mean_s"] == 1200  # exact
    assert document["forms_printed"] == 6 and document["handwritten_chars_avoided"] == 3 * (180 + 95)
    assert len(document["by_hour"]) == 24 and document["by_hour"][9] == 2
    assert [c["counter"] for c in document["by_counter"]] == ["1番窓口", "2番窓口"]
    assert len(document["by_day"]) == 30


def test_labels_replace_ids(sample_report: StatsReport) -> None:
    labelled = sample_report.with_labels({"move_in": "転入", "juminhyo": "住民異動届"})
    sections = dict((title, rows) for title, _, rows in labelled.csv_sections())
    assert ["転入", 1, 1, 3, 2] in sections["ライフイベント別"]
    assert any(row[0] == "住民異動届" for row in sections["手続別"])


def test_text_report(sample_report: StatsReport) -> None:
    text = render_text(sample_report)
    assert "■ 概要" in text and "来庁者数" in text and "1番窓口" in text
    assert "\n9時" in text and "10時" in text and "8時" not in text and "23時" not in text  # busy hours only
    assert "■ 日別" in text  # a month is shown day by day
