"""Pre-aggregated counts for the supervisor statistics (table ``stat_counts``).

Each recorded visit adds 1 to a handful of counters, per day (grain ``D``) and per month (grain ``M``),
in the same transaction that inserts the visit — and only if the visit was new, so a visit sent twice
is counted once. A year's statistics then read a few thousand monthly rows instead of a million
procedure rows. :func:`rebuild` recomputes the whole table from the raw tables with the same
definitions (``madoguchi db rebuild-stats``); tests check that both ways agree.

Metrics (``key`` / ``key2``; ``n`` and ``total``):

=========  ======================  =================  ================================================
metric     key                     key2               n / total
=========  ======================  =================  ================================================
visits     outcome                 life event         visits / sum of handling seconds
ident      identified_by           ""                 visits / 0
hour       hour of day ("0"-"23")  ""                 visits / 0
proc       procedure id            life event         times listed / times chosen
deselect   procedure id            reason code or ""  times deselected / 0
form       form id                 print|reprint|     copies / pre-printed characters (first prints
                                   failed             only: a reprint avoids no more handwriting)
=========  ======================  =================  ================================================
"""

from __future__ import annotations

import datetime as dt
import enum
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Integer, String, and_, case, cast, delete, func, insert, literal, select
from sqlalchemy.sql import ColumnElement

from counter_app.store.engine import dialect_insert
from counter_app.store.models import PRINT_JOBS, STAT_COUNTS, VISIT_PROCEDURES, VISITS
from counter_app.store.records import PrintStatus, VisitRecord

GRAIN_DAY = "D"
GRAIN_MONTH = "M"


class Metric(enum.StrEnum):
    VISITS = "visits"
    IDENT = "ident"
    HOUR = "hour"
    PROC = "proc"
    DESELECT = "deselect"
    FORM = "form"


# (grain, metric, period, counter, key, key2) → (n, total)
CountKey = tuple[str, str, dt.date, str, str, str]


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def form_kind(status: str, reprint: bool) -> str:
    if status != PrintStatus.PRINTED:
        return "failed"
    return "reprint" if reprint else "print"


def increments(record: VisitRecord) -> dict[CountKey, tuple[int, int]]:
    """What one visit adds to ``stat_counts``, for both grains."""
    day = record.local_date
    base: Counter[tuple[str, str, str]] = Counter()
    totals: Counter[tuple[str, str, str]] = Counter()

    def add(metric: Metric, key: str, key2: str = "", n: int = 1, total: int = 0) -> None:
        base[(metric.value, key, key2)] += n
        totals[(metric.value, key, key2)] += total

    add(Metric.VISITS, record.outcome.value, record.life_event, 1, record.duration_s)
    add(Metric.IDENT, record.identified_by.value)
    add(Metric.HOUR, str(record.local_hour))
    for choice in record.procedures:
        add(Metric.PROC, choice.procedure_id, record.life_event, 1, int(choice.chosen))
        if not choice.chosen:
            add(Metric.DESELECT, choice.procedure_id, choice.deselect_reason or "")
    for job in record.print_jobs:
        kind = form_kind(job.status.value, job.reprint)
        add(Metric.FORM, job.form_id, kind, job.copies, job.prefilled_chars if kind == "print" else 0)
    result: dict[CountKey, tuple[int, int]] = {}
    for grain, period in ((GRAIN_DAY, day), (GRAIN_MONTH, month_start(day))):
        for (metric, key, key2), n in base.items():
            result[(grain, metric, period, record.counter, key, key2)] = (n, totals[(metric, key, key2)])
    return result


def merge(parts: Iterable[dict[CountKey, tuple[int, int]]]) -> dict[CountKey, tuple[int, int]]:
    merged: dict[CountKey, tuple[int, int]] = {}
    for part in parts:
        for key, (n, total) in part.items():
            old_n, old_total = merged.get(key, (0, 0))
            merged[key] = (old_n + n, old_total + total)
    return merged


def _upsert(connection: Connection) -> Any:
    table = STAT_COUNTS
    statement = dialect_insert(connection, table)
    return statement.on_conflict_do_update(
        index_elements=["grain", "metric", "period", "counter", "key", "key2"],
        set_={"n": table.c.n + statement.excluded.n, "total": table.c.total + statement.excluded.total},
    )


