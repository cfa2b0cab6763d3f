"""Pre-aggregated counts for the supervisor statistics (table ``stat_counts``).

Each recorded visit adds to a handful of counts, per day (grain ``D``) and per month (grain ``M``), for
its counter and for all counters together (``counter = "*"``), in the same transaction that inserts the
visit — and only if the visit was new, so a visit sent twice is counted once. A year's statistics then
read a few thousand monthly rows instead of a million procedure rows. :func:`rebuild` recomputes the
whole table from the raw tables with the same definitions (``madoguchi db rebuild-stats``); tests check
that both ways agree.

Metrics (``key`` / ``key2``; ``n`` and ``total``):

==========  ======================  =================  ===============================================
metric      key                     key2               n / total
==========  ======================  =================  ===============================================
visits      outcome                 life event         visits / sum of handling seconds
ident       identified_by           ""                 visits / 0
hour        hour of day ("0"-"23")  ""                 visits / 0
proc        procedure id            ""                 times listed / times chosen
event_proc  life event              ""                 procedures listed / chosen in its visits
deselect    procedure id            reason code or ""  times deselected / 0
form        form id                 print|reprint|     copies / pre-printed characters (first prints
                                    failed             only: a reprint avoids no more handwriting)
dur         handling time bin       ""                 completed visits whose handling time falls in
            (seconds // 10)                            the 10-second bin / sum of their seconds
==========  ======================  =================  ===============================================

Handling times are binned to 10 seconds so that a year's quantiles read a few hundred rows per month;
a median or 90th percentile is then within 5 seconds of the exact one (the kiosk shows tenths of a
minute), and the mean is exact.

Writers of one batch merge their increments and apply them in key order
(:func:`apply_increments`), so two counters updating the shared ``*`` rows never deadlock.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Integer, String, and_, case, cast, delete, func, insert, literal, select
from sqlalchemy.sql import ColumnElement

from counter_app.adapters.store.engine import dialect_insert
from counter_app.adapters.store.models import PRINT_JOBS, STAT_COUNTS, VISIT_PROCEDURES, VISITS
from counter_app.adapters.store.records import ALL_COUNTERS, PrintStatus, VisitOutcome, VisitRecord

GRAIN_DAY = "D"
GRAIN_MONTH = "M"
DURATION_BIN_S = 10
__all__ = [
    "ALL_COUNTERS", "DURATION_BIN_S", "GRAIN_DAY", "GRAIN_MONTH", "Metric", "apply_increments", "increments",
    "rebuild",
]  # fmt: skip


class Metric(enum.StrEnum):
    VISITS = "visits"
    IDENT = "ident"
    HOUR = "hour"
    PROC = "proc"
    EVENT_PROC = "event_proc"
    DESELECT = "deselect"
    FORM = "form"
    DUR = "dur"


# (grain, metric, period, counter, key, key2) → (n, total)
CountKey = tuple[str, str, dt.date, str, str, str]
Counts = dict[CountKey, tuple[int, int]]


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def form_kind(status: str, reprint: bool) -> str:
    if status != PrintStatus.PRINTED:
        return "failed"
    return "reprint" if reprint else "print"


def increments(record: VisitRecord) -> Counts:
    """What one visit adds to ``stat_counts``: both grains, its counter and all counters."""
    base: Counter[tuple[str, str, str]] = Counter()
    totals: Counter[tuple[str, str, str]] = Counter()

    def add(metric: Metric, key: str, key2: str = "", n: int = 1, total: int = 0) -> None:
        base[(metric.value, key, key2)] += n
        totals[(metric.value, key, key2)] += total

    add(Metric.VISITS, record.outcome.value, record.life_event, 1, record.duration_s)
    add(Metric.IDENT, record.identified_by.value)
    add(Metric.HOUR, str(record.local_hour))
    if record.outcome is VisitOutcome.COMPLETED:
        add(Metric.DUR, str(record.duration_s // DURATION_BIN_S), "", 1, record.duration_s)
    for choice in record.procedures:
        add(Metric.PROC, choice.procedure_id, "", 1, int(choice.chosen))
        add(Metric.EVENT_PROC, record.life_event, "", 1, int(choice.chosen))
        if not choice.chosen:
            add(Metric.DESELECT, choice.procedure_id, choice.deselect_reason or "")
    for job in record.print_jobs:
        kind = form_kind(job.status.value, job.reprint)
        add(Metric.FORM, job.form_id, kind, job.copies, job.prefilled_chars if kind == "print" else 0)
    day = record.local_date
    result: Counts = {}
    for grain, period in ((GRAIN_DAY, day), (GRAIN_MONTH, month_start(day))):
        for counter in (record.counter, ALL_COUNTERS):
            for (metric, key, key2), n in base.items():
                result[(grain, metric, period, counter, key, key2)] = (n, totals[(metric, key, key2)])
    return result


def merge(parts: Iterable[Counts]) -> Counts:
    merged: Counts = {}
    for part in parts:
        for key, (n, total) in part.items():
            old_n, old_total = merged.get(key, (0, 0))
            merged[key] = (old_n + n, old_total + total)
    return merged


def _upsert(connection: Connection) -> Any:
    table = STAT_COUNTS
    statement = dialect_insert(connection, table)
    return statement.on_conflict_do_update(
        index_elements=["grain", "counter", "period", "metric", "key", "key2"],
        set_={"n": table.c.n + statement.excluded.n, "total": table.c.total + statement.excluded.total},
    )


def apply_increments(connection: Connection, counts: Counts) -> None:
    """Add ``counts`` to ``stat_counts``, rows in key order (concurrent writers lock rows in the same
    order, so they wait for each other instead of deadlocking)."""
    if not counts:
        return
    rows = [
        {"grain": g, "metric": m, "period": p, "counter": c, "key": k, "key2": k2, "n": n, "total": t}
        for (g, m, p, c, k, k2), (n, t) in sorted(counts.items())
    ]
    connection.execute(_upsert(connection), rows)


def _month_of(column: Any, dialect: str) -> ColumnElement[Any]:
    if dialect == "postgresql":
        return cast(func.date_trunc("month", column), STAT_COUNTS.c.period.type)
    return func.date(column, "start of month")


def _day_selects() -> Sequence[Any]:
    """SELECTs yielding per-counter D rows (metric, period, counter, key, key2, n, total) from raw tables."""
    v, p, j = VISITS.c, VISIT_PROCEDURES.c, PRINT_JOBS.c
    text64 = String(64)
    empty = literal("", text64)
    zero = literal(0, Integer)
    chosen = case((p.chosen, 1), else_=0)
    kind = case((j.status != PrintStatus.PRINTED.value, "failed"), (j.reprint, "reprint"), else_="print")
    first_print_chars = case(
        (and_(j.status == PrintStatus.PRINTED.value, j.reprint.is_(False)), j.prefilled_chars), else_=0
    )
    hour_key = cast(v.local_hour, text64)
    bin_key = cast(v.duration_s // DURATION_BIN_S, text64)  # integer division on both databases
    reason = func.coalesce(p.deselect_reason, empty)
    with_procedures = VISITS.join(VISIT_PROCEDURES)
    with_jobs = VISITS.join(PRINT_JOBS)

    def metric(name: Metric) -> Any:
        return literal(name.value, text64)

    return (
        select(metric(Metric.VISITS), v.local_date, v.counter, v.outcome, v.life_event,
               func.count(), func.sum(v.duration_s))
        .group_by(v.local_date, v.counter, v.outcome, v.life_event),
        select(metric(Metric.IDENT), v.local_date, v.counter, v.identified_by, empty, func.count(), zero)
        .group_by(v.local_date, v.counter, v.identified_by),
        select(metric(Metric.HOUR), v.local_date, v.counter, hour_key, empty, func.count(), zero)
        .group_by(v.local_date, v.counter, hour_key),
        select(metric(Metric.DUR), v.local_date, v.counter, bin_key, empty,
               func.count(), func.sum(v.duration_s))
        .where(v.outcome == VisitOutcome.COMPLETED.value)
        .group_by(v.local_date, v.counter, bin_key),
        select(metric(Metric.PROC), v.local_date, v.counter, p.procedure_id, empty,
               func.count(), func.sum(chosen))
        .select_from(with_procedures)
        .group_by(v.local_date, v.counter, p.procedure_id),
        select(metric(Metric.EVENT_PROC), v.local_date, v.counter, v.life_event, empty,
               func.count(), func.sum(chosen))
        .select_from(with_procedures)
        .group_by(v.local_date, v.counter, v.life_event),
        select(metric(Metric.DESELECT), v.local_date, v.counter, p.procedure_id, reason, func.count(), zero)
        .select_from(with_procedures)
        .where(p.chosen.is_(False))
        .group_by(v.local_date, v.counter, p.procedure_id, reason),
        select(metric(Metric.FORM), v.local_date, v.counter, j.form_id, kind,
               func.sum(j.copies), func.sum(first_print_chars))
        .select_from(with_jobs)
        .group_by(v.local_date, v.counter, j.form_id, kind),
    )  # fmt: skip


def rebuild(connection: Connection) -> int:
    """Recompute ``stat_counts`` from the raw tables (inside the caller's transaction); returns rows."""
    table = STAT_COUNTS
    dialect = connection.dialect.name
    if dialect == "postgresql":  # writers wait; stats readers keep reading the old rows until commit
        connection.exec_driver_sql("LOCK TABLE stat_counts IN SHARE ROW EXCLUSIVE MODE")
        connection.exec_driver_sql("LOCK TABLE visits IN SHARE MODE")
    connection.execute(delete(table))
    columns = ["grain", "metric", "period", "counter", "key", "key2", "n", "total"]
    for day_select in _day_selects():
        sub = day_select.subquery()
        connection.execute(insert(table).from_select(columns, select(literal(GRAIN_DAY, String(1)), *sub.c)))
    s = table.c
    everyone = (
        select(literal(GRAIN_DAY, String(1)), s.metric, s.period, literal(ALL_COUNTERS, String(64)),
               s.key, s.key2, func.sum(s.n), func.sum(s.total))
        .where(s.grain == GRAIN_DAY)
        .group_by(s.metric, s.period, s.key, s.key2)
    )  # fmt: skip
    connection.execute(insert(table).from_select(columns, everyone))
    month = _month_of(s.period, dialect)
    monthly = (
        select(literal(GRAIN_MONTH, String(1)), s.metric, month, s.counter, s.key, s.key2,
               func.sum(s.n), func.sum(s.total))
        .where(s.grain == GRAIN_DAY)
        .group_by(s.metric, month, s.counter, s.key, s.key2)
    )  # fmt: skip
    connection.execute(insert(table).from_select(columns, monthly))
    return int(connection.execute(select(func.count()).select_from(table)).scalar_one())
