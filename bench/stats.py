"""The supervisor statistics over one year of a large ward, on SQLite and on PostgreSQL.

Generates a fiscal year (April to March, weekdays) of 300,000 visits at 20 counters with about
1.2 million procedure rows and half a million print jobs (bulk ``executemany`` on SQLite, ``COPY`` on
PostgreSQL), builds the pre-aggregated counts with the same ``rebuild`` that ``madoguchi db
rebuild-stats`` runs, then times :func:`counter_app.adapters.stats.compute_stats` (median of runs) for
the whole year, the whole year at one counter, a month, a week and a day. Target: ≤ 200 ms each.

Baselines measured in the same run, on the same database:
* ``SELECT count(*) FROM visit_procedures`` — the cheapest possible look at the procedure rows;
* the per-procedure counts computed from the raw rows (``GROUP BY`` over the join) — what the statistics
  would cost without ``stat_counts``.

Run: ``.venv/bin/python -m bench.stats [--visits N] [--runs N] [--pg-url URL] [--no-postgres]``.
Without ``--pg-url`` a private PostgreSQL is started from its own ``initdb`` (as in the tests).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import tempfile
import time
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, case, func, select

from bench.timing import median_ms
from counter_app.adapters.stats import StatsQuery, compute_stats
from counter_app.adapters.store.engine import make_engine
from counter_app.adapters.store.migrate import upgrade
from counter_app.adapters.store.models import VISIT_PROCEDURES, VISITS
from counter_app.adapters.store.rollups import rebuild

TARGET_MS = 200.0
TOKYO = ZoneInfo("Asia/Tokyo")
YEAR_START = dt.date(2025, 4, 1)
YEAR_END = dt.date(2026, 3, 31)
COUNTERS = [f"{n}番窓口" for n in range(1, 21)]
LIFE_EVENTS = {  # weights: a ward's mix of life events at the one-stop counter
    "move_in": 30, "move_out": 22, "move_within": 18, "birth": 8, "death": 7, "marriage": 6,
    "divorce": 2, "retirement": 4, "child_care": 3,
}  # fmt: skip
PROCEDURES = [f"proc_{n:02d}" for n in range(1, 41)]
FORMS = [f"form_{n:02d}" for n in range(1, 31)]
REASONS = ["already_done", "later", "not_eligible", "elsewhere", "resident_declined"]
OUTCOMES = {"completed": 88, "nothing_needed": 4, "cancelled": 6, "timed_out": 2}
IDENTIFIED = {"card": 70, "qr": 10, "manual": 20}
# Visits per hour of the day (opening 8:30 to 17:15) and per month (spring moving season).
HOURS = {8: 4, 9: 12, 10: 14, 11: 13, 12: 8, 13: 12, 14: 13, 15: 12, 16: 9, 17: 3}
MONTHS = {4: 2.0, 3: 2.2, 5: 1.1, 9: 1.0, 10: 1.0}


@dataclass
class Dataset:
    visits: list[tuple[Any, ...]] = field(default_factory=list)
    procedures: list[tuple[Any, ...]] = field(default_factory=list)
    print_jobs: list[tuple[Any, ...]] = field(default_factory=list)


def _weighted(rng: random.Random, table: Mapping[Any, float]) -> Iterator[Any]:
    keys, weights = list(table), list(table.values())
    while True:
        yield from rng.choices(keys, weights, k=4096)


def generate(visit_count: int, seed: int = 20250401) -> Dataset:
    """Rows as Python values (UUIDs, aware datetimes, dates), in the column order of the tables."""
    rng = random.Random(seed)
    days = [YEAR_START + dt.timedelta(days=i) for i in range((YEAR_END - YEAR_START).days + 1)]
    days = [d for d in days if d.weekday() < 5]
    day_of = _weighted(rng, {d: MONTHS.get(d.month, 0.9) for d in days})
    hour_of = _weighted(rng, HOURS)
    event_of = _weighted(rng, LIFE_EVENTS)
    outcome_of = _weighted(rng, OUTCOMES)
    identified_of = _weighted(rng, IDENTIFIED)
    recorded = dt.datetime(2026, 4, 1, tzinfo=dt.UTC)
    data = Dataset()
    for _ in range(visit_count):
        visit_id = uuid.UUID(int=rng.getrandbits(128), version=4)
        day, hour = next(day_of), next(hour_of)
        minute = (
            rng.randrange(30, 60) if hour == 8 else rng.randrange(0, 15) if hour == 17 else rng.randrange(60)
        )
        started = dt.datetime.combine(day, dt.time(hour, minute, rng.randrange(60)), tzinfo=TOKYO)
        duration = max(60, int(rng.lognormvariate(7.0, 0.5)))
        finished = started + dt.timedelta(seconds=duration)
        outcome = next(outcome_of)
        data.visits.append((
            visit_id, rng.choice(COUNTERS), f"clerk-{rng.randrange(60):02d}", next(event_of),
            next(identified_of), outcome, started, finished, duration, day, hour, "0.1.0", recorded,
        ))  # fmt: skip
        for position, procedure in enumerate(rng.sample(PROCEDURES, rng.randint(1, 7))):
            chosen = rng.random() >= 0.12
            reason = None if chosen else rng.choice(REASONS)
            data.procedures.append((visit_id, position, procedure, chosen, reason))
            if chosen and outcome == "completed" and rng.random() < 0.5:
                reprint = rng.random() < 0.03
                data.print_jobs.append((
                    uuid.UUID(int=rng.getrandbits(128), version=4), visit_id, rng.choice(FORMS),
                    procedure, rng.randint(1, 3), 1, rng.randint(40, 400), reprint, "printed",
                    "窓口プリンター", finished,
                ))  # fmt: skip
    return data


VISIT_COLUMNS = (
    "id, counter, clerk_id, life_event, identified_by, outcome, started_at, finished_at, duration_s, "
    "local_date, local_hour, app_version, recorded_at"
)
PROCEDURE_COLUMNS = "visit_id, position, procedure_id, chosen, deselect_reason"
PRINT_COLUMNS = (
    "id, visit_id, form_id, procedure_id, pages, copies, prefilled_chars, reprint, status, printer, "
    "printed_at"
)


def _sqlite_value(value: Any) -> Any:
    """The storage format of SQLAlchemy's SQLite types: hex UUIDs, naive UTC datetimes, ISO dates."""
    if isinstance(value, uuid.UUID):
        return value.hex
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


