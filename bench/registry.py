"""Registry lookups over 100,000 generated residents in 45,000 households: the SQL view on PostgreSQL
(read-only role, TLS verified, ward column names) and the encrypted nightly-extract index.

Timed per lookup, end to end through :class:`counter_app.workflow.registry_lookup.RegistryLookup`
(rate limit, matching, audit to an in-memory sink): the household after a card (name + birth date +
address, then the 世帯番号), the search box by reading in hiragana with a 和暦 birth date, and by
宛名番号. Target: ≤ 20 ms each (median and 95th percentile shown). Baseline measured in the same run: a
``SELECT 1`` round trip on the same pooled connection (what any lookup costs at least).

Run: ``.venv/bin/python -m bench.registry [--lookups N] [--pg-url URL]`` (without ``--pg-url`` a private
PostgreSQL is started from its own ``initdb``, as in the tests). Figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import text

from counter_app.adapters.registry.config import RegistryConfig, load_registry_config
from counter_app.adapters.registry.extract import ExtractRegistrySource, load_extract
from counter_app.adapters.registry.sql import SqlRegistrySource
from counter_app.workflow.registry import Identity, RegistrySource
from counter_app.workflow.registry_lookup import RateLimiter, RegistryLookup
from procedures.visit import Sex
from tests.registry_data import card_address, generate, load_postgres, registry_yaml, write_csv

TARGET_MS = 20.0


class _Sink:
    def audit(self, kind: Any, **_: Any) -> None:
        pass


def _wareki(day: dt.date) -> str:
    eras = (("5", 2018, dt.date(2019, 5, 1)), ("4", 1988, dt.date(1989, 1, 8)),
            ("3", 1925, dt.date(1926, 12, 25)), ("2", 1911, dt.date(1912, 7, 30)))  # fmt: skip
    for code, base, first in eras:
        if day >= first:
            return f"{code}{day.year - base:02d}{day.month:02d}{day.day:02d}"
    return f"1{day.year - 1867:02d}{day.month:02d}{day.day:02d}"


def _hiragana(kana: str) -> str:
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in kana)


def _times(work: Callable[[], object], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        out.append((time.perf_counter() - start) * 1000)
    return out


def _line(label: str, times: list[float]) -> None:
    ordered = sorted(times)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    verdict = "OK" if p95 <= TARGET_MS else "over target"
    print(f"  {label:<44} median {statistics.median(times):6.2f} ms  p95 {p95:6.2f} ms  "
          f"max {ordered[-1]:6.2f} ms  ({verdict})")  # fmt: skip


def run_lookups(name: str, source: RegistrySource, rows: list[dict[str, str]], runs: int) -> None:
    lookup = RegistryLookup(source, _Sink(), "bench", RateLimiter(10**9))
    rng = random.Random(3)
    heads = [r for r in rows if r["続柄"] == "世帯主" and r["住民状態"] == "1"]
    picks = [rng.choice(heads) for _ in range(runs)]
    it = iter(picks)

    def card() -> None:
        row = next(it)
        identity = Identity(row["氏名"], dt.date.fromisoformat(row["生年月日"]), card_address(row),
                            Sex.MALE if row["性別"] == "1" else Sex.FEMALE)  # fmt: skip
        match = lookup.household_for(uuid.uuid4().hex, identity)
        assert match.person.atena_no == row["宛名番号"]

    first = picks[0]
    warm = Identity(first["氏名"], dt.date.fromisoformat(first["生年月日"]), card_address(first))
    lookup.household_for(uuid.uuid4().hex, warm)
    print(f"{name}:")
    _line("household after the card", _times(card, runs))
    it2 = iter(picks)

    def by_reading() -> None:
        row = next(it2)
        birth = _wareki(dt.date.fromisoformat(row["生年月日"]))
        lookup.search(uuid.uuid4().hex, f"{_hiragana(row['氏名_フリガナ'])} {birth}")

    _line("search: reading (hiragana) + 和暦", _times(by_reading, runs))
    it3 = iter(picks)
    _line("search: 宛名番号", _times(lambda: lookup.search(uuid.uuid4().hex, next(it3)["宛名番号"]), runs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lookups", type=int, default=300)
    parser.add_argument("--pg-url", help="an admin URL of an empty PostgreSQL database (else one is started)")
    args = parser.parse_args()
    started = time.perf_counter()
    rows = generate(residents=100_000, households=45_000)
    print(f"generated {len(rows):,} residents in 45,000 households: {time.perf_counter() - started:.1f} s")
    server = None
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        try:
            if args.pg_url:
                admin, database, url = args.pg_url, args.pg_url.rsplit("/", 1)[-1].split("?")[0], args.pg_url
            else:
                from tests.services import Postgres

                server = Postgres()
                server.start()
                database = "juki_bench"
                admin = server.create_database(database).replace("+psycopg", "")
                url = server.url(database).replace("postgres@", "madoguchi_ro@")
            started = time.perf_counter()
            load_postgres(admin, database, rows)
            print(f"PostgreSQL: COPY, indexes, view, role: {time.perf_counter() - started:.1f} s")
            (folder / "registry.yaml").write_text(registry_yaml(), encoding="utf-8")
            sql = SqlRegistrySource(url, load_registry_config(folder / "registry.yaml"))
            with sql.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
                baseline = _times(lambda: connection.execute(text("SELECT 1")).scalar(), args.lookups)
            print("baseline:")
            _line("SELECT 1 round trip (pooled connection)", baseline)
            run_lookups("SQL view (PostgreSQL, TLS, read-only role)", sql, rows, args.lookups)
            sql.close()
        finally:
            if server is not None:
                server.cleanup()
        started = time.perf_counter()
        extract = write_csv(folder / "extract.csv", rows)
        key = bytes(range(32))
        result = load_extract(extract, RegistryConfig(source="csv"), folder / "index.sqlite3", key)
        print(f"CSV extract → encrypted index: {result.residents:,} residents, "
              f"{time.perf_counter() - started:.1f} s (write + check + seal)")  # fmt: skip
        index = ExtractRegistrySource(folder / "index.sqlite3", key)
        run_lookups("encrypted extract index (SQLite, AES-GCM)", index, rows, args.lookups)
        index.close()


if __name__ == "__main__":
    main()
