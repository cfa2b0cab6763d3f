"""The registry on a real PostgreSQL: 100,000 generated residents in 45,000 households behind a view,
read by a role that may only SELECT that view (docs/registry.md), through the ward's column names.

The table is loaded once per session with COPY (a few seconds). Wall time is measured in
``bench/registry.py``, never asserted here; what is asserted is what makes it fast — each of the three
questions is answered through an index, never by reading the table.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from counter_app.adapters.registry.config import RegistryConfig, load_registry_config
from counter_app.adapters.registry.sql import SqlRegistrySource
from counter_app.workflow.registry import (
    Identity,
    RegistryAmbiguousError,
    RegistryNoMatchError,
    RegistryUnavailableError,
    compact,
    mod11_check_digit,
    name_variants,
)
from counter_app.workflow.registry_lookup import RateLimiter, RegistryLookup
from procedures.visit import Sex
from tests.registry_data import card_address, generate, load_postgres, registry_yaml
from tests.services import Postgres

pytestmark = pytest.mark.integration

TODAY = dt.date(2026, 12, 4)


def _with_check(body: str) -> str:
    return body + str(mod11_check_digit(body))


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    data = generate(residents=100_000, households=45_000, seed=20)
    twin = dict(data[40], 宛名番号=_with_check("9999999"), 世帯番号=_with_check("8888888"))
    data.append(twin)  # the same name, birth date and address in another household: refused
    for i in range(60):  # one name and birthday 60 times at other addresses: the search shows 50
        data.append(
            dict(data[100], 住所_町字="北原", 住所_番地号表記=f"{i + 1}番1号",
                 宛名番号=_with_check(f"{7_000_000 + i}"), 世帯番号=_with_check(f"{6_000_000 + i}"))
        )  # fmt: skip
    return data


@pytest.fixture(scope="module")
def registry_url(postgres: Postgres, rows: list[dict[str, str]]) -> str:
    """The ward's core table (with a 個人番号 column the view leaves out), its view and a read-only role."""
    name = f"juki_{uuid.uuid4().hex[:8]}"
    load_postgres(postgres.create_database(name).replace("+psycopg", ""), name, rows)
    return postgres.url(name).replace("postgres@", "madoguchi_ro@")


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> RegistryConfig:
    path = tmp_path_factory.mktemp("catalog") / "registry.yaml"
    path.write_text(registry_yaml(), encoding="utf-8")
    return load_registry_config(path)


@pytest.fixture(scope="module")
def source(registry_url: str, config: RegistryConfig) -> Iterator[SqlRegistrySource]:
    opened = SqlRegistrySource(registry_url, config)
    yield opened
    opened.close()


class Audit:
    def __init__(self) -> None:
        self.entries: list[tuple[str, dict[str, Any]]] = []

    def audit(self, kind: Any, **fields: Any) -> None:
        self.entries.append((str(kind), dict(fields.get("detail") or {})))


@pytest.fixture
def lookup(source: SqlRegistrySource) -> RegistryLookup:
    return RegistryLookup(source, Audit(), "sato.k", RateLimiter(1000), today=lambda: TODAY)


def identity_of(row: dict[str, str]) -> Identity:
    return Identity(row["氏名"], dt.date.fromisoformat(row["生年月日"]), card_address(row),
                    Sex.MALE if row["性別"] == "1" else Sex.FEMALE)  # fmt: skip


def test_100k_residents_loaded(source: SqlRegistrySource, rows: list[dict[str, str]]) -> None:
    with source.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM juki.madoguchi_view")).scalar() == len(rows)
        assert (
            connection.execute(
                text('SELECT count(DISTINCT "C01_SETAI_NO") FROM juki.madoguchi_view')
            ).scalar()
            == 45_000 + 61
        )


def test_households_of_families_of_every_size(lookup: RegistryLookup, rows: list[dict[str, str]]) -> None:
    households: dict[str, list[dict[str, str]]] = {}
    for row in rows[:100_000]:
        households.setdefault(row["世帯番号"], []).append(row)
    checked: set[int] = set()
    foreign = mj = 0
    for members in households.values():
        head = members[0]
        if (
            len(members) in checked
            and not (head["住民種別"] == "2" and not foreign)
            and not ("𠮷" in head["氏名"] and not mj)
        ):
            continue
        match = lookup.household_for(uuid.uuid4().hex, identity_of(head))
        assert match.person.atena_no == head["宛名番号"]
        assert sorted(m.atena_no for m in match.members) == sorted(m["宛名番号"] for m in members)
        assert [m.atena_no for m in match.current] == [
            m.atena_no for m in match.members if m.status.value == "1"
        ]
        checked.add(len(members))
        foreign += head["住民種別"] == "2"
        mj += "𠮷" in head["氏名"]
        if len(checked) >= 6 and foreign and mj:
            break
    assert foreign and mj and {1, 2, 3, 4, 5, 6} <= checked


def test_a_foreign_resident_has_no_honseki(lookup: RegistryLookup, rows: list[dict[str, str]]) -> None:
    head = next(r for r in rows if r["住民種別"] == "2" and r["続柄"] == "世帯主")
    match = lookup.household_for(uuid.uuid4().hex, identity_of(head))
    assert match.person.foreign and match.person.honseki is None and match.person.hittosha is None
    assert match.person.kana == head["氏名_フリガナ"]


