"""Lookups for a visit: the household after the card, the search box, refusals, rate limit and audit.

The registry here is the real encrypted extract index (2,000 generated residents); the audit goes
through the counter's real recorder into its SQLite database, where the supervisor's figures are read.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from counter_app.adapters.registry.audit_stats import lookups_per_clerk
from counter_app.adapters.registry.config import RegistryConfig
from counter_app.adapters.registry.extract import ExtractRegistrySource, load_extract
from counter_app.adapters.storage import CounterStorage
from counter_app.adapters.store.models import AUDIT_EVENTS
from counter_app.adapters.store.records import AuditKind
from counter_app.presenters.messages import EXIT_REGISTRY, clerk_message
from counter_app.workflow.registry import (
    Identity,
    RegistryAmbiguousError,
    RegistryNoMatchError,
    RegistryQueryError,
    RegistryRateLimitedError,
    RegistryUnavailableError,
)
from counter_app.workflow.registry_lookup import RateLimiter, RegistryLookup
from procedures.visit import Sex
from tests.registry_data import card_address, generate, write_csv
from tests.unit.store.conftest import no_os_key_store, settings, storage  # noqa: F401

KEY = bytes(range(32))
TODAY = dt.date(2026, 12, 4)


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    data = generate(residents=2_000, households=900, seed=11)
    # Two namesakes born the same day at the same address in different households (a data error or
    # a real coincidence): a card naming them must be refused, not guessed.
    twin = dict(data[40], 宛名番号="99999990", 世帯番号="88888880", 住民票コード=data[41]["住民票コード"])
    twin["宛名番号"] = "9999999" + str(_check("9999999"))
    twin["世帯番号"] = "8888888" + str(_check("8888888"))
    data.append(twin)
    # 60 residents with one name and birthday at different addresses: the search shows 50.
    for i in range(60):
        extra = dict(data[100], 住所_町字="北原", 住所_番地号表記=f"{i + 1}番1号")
        body = f"{7_000_000 + i}"
        extra["宛名番号"] = body + str(_check(body))
        body = f"{6_000_000 + i}"
        extra["世帯番号"] = body + str(_check(body))
        data.append(extra)
    return data


def _check(body: str) -> int:
    from counter_app.workflow.registry import mod11_check_digit

    return mod11_check_digit(body)


@pytest.fixture
def source(tmp_path: Path, rows: list[dict[str, str]]) -> Iterator[ExtractRegistrySource]:
    index = tmp_path / "index.sqlite3"
    load_extract(write_csv(tmp_path / "x.csv", rows), RegistryConfig(), index, KEY)
    opened = ExtractRegistrySource(index, KEY)
    yield opened
    opened.close()


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def lookup(source: ExtractRegistrySource, storage: CounterStorage) -> RegistryLookup:  # noqa: F811
    return RegistryLookup(source, storage.recorder, clerk_id="sato.k", today=lambda: TODAY)


def audits(storage: CounterStorage) -> list[dict[str, Any]]:  # noqa: F811
    storage.flush()
    with storage.database.engine.connect() as connection:
        result = connection.execute(select(AUDIT_EVENTS).order_by(AUDIT_EVENTS.c.at))
        return [dict(row._mapping) for row in result]


def identity_of(row: dict[str, str]) -> Identity:
    return Identity(
        name=row["氏名"].replace("\u3000", " "),
        birth_date=dt.date.fromisoformat(row["生年月日"]),
        address=card_address(row),
        sex=Sex.MALE if row["性別"] == "1" else Sex.FEMALE,
    )


def household_rows(rows: list[dict[str, str]], household: str) -> list[dict[str, str]]:
    return [r for r in rows if r["世帯番号"] == household]


def a_family(rows: list[dict[str, str]], size: int) -> dict[str, str]:
    for row in rows:
        members = household_rows(rows, row["世帯番号"])
        if row["続柄"] == "世帯主" and len(members) == size and all(m["住民状態"] == "1" for m in members):
            return row
    raise AssertionError(f"no household of {size}")


def test_the_card_fetches_the_whole_household(
    lookup: RegistryLookup,
    rows: list[dict[str, str]],
    storage: CounterStorage,  # noqa: F811
) -> None:
    head = a_family(rows, 4)
    visit = uuid.uuid4()
    match = lookup.household_for(visit.hex, identity_of(head))
    expected = household_rows(rows, head["世帯番号"])
    assert match.person.atena_no == head["宛名番号"]
    assert {m.atena_no for m in match.members} == {r["宛名番号"] for r in expected}
    assert match.members[0].relationship_label == "世帯主"
    assert match.differences == ()
    by_atena = {r["宛名番号"]: r for r in expected}
    for member in match.members:
        row = by_atena[member.atena_no]
        assert member.name == row["氏名"] and member.kana == row["氏名_フリガナ"]
        assert member.juminhyo_code == row["住民票コード"] and member.household_no == row["世帯番号"]
        assert (member.honseki or "") == row["本籍"] and (member.hittosha or "") == row["筆頭者"]
    [entry] = audits(storage)
    assert entry["kind"] == AuditKind.REGISTRY_LOOKUP.value
    assert entry["clerk_id"] == "sato.k" and entry["counter"] == "1番窓口" and entry["visit_id"] == visit
    assert entry["detail"]["atena"] == head["宛名番号"] and entry["detail"]["members"] == 4
    # The audit names the resident by number only: no name, reading, birth date or address.
    text = json.dumps(entry["detail"], ensure_ascii=False)
    for item in ("氏名", "氏名_フリガナ", "生年月日", "住所_町字"):
        assert head[item] not in text


def test_the_card_wins_where_the_registry_spells_otherwise(
    lookup: RegistryLookup, rows: list[dict[str, str]]
) -> None:
    head = next(r for r in rows if r["氏名"].startswith("髙橋") and r["住民状態"] == "1")
    card = identity_of(head)
    card = Identity(
        card.name.replace("髙", "高"),
        card.birth_date,
        card_address(head).replace("番", "-").replace("号", ""),
        card.sex,
    )
    match = lookup.household_for(uuid.uuid4().hex, card)
    assert match.person.atena_no == head["宛名番号"]
    assert [(d.item, d.card, d.registry) for d in match.differences] == [
        ("氏名", card.name, head["氏名"])
    ]  # the address is the same in another notation: no difference


def test_wrong_and_ambiguous_matches_are_refused_and_audited(
    lookup: RegistryLookup,
    rows: list[dict[str, str]],
    storage: CounterStorage,  # noqa: F811
) -> None:
    head = a_family(rows, 3)
    moved = Identity(head["氏名"], dt.date.fromisoformat(head["生年月日"]), "東京都さざなみ区北原99番1号")
    with pytest.raises(RegistryNoMatchError, match="住所が住民記録と一致しません"):
        lookup.household_for(uuid.uuid4().hex, moved)
    other_day = Identity(
        head["氏名"], dt.date.fromisoformat(head["生年月日"]) + dt.timedelta(days=1), card_address(head)
    )
    with pytest.raises(RegistryNoMatchError, match="一致する方がいません"):
        lookup.household_for(uuid.uuid4().hex, other_day)
    with pytest.raises(RegistryAmbiguousError, match="2人"):
        lookup.household_for(uuid.uuid4().hex, identity_of(rows[40]))
    reasons = [(e["kind"], e["detail"]["reason"]) for e in audits(storage)]
    assert reasons == [
        ("registry_refused", "no_match"),
        ("registry_refused", "no_match"),
        ("registry_refused", "ambiguous"),
    ]


def test_search_by_reading_in_hiragana_and_wareki(lookup: RegistryLookup, rows: list[dict[str, str]]) -> None:
    row = a_family(rows, 2)
    birth = dt.date.fromisoformat(row["生年月日"])
    era, base = ("4", 1988) if birth >= dt.date(1989, 1, 8) else ("3", 1925)
    wareki = f"{era}{birth.year - base:02d}{birth.month:02d}{birth.day:02d}"
    hiragana = "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in row["氏名_フリガナ"])
    result = lookup.search(uuid.uuid4().hex, f"{hiragana} {wareki}")
    assert row["宛名番号"] in [p.atena_no for p in result.hits]
    assert not result.capped
    household = lookup.household_of(
        uuid.uuid4().hex, next(p for p in result.hits if p.atena_no == row["宛名番号"])
    )
    assert len(household.members) == 2


def test_search_by_atena_number_shows_badges(lookup: RegistryLookup, rows: list[dict[str, str]]) -> None:
    dead = next(r for r in rows if r["住民状態"] == "3")
    [hit] = lookup.search(uuid.uuid4().hex, dead["宛名番号"]).hits
    assert hit.status.badge == "死亡"
    moved = next(r for r in rows if r["住民状態"] == "2")
    [hit] = lookup.search(uuid.uuid4().hex, moved["宛名番号"]).hits
    assert hit.status.badge == "転出"


def test_search_results_are_capped_at_50(
    lookup: RegistryLookup,
    rows: list[dict[str, str]],
    storage: CounterStorage,  # noqa: F811
) -> None:
    result = lookup.search(uuid.uuid4().hex, f"{rows[100]['氏名']} {rows[100]['生年月日'].replace('-', '')}")
    assert len(result.hits) == 50 and result.capped
    entry = audits(storage)[-1]
    assert (
        entry["kind"] == "registry_search" and entry["detail"]["results"] == 50 and entry["detail"]["capped"]
    )
    assert rows[100]["氏名"] not in json.dumps(entry["detail"], ensure_ascii=False)


def test_a_search_the_box_refuses_costs_no_lookup(
    lookup: RegistryLookup,
    storage: CounterStorage,  # noqa: F811
) -> None:
    with pytest.raises(RegistryQueryError):
        lookup.search(uuid.uuid4().hex, "19830412 19830413")
    with pytest.raises(RegistryNoMatchError, match="いません"):
        lookup.search(uuid.uuid4().hex, "存在 しない 19830412")
    assert [e["kind"] for e in audits(storage)] == ["registry_search"]


def test_rate_limit_per_counter(
    source: ExtractRegistrySource,
    rows: list[dict[str, str]],
    storage: CounterStorage,  # noqa: F811
) -> None:
    clock = Clock()
    limited = RegistryLookup(
        source, storage.recorder, clerk_id="sato.k", limiter=RateLimiter(3, dt.timedelta(minutes=10), clock)
    )
    head = a_family(rows, 2)
    for _ in range(3):
        limited.household_for(uuid.uuid4().hex, identity_of(head))
        clock.now += 60
    with pytest.raises(RegistryRateLimitedError, match="上限 3 件/10 分") as caught:
        limited.household_for(uuid.uuid4().hex, identity_of(head))
    assert "約8分後" in caught.value.message
    clock.now += 8 * 60  # the first lookup leaves the window
    limited.household_for(uuid.uuid4().hex, identity_of(head))
    assert [e["detail"].get("reason") for e in audits(storage)] == [None, None, None, "rate_limited", None]


def test_registry_down_is_a_clear_message_and_audited(
    tmp_path: Path,
    rows: list[dict[str, str]],
    storage: CounterStorage,  # noqa: F811
) -> None:
    gone = RegistryLookup(ExtractRegistrySource(tmp_path / "none.sqlite3", KEY), storage.recorder)
    with pytest.raises(RegistryUnavailableError) as caught:
        gone.household_for(uuid.uuid4().hex, identity_of(rows[0]))
    message = clerk_message(caught.value)
    assert message.exit_code == EXIT_REGISTRY
    assert "受付はカードまたは手入力で続けられます" in message.text
    assert audits(storage)[-1]["detail"]["reason"] == "unavailable"


def test_lookups_per_clerk_per_day(
    lookup: RegistryLookup,
    rows: list[dict[str, str]],
    storage: CounterStorage,  # noqa: F811
) -> None:
    head = a_family(rows, 2)
    lookup.household_for(uuid.uuid4().hex, identity_of(head))
    lookup.household_for(uuid.uuid4().hex, identity_of(head))
    with pytest.raises(RegistryAmbiguousError):
        lookup.household_for(uuid.uuid4().hex, identity_of(rows[40]))
    lookup.clerk_id = "suzuki.a"
    lookup.search(uuid.uuid4().hex, head["宛名番号"])
    storage.flush()
    today = dt.datetime.now(storage.settings.zone).date()
    figures = lookups_per_clerk(storage.database.engine, today, today, storage.settings.zone)
    assert [(f.clerk_id, f.lookups, f.searches, f.refused, f.total) for f in figures] == [
        ("sato.k", 2, 0, 1, 3),
        ("suzuki.a", 0, 1, 0, 1),
    ]
    assert (
        lookups_per_clerk(
            storage.database.engine,
            today - dt.timedelta(days=2),
            today - dt.timedelta(days=1),
            storage.settings.zone,
        )
        == []
    )