def load_sqlite(engine: Engine, data: Dataset) -> None:
    raw = engine.raw_connection()
    try:
        connection = raw.driver_connection
        assert connection is not None
        connection.execute("BEGIN")
        for table, columns, rows in (
            ("visits", VISIT_COLUMNS, data.visits),
            ("visit_procedures", PROCEDURE_COLUMNS, data.procedures),
            ("print_jobs", PRINT_COLUMNS, data.print_jobs),
        ):
            marks = ", ".join("?" * (columns.count(",") + 1))
            connection.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({marks})",
                ([_sqlite_value(v) for v in row] for row in rows),
            )
        connection.execute("COMMIT")
    finally:
        raw.close()


def load_postgres(engine: Engine, data: Dataset) -> None:
    raw = engine.raw_connection()
    try:
        connection = raw.driver_connection
        assert connection is not None
        with connection.cursor() as cursor:
            for table, columns, rows in (
                ("visits", VISIT_COLUMNS, data.visits),
                ("visit_procedures", PROCEDURE_COLUMNS, data.procedures),
                ("print_jobs", PRINT_COLUMNS, data.print_jobs),
            ):
                with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
        connection.commit()
    finally:
        raw.close()


def prepare(engine: Engine, data: Dataset) -> float:
    """Schema, bulk load, rollups, planner statistics; returns the seconds it took."""
    start = time.perf_counter()
    upgrade(engine)
    if engine.dialect.name == "postgresql":
        load_postgres(engine, data)
    else:
        load_sqlite(engine, data)
    with engine.begin() as connection:
        rebuild(connection)
    raw = engine.raw_connection()
    try:
        driver: Any = raw.driver_connection
        if engine.dialect.name == "postgresql":
            driver.autocommit = True
            driver.execute("VACUUM ANALYZE")  # as autovacuum would after a bulk load
        else:
            driver.execute("ANALYZE")
    finally:
        raw.close()
    return time.perf_counter() - start