def test_wrong_and_ambiguous_matches_are_refused(lookup: RegistryLookup, rows: list[dict[str, str]]) -> None:
    head = rows[5000]
    elsewhere = Identity(head["氏名"], dt.date.fromisoformat(head["生年月日"]), "東京都さざなみ区北原99番9号")
    with pytest.raises(RegistryNoMatchError, match="住所が住民記録と一致しません"):
        lookup.household_for(uuid.uuid4().hex, elsewhere)
    wrong_day = Identity(
        head["氏名"], dt.date.fromisoformat(head["生年月日"]) - dt.timedelta(days=1), card_address(head)
    )
    with pytest.raises(RegistryNoMatchError):
        lookup.household_for(uuid.uuid4().hex, wrong_day)
    with pytest.raises(RegistryAmbiguousError):
        lookup.household_for(uuid.uuid4().hex, identity_of(rows[40]))


def test_search_box(lookup: RegistryLookup, rows: list[dict[str, str]]) -> None:
    row = rows[777]
    hiragana = "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in row["氏名_フリガナ"])
    hits = lookup.search(uuid.uuid4().hex, f"{hiragana} {row['生年月日'].replace('-', '')}").hits
    assert row["宛名番号"] in [h.atena_no for h in hits]
    assert [h.atena_no for h in lookup.search(uuid.uuid4().hex, row["宛名番号"]).hits] == [row["宛名番号"]]
    capped = lookup.search(uuid.uuid4().hex, f"{rows[100]['氏名']} {rows[100]['生年月日']}")
    assert len(capped.hits) == 50 and capped.capped


def _plan(source: SqlRegistrySource, statement: Any) -> str:
    with source.engine.connect() as connection:
        compiled = statement.compile(connection, compile_kwargs={"literal_binds": True})
        return "\n".join(r[0] for r in connection.execute(text(f"EXPLAIN {compiled}")))


def test_each_question_is_answered_through_an_index(
    source: SqlRegistrySource, rows: list[dict[str, str]]
) -> None:
    from sqlalchemy import or_, select

    from counter_app.adapters.registry.sql import _compact

    c = source.view.c
    row = rows[1234]
    birth = dt.date.fromisoformat(row["生年月日"])
    statements = [
        select(c["宛名番号"]).where(
            (c["生年月日"] == birth) & or_(_compact(c["氏名"]).in_(name_variants(row["氏名"])))
        ),
        select(c["宛名番号"]).where(
            (c["生年月日"] == birth) & _compact(c["氏名_フリガナ"]).in_([compact(row["氏名_フリガナ"])])
        ),
        select(c["氏名"]).where(c["宛名番号"] == row["宛名番号"]),
        select(c["氏名"]).where(c["世帯番号"] == row["世帯番号"]),
    ]
    for statement in statements:
        plan = _plan(source, statement)
        assert "Index" in plan and "Seq Scan" not in plan, plan


def test_the_role_reads_the_view_only_and_never_writes(source: SqlRegistrySource, registry_url: str) -> None:
    with source.engine.connect() as connection, pytest.raises(Exception, match="permission denied"):
        connection.execute(text('SELECT "KOJIN_NO" FROM juki.jumin LIMIT 1'))
    with source.engine.connect() as connection, pytest.raises(Exception, match="read-only transaction"):
        connection.execute(text("CREATE TEMP TABLE x (a int)"))
    with source.engine.connect() as connection:
        result = connection.execute(text("SELECT * FROM juki.madoguchi_view LIMIT 0"))
        columns = [str(c).lower() for c in list(result.keys())]
    assert not any("kojin" in c for c in columns)


def test_registry_down_is_a_clear_message(
    postgres: Postgres, lookup: RegistryLookup, rows: list[dict[str, str]]
) -> None:
    postgres.stop("fast")
    try:
        with pytest.raises(RegistryUnavailableError) as caught:
            lookup.household_for(uuid.uuid4().hex, identity_of(rows[10]))
        assert caught.value.message.startswith("住民記録システムに接続できません。受付はこのまま続けられます")
    finally:
        postgres.start()
    assert lookup.household_for(uuid.uuid4().hex, identity_of(rows[0])).person.atena_no == rows[0]["宛名番号"]


def test_fixture_rows_are_valid(rows: list[dict[str, str]], tmp_path: Path) -> None:
    from counter_app.workflow.registry import valid_check_digit, valid_juminhyo_code

    assert all(valid_check_digit(r["宛名番号"]) and valid_check_digit(r["世帯番号"]) for r in rows)
    assert all(valid_juminhyo_code(r["住民票コード"]) for r in rows)


def test_a_broken_row_in_the_view_is_a_message_without_its_value(
    registry_url: str, lookup: RegistryLookup, rows: list[dict[str, str]]
) -> None:
    import psycopg

    admin = registry_url.replace("madoguchi_ro@", "postgres@").replace("+psycopg", "")
    atena = "4444444" + str(mod11_check_digit("4444444"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(
            'INSERT INTO juki.jumin ("C00_ATENA_NO", "C01_SETAI_NO", "C03_SHIMEI", "C05_SEINENGAPPI", '
            '"C06_SEIBETSU", "C07_ZOKUGARA", "C08_JUMIN_JOTAI", "C12_JUSHO_MACHIAZA") '
            "VALUES (%s, %s, '試験　不正', '1990-01-01', '7', '世帯主', '1', '北原')",
            (atena, rows[0]["世帯番号"]),
        )
    try:
        with pytest.raises(RegistryUnavailableError) as caught:
            lookup.search(uuid.uuid4().hex, atena)
        assert "形式の合わない値があります" in caught.value.message
        assert "7" not in caught.value.message and "試験" not in caught.value.message
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute('DELETE FROM juki.jumin WHERE "C00_ATENA_NO" = %s', (atena,))