def apply_increments(connection: Connection, counts: dict[CountKey, tuple[int, int]]) -> None:
    """Add ``counts`` to ``stat_counts`` (rows in key order: concurrent writers never deadlock)."""
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
    """SELECTs yielding D-grain rows (metric, period, counter, key, key2, n, total) from raw tables."""
    v, p, j = VISITS.c, VISIT_PROCEDURES.c, PRINT_JOBS.c
    text64 = String(64)
    empty = literal("", text64)
    chosen = case((p.chosen, 1), else_=0)
    kind = case((j.status != PrintStatus.PRINTED.value, "failed"), (j.reprint, "reprint"), else_="print")
    first_print_chars = case(
        (and_(j.status == PrintStatus.PRINTED.value, j.reprint.is_(False)), j.prefilled_chars), else_=0
    )
    visits = select(
        literal(Metric.VISITS.value, text64), v.local_date, v.counter, v.outcome, v.life_event,
        func.count(), func.sum(v.duration_s),
    ).group_by(v.local_date, v.counter, v.outcome, v.life_event)  # fmt: skip
    ident = select(
        literal(Metric.IDENT.value, text64), v.local_date, v.counter, v.identified_by, empty,
        func.count(), literal(0, Integer),
    ).group_by(v.local_date, v.counter, v.identified_by)  # fmt: skip
    hour_key = cast(v.local_hour, text64)
    hour = select(
        literal(Metric.HOUR.value, text64), v.local_date, v.counter, hour_key, empty,
        func.count(), literal(0, Integer),
    ).group_by(v.local_date, v.counter, hour_key)  # fmt: skip
    joined = VISITS.join(VISIT_PROCEDURES)
    proc = (
        select(
            literal(Metric.PROC.value, text64), v.local_date, v.counter, p.procedure_id, v.life_event,
            func.count(), func.sum(chosen),
        )
        .select_from(joined)
        .group_by(v.local_date, v.counter, p.procedure_id, v.life_event)
    )  # fmt: skip
    reason = func.coalesce(p.deselect_reason, empty)
    deselect = (
        select(
            literal(Metric.DESELECT.value, text64), v.local_date, v.counter, p.procedure_id, reason,
            func.count(), literal(0, Integer),
        )
        .select_from(joined)
        .where(p.chosen.is_(False))
        .group_by(v.local_date, v.counter, p.procedure_id, reason)
    )  # fmt: skip
    form = (
        select(
            literal(Metric.FORM.value, text64), v.local_date, v.counter, j.form_id, kind,
            func.sum(j.copies), func.sum(first_print_chars),
        )
        .select_from(VISITS.join(PRINT_JOBS))
        .group_by(v.local_date, v.counter, j.form_id, kind)
    )  # fmt: skip
    return (visits, ident, hour, proc, deselect, form)


def rebuild(connection: Connection) -> int:
    """Recompute ``stat_counts`` from the raw tables (inside the caller's transaction); returns rows."""
    table = STAT_COUNTS
    dialect = connection.dialect.name
    if dialect == "postgresql":  # writers wait; stats readers keep reading the old rows until commit
        connection.exec_driver_sql("LOCK TABLE stat_counts IN SHARE ROW EXCLUSIVE MODE")
        connection.exec_driver_sql("LOCK TABLE visits IN SHARE MODE")
    connection.execute(delete(table))
    columns = ["metric", "period", "counter", "key", "key2", "n", "total"]
    for day_select in _day_selects():
        sub = day_select.subquery()
        connection.execute(
            insert(table).from_select(["grain", *columns], select(literal(GRAIN_DAY, String(1)), *sub.c))
        )
    s = table.c
    month = _month_of(s.period, dialect)
    monthly = (
        select(
            literal(GRAIN_MONTH, String(1)), s.metric, month, s.counter, s.key, s.key2,
            func.sum(s.n), func.sum(s.total),
        )
        .where(s.grain == GRAIN_DAY)
        .group_by(s.metric, month, s.counter, s.key, s.key2)
    )  # fmt: skip
    connection.execute(insert(table).from_select(["grain", *columns], monthly))
    return int(connection.execute(select(func.count()).select_from(table)).scalar_one())
