"""Supervisor statistics (no Qt): what the counters did in a day, week, month or any date range.

:func:`compute_stats` answers a :class:`StatsQuery` (inclusive local dates, optionally one counter) with a
:class:`StatsReport`:

* visits by outcome, by life event (with the procedures listed and chosen), by counter, by day, by hour
  of the day (the counter's local time), by how the resident was identified;
* procedures listed / chosen / deselected, and the deselections by reason;
* forms printed, reprinted and failed, and the handwritten characters avoided (characters the app
  pre-printed on first prints);
* handling time of completed visits: median and 90th percentile (linear interpolation between closest
  ranks, as PostgreSQL's ``percentile_cont``, over 10-second bins: within 5 seconds of the exact value)
  and the exact mean; per counter the mean (a report for one counter has its median and percentile).

Everything comes from the pre-aggregated ``stat_counts`` (monthly rows for whole months, daily rows for
the rest, office-wide ``*`` rows unless one counter is asked for); a year of a large ward answers in
milliseconds (``bench/stats.py``). :meth:`StatsReport.to_csv` writes UTF-8 with BOM and CRLF so that
Excel opens it with Japanese intact; :meth:`StatsReport.to_json` gives the same figures as JSON.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, and_, func, or_, select

from counter_app.adapters.store.models import STAT_COUNTS
from counter_app.adapters.store.records import IdentifiedBy, VisitOutcome
from counter_app.adapters.store.rollups import ALL_COUNTERS, DURATION_BIN_S, GRAIN_DAY, GRAIN_MONTH, Metric

OUTCOME_LABELS = {
    VisitOutcome.COMPLETED.value: "完了(印刷済み)",
    VisitOutcome.NOTHING_NEEDED.value: "手続なし",
    VisitOutcome.CANCELLED.value: "中止",
    VisitOutcome.TIMED_OUT.value: "時間切れ",
    VisitOutcome.DRAFT_EXPIRED.value: "一時保存のまま終業",
}
IDENTIFICATION_LABELS = {
    IdentifiedBy.CARD.value: "マイナンバーカード",
    IdentifiedBy.QR.value: "QRコード",
    IdentifiedBy.MANUAL.value: "手入力",
    IdentifiedBy.NONE.value: "本人確認なし",
}
WEEKDAYS_JA = "月火水木金土日"


@dataclass(frozen=True, slots=True)
class StatsQuery:
    start: dt.date
    end: dt.date  # inclusive
    counter: str | None = None

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("the range ends before it starts")

    @classmethod
    def day(cls, day: dt.date, counter: str | None = None) -> StatsQuery:
        return cls(day, day, counter)

    @classmethod
    def week(cls, day: dt.date, counter: str | None = None) -> StatsQuery:
        """Monday to Sunday of the week that holds ``day``."""
        monday = day - dt.timedelta(days=day.weekday())
        return cls(monday, monday + dt.timedelta(days=6), counter)

    @classmethod
    def month(cls, day: dt.date, counter: str | None = None) -> StatsQuery:
        first = day.replace(day=1)
        following = (first + dt.timedelta(days=32)).replace(day=1)
        return cls(first, following - dt.timedelta(days=1), counter)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True, slots=True)
class HandlingTime:
    count: int = 0
    median_s: float | None = None
    p90_s: float | None = None
    mean_s: float | None = None


@dataclass(frozen=True, slots=True)
class LifeEventRow:
    life_event: str
    visits: int
    completed: int
    procedures_listed: int
    procedures_chosen: int


@dataclass(frozen=True, slots=True)
class ProcedureRow:
    procedure_id: str
    listed: int
    chosen: int

    @property
    def deselected(self) -> int:
        return self.listed - self.chosen


@dataclass(frozen=True, slots=True)
class DeselectionRow:
    procedure_id: str
    reason: str  # "" when the clerk gave none
    count: int


@dataclass(frozen=True, slots=True)
class FormRow:
    form_id: str
    printed: int
    reprinted: int
    failed: int
    prefilled_chars: int


@dataclass(frozen=True, slots=True)
class CounterRow:
    counter: str
    visits: int
    completed: int
    handling: HandlingTime


@dataclass(frozen=True, slots=True)
class StatsReport:
    query: StatsQuery
    visits: int
    by_outcome: dict[str, int]
    by_life_event: list[LifeEventRow]
    by_procedure: list[ProcedureRow]
    deselections: list[DeselectionRow]
    forms: list[FormRow]
    handling: HandlingTime
    by_hour: list[int]
    by_identification: dict[str, int]
    by_counter: list[CounterRow]
    by_day: list[tuple[dt.date, int]]
    labels: Mapping[str, str] = field(default_factory=dict)

    @property
    def completed(self) -> int:
        return self.by_outcome.get(VisitOutcome.COMPLETED.value, 0)

    @property
    def procedures_listed(self) -> int:
        return sum(row.listed for row in self.by_procedure)

    @property
    def procedures_chosen(self) -> int:
        return sum(row.chosen for row in self.by_procedure)

    @property
    def forms_printed(self) -> int:
        return sum(row.printed for row in self.forms)

    @property
    def forms_reprinted(self) -> int:
        return sum(row.reprinted for row in self.forms)

    @property
    def chars_avoided(self) -> int:
        """Handwritten characters avoided: what the app pre-printed on first prints."""
        return sum(row.prefilled_chars for row in self.forms)

    def label(self, identifier: str) -> str:
        return self.labels.get(identifier, identifier)

    def with_labels(self, labels: Mapping[str, str]) -> StatsReport:
        """The same report showing catalog names (from the procedures catalog) instead of ids."""
        from dataclasses import replace

        return replace(self, labels=dict(labels))

    # --- export -------------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        def handling(h: HandlingTime) -> dict[str, Any]:
            return {"count": h.count, "median_s": h.median_s, "p90_s": h.p90_s, "mean_s": h.mean_s}

        return {
            "from": self.query.start.isoformat(),
            "to": self.query.end.isoformat(),
            "counter": self.query.counter,
            "visits": self.visits,
            "completed": self.completed,
            "procedures_listed": self.procedures_listed,
            "procedures_chosen": self.procedures_chosen,
            "forms_printed": self.forms_printed,
            "forms_reprinted": self.forms_reprinted,
            "handwritten_chars_avoided": self.chars_avoided,
            "handling_time": handling(self.handling),
            "by_outcome": dict(self.by_outcome),
            "by_identification": dict(self.by_identification),
            "by_life_event": [
                {
                    "life_event": r.life_event,
                    "visits": r.visits,
                    "completed": r.completed,
                    "procedures_listed": r.procedures_listed,
                    "procedures_chosen": r.procedures_chosen,
                }
                for r in self.by_life_event
            ],
            "by_procedure": [
                {
                    "procedure_id": r.procedure_id,
                    "listed": r.listed,
                    "chosen": r.chosen,
                    "deselected": r.deselected,
                }
                for r in self.by_procedure
            ],
            "deselections": [
                {"procedure_id": r.procedure_id, "reason": r.reason, "count": r.count}
                for r in self.deselections
            ],
            "forms": [
                {
                    "form_id": r.form_id,
                    "printed": r.printed,
                    "reprinted": r.reprinted,
                    "failed": r.failed,
                    "prefilled_chars": r.prefilled_chars,
                }
                for r in self.forms
            ],
            "by_hour": list(self.by_hour),
            "by_counter": [
                {
                    "counter": r.counter,
                    "visits": r.visits,
                    "completed": r.completed,
                    "handling_time": handling(r.handling),
                }
                for r in self.by_counter
            ],
            "by_day": [{"date": d.isoformat(), "visits": n} for d, n in self.by_day],
        }

    def csv_sections(self) -> list[tuple[str, list[str], list[list[object]]]]:
        """(title, header, rows) of every table, in Japanese, as the CSV and the kiosk's tables show them."""
        h = self.handling
        period = f"{self.query.start.isoformat()}〜{self.query.end.isoformat()}"
        summary: list[list[object]] = [
            ["期間", period],
            ["窓口", self.query.counter or "すべて"],
            ["来庁者数", self.visits],
            ["完了", self.completed],
            ["案内した手続数", self.procedures_listed],
            ["選択された手続数", self.procedures_chosen],
            ["印刷した申請書(部)", self.forms_printed],
            ["再印刷(部)", self.forms_reprinted],
            ["手書きを省いた文字数(推定)", self.chars_avoided],
            ["処理時間 中央値(分)", _minutes(h.median_s)],
            ["処理時間 90パーセンタイル(分)", _minutes(h.p90_s)],
            ["処理時間 平均(分)", _minutes(h.mean_s)],
        ]
        return [
            ("概要", ["項目", "値"], summary),
            (
                "ライフイベント別",
                ["ライフイベント", "来庁者数", "完了", "案内した手続数", "選択された手続数"],
                [
                    [
                        self.label(r.life_event),
                        r.visits,
                        r.completed,
                        r.procedures_listed,
                        r.procedures_chosen,
                    ]
                    for r in self.by_life_event
                ],
            ),
            (
                "手続別",
                ["手続", "案内", "選択", "選択解除"],
                [[self.label(r.procedure_id), r.listed, r.chosen, r.deselected] for r in self.by_procedure],
            ),
            (
                "選択解除の理由",
                ["手続", "理由", "件数"],
                [
                    [self.label(r.procedure_id), self.label(r.reason) or "(理由なし)", r.count]
                    for r in self.deselections
                ],
            ),
            (
                "申請書別の印刷",
                ["申請書", "印刷(部)", "再印刷(部)", "失敗", "事前印字の文字数"],
                [
                    [self.label(r.form_id), r.printed, r.reprinted, r.failed, r.prefilled_chars]
                    for r in self.forms
                ],
            ),
            (
                "結果別",
                ["結果", "件数"],
                [[OUTCOME_LABELS.get(k, k), n] for k, n in self.by_outcome.items()],
            ),
            (
                "本人確認の方法別",
                ["方法", "件数"],
                [[IDENTIFICATION_LABELS.get(k, k), n] for k, n in self.by_identification.items()],
            ),
            ("時間帯別", ["時台", "来庁者数"], [[f"{hour}時", n] for hour, n in enumerate(self.by_hour)]),
            (
                "窓口別",
                ["窓口", "来庁者数", "完了", "処理時間 中央値(分)", "処理時間 90パーセンタイル(分)"],
                [
                    [
                        r.counter,
                        r.visits,
                        r.completed,
                        _minutes(r.handling.median_s),
                        _minutes(r.handling.p90_s),
                    ]
                    for r in self.by_counter
                ],
            ),
            (
                "日別",
                ["日付", "曜日", "来庁者数"],
                [[d.isoformat(), WEEKDAYS_JA[d.weekday()], n] for d, n in self.by_day],
            ),
        ]

    def to_csv(self) -> bytes:
        """One CSV with every table (a title line, a header, the rows, a blank line): UTF-8 with BOM and
        CRLF line ends, as Excel expects; cells that Excel would read as formulas are quoted with '."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        for title, header, rows in self.csv_sections():
            writer.writerow([f"■{title}"])
            writer.writerow(header)
            writer.writerows([_safe_cell(cell) for cell in row] for row in rows)
            writer.writerow([])
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _minutes(seconds: float | None) -> str:
    return "" if seconds is None else f"{seconds / 60:.1f}"


def _safe_cell(cell: object) -> object:
    if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + cell
    return cell


# --- quantiles --------------------------------------------------------------------------------
def quantile_from_counts(values: Sequence[tuple[int, int]], q: float) -> float | None:
    """The ``q`` quantile of a sorted multiset given as ``(value, count)``: linear interpolation between
    the closest ranks (``percentile_cont``)."""
    total = sum(count for _, count in values)
    if total == 0:
        return None
    position = (total - 1) * q
    low_rank, high_rank = math.floor(position), math.ceil(position)
    low = high = None
    seen = 0
    for value, count in values:
        if low is None and low_rank < seen + count:
            low = value
        if high_rank < seen + count:
            high = value
            break
        seen += count
    assert low is not None and high is not None
    return low + (high - low) * (position - low_rank)


def handling_from_bins(bins: Sequence[tuple[int, int]], seconds_total: int) -> HandlingTime:
    """Median and 90th percentile from 10-second bins (each bin at its centre: within 5 s of the exact
    value), the mean exact from the sum of seconds."""
    count = sum(c for _, c in bins)
    if count == 0:
        return HandlingTime()

    def seconds(q: float) -> float | None:
        position = quantile_from_counts(bins, q)
        return None if position is None else position * DURATION_BIN_S + DURATION_BIN_S / 2

    return HandlingTime(count, seconds(0.5), seconds(0.9), seconds_total / count)


# --- queries ----------------------------------------------------------------------------------
def split_periods(start: dt.date, end: dt.date) -> tuple[list[dt.date], list[tuple[dt.date, dt.date]]]:
    """Whole months inside [start, end] (their first days) and the leftover day ranges."""
    months: list[dt.date] = []
    days: list[tuple[dt.date, dt.date]] = []
    cursor = start
    while cursor <= end:
        month_first = cursor.replace(day=1)
        next_month = (month_first + dt.timedelta(days=32)).replace(day=1)
        month_last = next_month - dt.timedelta(days=1)
        if cursor == month_first and month_last <= end:
            months.append(month_first)
        else:
            days.append((cursor, min(month_last, end)))
        cursor = next_month
    merged: list[tuple[dt.date, dt.date]] = []
    for first, last in days:  # adjacent leftovers (e.g. across a month boundary) become one range
        if merged and merged[-1][1] + dt.timedelta(days=1) == first:
            merged[-1] = (merged[-1][0], last)
        else:
            merged.append((first, last))
    return months, merged


def _period_filter(query: StatsQuery) -> Any:
    s = STAT_COUNTS.c
    months, day_ranges = split_periods(query.start, query.end)
    parts = []
    if months:
        parts.append(and_(s.grain == GRAIN_MONTH, s.period.in_(months)))
    for first, last in day_ranges:
        parts.append(and_(s.grain == GRAIN_DAY, s.period.between(first, last)))
    return or_(*parts)


def _count_rows(connection: Connection, query: StatsQuery) -> Iterable[Any]:
    """Every metric summed over the range, for the one counter or the office-wide ``*`` rows."""
    s = STAT_COUNTS.c
    statement = (
        select(s.metric, s.key, s.key2, func.sum(s.n), func.sum(s.total))
        .where(_period_filter(query), s.counter == (query.counter or ALL_COUNTERS))
        .group_by(s.metric, s.key, s.key2)
    )
    return connection.execute(statement).all()


def _counter_rows(connection: Connection, query: StatsQuery) -> Iterable[Any]:
    """Visits per counter and outcome over the range."""
    s = STAT_COUNTS.c
    which = s.counter == query.counter if query.counter is not None else s.counter != ALL_COUNTERS
    statement = (
        select(s.counter, s.key, func.sum(s.n), func.sum(s.total))
        .where(_period_filter(query), s.metric == Metric.VISITS.value, which)
        .group_by(s.counter, s.key)
    )
    return connection.execute(statement).all()


def _day_rows(connection: Connection, query: StatsQuery) -> dict[dt.date, int]:
    s = STAT_COUNTS.c
    condition = and_(
        s.grain == GRAIN_DAY,
        s.metric == Metric.VISITS.value,
        s.period.between(query.start, query.end),
        s.counter == (query.counter or ALL_COUNTERS),
    )
    statement = select(s.period, func.sum(s.n)).where(condition).group_by(s.period)
    return {period: int(n) for period, n in connection.execute(statement)}


def _sorted_counts(items: Mapping[str, int]) -> dict[str, int]:
    return dict(sorted(items.items(), key=lambda kv: (-kv[1], kv[0])))


def compute_stats(engine: Engine | Connection, query: StatsQuery) -> StatsReport:
    """The statistics for ``query`` from the main database (read-only, one snapshot)."""
    if isinstance(engine, Connection):
        return _compute(engine, query)
    with engine.connect().execution_options(sqlite_begin="DEFERRED") as connection:
        if connection.dialect.name == "postgresql":  # one consistent snapshot for all three queries
            connection.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        return _compute(connection, query)


class _Totals:
    """The sums of one report, filled row by row from ``stat_counts``."""

    def __init__(self) -> None:
        self.outcome: dict[str, int] = defaultdict(int)
        self.ident: dict[str, int] = defaultdict(int)
        self.hours = [0] * 24
        self.event_visits: dict[str, int] = defaultdict(int)
        self.event_completed: dict[str, int] = defaultdict(int)
        self.event_listed: dict[str, int] = defaultdict(int)
        self.event_chosen: dict[str, int] = defaultdict(int)
        self.listed: dict[str, int] = defaultdict(int)
        self.chosen: dict[str, int] = defaultdict(int)
        self.deselect: dict[tuple[str, str], int] = defaultdict(int)
        self.forms: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.bins: dict[int, int] = defaultdict(int)
        self.seconds = 0
        self.counter_visits: dict[str, int] = defaultdict(int)
        self.counter_completed: dict[str, int] = defaultdict(int)
        self.counter_seconds: dict[str, int] = defaultdict(int)

    def add(self, metric: str, key: str, key2: str, n: int, total: int) -> None:
        match metric:
            case Metric.VISITS:
                self.outcome[key] += n
                self.event_visits[key2] += n
                if key == VisitOutcome.COMPLETED:
                    self.event_completed[key2] += n
            case Metric.IDENT:
                self.ident[key] += n
            case Metric.HOUR:
                self.hours[int(key)] += n
            case Metric.PROC:
                self.listed[key] += n
                self.chosen[key] += total
            case Metric.EVENT_PROC:
                self.event_listed[key] += n
                self.event_chosen[key] += total
            case Metric.DESELECT:
                self.deselect[(key, key2)] += n
            case Metric.FORM:
                self.forms[key][key2] += n
                self.forms[key]["chars"] += total
            case Metric.DUR:
                self.bins[int(key)] += n
                self.seconds += total

    def add_counter(self, counter: str, outcome: str, n: int, total: int) -> None:
        self.counter_visits[counter] += n
        if outcome == VisitOutcome.COMPLETED:
            self.counter_completed[counter] += n
            self.counter_seconds[counter] += total


def _compute(connection: Connection, query: StatsQuery) -> StatsReport:
    t = _Totals()
    for metric, key, key2, n, total in _count_rows(connection, query):
        t.add(metric, key, key2, int(n), int(total))
    for counter, outcome, n, total in _counter_rows(connection, query):
        t.add_counter(counter, outcome, int(n), int(total))
    day_counts = _day_rows(connection, query)
    handling = handling_from_bins(sorted(t.bins.items()), t.seconds)

    def counter_handling(counter: str) -> HandlingTime:
        if query.counter is not None:  # the one counter asked for: its quantiles are the report's
            return handling
        completed = t.counter_completed[counter]
        return HandlingTime(
            completed, None, None, t.counter_seconds[counter] / completed if completed else None
        )

    return StatsReport(
        query=query,
        visits=sum(t.outcome.values()),
        by_outcome=_sorted_counts(t.outcome),
        by_life_event=[
            LifeEventRow(e, t.event_visits[e], t.event_completed[e], t.event_listed[e], t.event_chosen[e])
            for e in sorted(t.event_visits, key=lambda e: (-t.event_visits[e], e))
        ],
        by_procedure=sorted(
            (ProcedureRow(p, t.listed[p], t.chosen[p]) for p in t.listed),
            key=lambda r: (-r.listed, r.procedure_id),
        ),
        deselections=sorted(
            (DeselectionRow(p, reason, n) for (p, reason), n in t.deselect.items()),
            key=lambda r: (-r.count, r.procedure_id, r.reason),
        ),
        forms=sorted(
            (FormRow(f, k["print"], k["reprint"], k["failed"], k["chars"]) for f, k in t.forms.items()),
            key=lambda r: (-r.printed, r.form_id),
        ),
        handling=handling,
        by_hour=t.hours,
        by_identification=_sorted_counts(t.ident),
        by_counter=[
            CounterRow(c, t.counter_visits[c], t.counter_completed[c], counter_handling(c))
            for c in sorted(t.counter_visits)
        ],
        by_day=[
            (day, day_counts.get(day, 0))
            for day in (query.start + dt.timedelta(days=i) for i in range(query.days))
        ],
    )


def render_text(report: StatsReport) -> str:
    """The report as plain Japanese text for the terminal: hours without visits at either end and the
    day-by-day table of ranges longer than a month are left out (the CSV and JSON have them)."""
    lines: list[str] = []
    for title, header, all_rows in report.csv_sections():
        rows = all_rows
        if title == "時間帯別":
            busy = [hour for hour, n in enumerate(report.by_hour) if n]
            rows = rows[busy[0] : busy[-1] + 1] if busy else []
        if title == "日別" and report.query.days > 31:
            continue
        if not rows:
            continue
        lines.append(f"■ {title}")
        table = [header, *[[str(cell) for cell in row] for row in rows]]
        widths = [max(_width(row[i]) for row in table if i < len(row)) for i in range(len(header))]
        for row in table:
            lines.append("  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row)).rstrip())
        lines.append("")
    return "\n".join(lines)


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