def raw_group_by(engine: Engine) -> None:
    v, p = VISITS.c, VISIT_PROCEDURES.c
    query = (
        select(p.procedure_id, func.count(), func.sum(case((p.chosen, 1), else_=0)))
        .select_from(VISITS.join(VISIT_PROCEDURES))
        .where(v.local_date.between(YEAR_START, YEAR_END))
        .group_by(p.procedure_id)
    )
    with engine.connect() as connection:
        connection.execute(query).all()


def count_star(engine: Engine) -> None:
    with engine.connect() as connection:
        connection.execute(select(func.count()).select_from(VISIT_PROCEDURES)).scalar_one()


QUERIES: dict[str, StatsQuery] = {
    "year (all counters)": StatsQuery(YEAR_START, YEAR_END),
    "year, one counter": StatsQuery(YEAR_START, YEAR_END, COUNTERS[6]),
    "month (April)": StatsQuery.month(dt.date(2025, 4, 1)),
    "week": StatsQuery.week(dt.date(2025, 10, 15)),
    "day": StatsQuery.day(dt.date(2026, 3, 30)),
    "Feb 10 – Mar 20 (partial months)": StatsQuery(dt.date(2026, 2, 10), dt.date(2026, 3, 20)),
}


def bench(name: str, engine: Engine, data: Dataset, runs: int) -> dict[str, float]:
    seconds = prepare(engine, data)
    year = compute_stats(engine, QUERIES["year (all counters)"])
    assert year.visits == len(data.visits), (year.visits, len(data.visits))
    assert year.procedures_listed == len(data.procedures)
    print(f"\n{name}: loaded and aggregated in {seconds:.1f} s")
    baseline = median_ms(lambda: count_star(engine), runs, warm_up=True)
    raw = median_ms(lambda: raw_group_by(engine), runs, warm_up=True)
    print(f"  baseline  SELECT count(*) FROM visit_procedures      {baseline:8.1f} ms")
    print(f"  baseline  per-procedure GROUP BY over raw rows (year) {raw:8.1f} ms")
    results: dict[str, float] = {}
    for label, query in QUERIES.items():
        ms = median_ms(lambda query=query: compute_stats(engine, query), runs, warm_up=True)  # type: ignore[misc]
        results[label] = ms
        verdict = "ok" if ms <= TARGET_MS else "OVER TARGET"
        print(
            f"  stats     {label:<34} {ms:8.1f} ms  ×{ms / baseline:5.2f} count(*)  "
            f"×{ms / raw:5.2f} raw GROUP BY  [{verdict}]"
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--visits", type=int, default=300_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--pg-url", help="an empty PostgreSQL database to use (default: a private cluster)")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    args = parser.parse_args()

    start = time.perf_counter()
    data = generate(args.visits)
    print(
        f"generated {len(data.visits):,} visits, {len(data.procedures):,} procedure rows, "
        f"{len(data.print_jobs):,} print jobs in {time.perf_counter() - start:.1f} s "
        f"({YEAR_START} – {YEAR_END}, {len(COUNTERS)} counters); target ≤ {TARGET_MS:.0f} ms per query"
    )
    figures: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="madoguchi-bench-") as folder:
        if not args.no_sqlite:
            engine = make_engine(f"sqlite:///{Path(folder) / 'main.sqlite3'}")
            figures["SQLite"] = bench("SQLite", engine, data, args.runs)
            engine.dispose()
        if not args.no_postgres:
            server = None
            url = args.pg_url
            if url is None:
                from tests.services import Postgres

                server = Postgres()
                server.start()
                url = server.create_database("madoguchi_bench")
            try:
                engine = make_engine(url)
                figures["PostgreSQL"] = bench("PostgreSQL", engine, data, args.runs)
                engine.dispose()
            finally:
                if server is not None:
                    server.cleanup()
    worst = max((ms, f"{db}: {label}") for db, results in figures.items() for label, ms in results.items())
    print(f"\nslowest: {worst[1]} at {worst[0]:.1f} ms (target ≤ {TARGET_MS:.0f} ms)")


if __name__ == "__main__":
    main()
