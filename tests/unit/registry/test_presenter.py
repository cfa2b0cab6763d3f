"""The kiosk's registry action over the real catalog, the demo card and the real encrypted extract index.

Also the clerk's keystrokes for a family of 4 moving within the ward (転居), counted with one model for
both ways of working — every key, button or Enter is 1; a number or a code typed is 1 per character;
a space is 1; Japanese text typed is 2 per character (romaji, about two keys a kana, plus conversion);
the PIN is the resident's and not counted:

* with the registry: the card, then 「住民記録から世帯を取得」 fills the other three members; the new
  address typed as its postcode and 番地 (``presenters.address_entry``);
* without it: the card, then three members typed (name, birth date 8 digits, sex, 続柄, confirm;
  the reading comes from the furigana suggestion and is not counted).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from card_reader.basic_four import Sex as CardSex
from card_reader.virtual import VirtualCardProfile
from counter_app.adapters.card_source import DemoCardSource
from counter_app.adapters.registry.config import RegistryConfig
from counter_app.adapters.registry.extract import ExtractRegistrySource, load_extract
from counter_app.presenters.kiosk import KioskPresenter, Step
from counter_app.presenters.registry import RegistryPresenter
from counter_app.workflow.registry import RegistryStatus, relationship_of
from counter_app.workflow.registry_lookup import RateLimiter, RegistryLookup
from counter_app.workflow.tasks import ImmediateRunner
from procedures.catalog import load_catalog
from procedures.visit import Member, Relationship, Sex, Source
from tests.registry_data import card_address, generate, write_csv
from tests.unit.app.kiosk_helpers import DEMO_PIN, Drafts, read_demo_card

KEY = bytes(range(32))
TODAY = dt.date(2026, 12, 4)
NEW_ADDRESS_TYPED = "1500001 5-6"  # 〒150-0001 東京都渋谷区神宮前 (Japan Post)
NEW_ADDRESS = "東京都渋谷区神宮前5-6"


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    return generate(residents=3_000, households=1_300, seed=4)


@pytest.fixture
def source(tmp_path: Path, rows: list[dict[str, str]]) -> Iterator[ExtractRegistrySource]:
    load_extract(write_csv(tmp_path / "x.csv", rows), RegistryConfig(), tmp_path / "i.sqlite3", KEY)
    opened = ExtractRegistrySource(tmp_path / "i.sqlite3", KEY)
    yield opened
    opened.close()


class Audit:
    def __init__(self) -> None:
        self.kinds: list[str] = []

    def audit(self, kind: Any, **_: Any) -> None:
        self.kinds.append(str(kind))


def family(rows: list[dict[str, str]], size: int, *, foreign: bool = False) -> list[dict[str, str]]:
    households: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        households.setdefault(row["世帯番号"], []).append(row)
    for members in households.values():
        if (
            len(members) == size
            and all(m["住民状態"] == "1" for m in members)
            and (members[0]["住民種別"] == "2") == foreign
            and members[0]["続柄"] == "世帯主"
            and {m["続柄"] for m in members} <= {"世帯主", "妻", "夫", "子"}
        ):
            return members
    raise AssertionError(f"no household of {size}")


def card_of(row: dict[str, str]) -> DemoCardSource:
    return DemoCardSource(
        VirtualCardProfile(
            name=row["氏名"],
            address=card_address(row),
            birth_date=dt.date.fromisoformat(row["生年月日"]),
            sex=CardSex.MALE if row["性別"] == "1" else CardSex.FEMALE,
            pin=DEMO_PIN,
        )
    )


def kiosk_for(
    row: dict[str, str], source: ExtractRegistrySource, answers: dict[str, str] | None = None
) -> tuple[KioskPresenter, RegistryPresenter, Audit]:
    kiosk = KioskPresenter(
        load_catalog(), card_of(row), ImmediateRunner(), drafts=Drafts(), today=lambda: TODAY
    )
    audit = Audit()
    lookup = RegistryLookup(source, audit, "sato.k", RateLimiter(100), today=lambda: TODAY)
    return kiosk, RegistryPresenter(kiosk, lookup, ImmediateRunner(), answers), audit


@dataclass
class Keys:
    counted: list[tuple[str, int]] = field(default_factory=list)

    def press(self, what: str, keys: int = 1) -> None:
        self.counted.append((what, keys))

    def typed(self, what: str, text: str) -> None:
        self.press(what, sum(1 if ch.isascii() or ch.isspace() else 2 for ch in text) + 1)  # + Enter

    @property
    def total(self) -> int:
        return sum(k for _, k in self.counted)


def answer_questions(kiosk: KioskPresenter, keys: Keys) -> None:
    while kiosk.view.value.step is Step.QUESTIONS:
        pending = kiosk.questions.value.question
        assert pending is not None
        question = pending.question
        if question.type == "text":
            assert question.id == "new_address"
            keys.typed("new address", NEW_ADDRESS_TYPED)  # the postcode, a space, the 番地
            kiosk.answer(NEW_ADDRESS_TYPED)
            assert kiosk.session is not None and kiosk.session.answers["new_address"] == NEW_ADDRESS
        elif question.choices:
            keys.press(question.id)
            kiosk.answer(question.choices[0].value)
        else:
            keys.press(question.id)
            kiosk.answer(question.id == "ward_school_all")


def test_family_of_four_moving_within_the_ward_with_the_registry(
    source: ExtractRegistrySource, rows: list[dict[str, str]]
) -> None:
    members = family(rows, 4)
    kiosk, registry, audit = kiosk_for(members[0], source, {"foreign_resident": "any_foreign"})
    keys = Keys()
    read_demo_card(kiosk)  # the PIN: the resident's keys, not the clerk's
    assert kiosk.confirm_member()
    keys.press("confirm the card's details")
    kiosk.choose_event("tenkyo")  # the day defaults to today
    keys.press("転居")
    registry.fetch_household()
    keys.press("住民記録から世帯を取得")
    view = registry.view.value
    assert view.error == "" and view.differences == ()
    session = kiosk.session
    assert session is not None and len(session.members) == 4
    by_name = {m.name: m for m in session.members}
    for row in members:
        member = by_name[row["氏名"]]
        assert member.birth_date.isoformat() == row["生年月日"]
        assert member.furigana == row["氏名_フリガナ"]
        assert member.details is not None and member.details.juminhyo_code == row["住民票コード"]
        assert member.details.honseki == row["本籍"] and member.details.hittousha == row["筆頭者"]
    assert session.members[0].source is Source.CARD  # the card's four details are kept
    assert all(m.source is Source.REGISTRY for m in session.members[1:])
    assert session.members[0].relationship is Relationship.SELF
    assert session.answers["foreign_resident"] is False  # registry.yaml: answered from 住民種別
    assert {registry.visit.by_member[i].atena_no for i in range(4)} == {r["宛名番号"] for r in members}
    kiosk.household_done()
    keys.press("household OK")
    answer_questions(kiosk, keys)
    assert kiosk.view.value.step is Step.REVIEW
    assert audit.kinds == ["registry_lookup"]
    besides_address = keys.total - dict(keys.counted)["new address"]
    print(f"\nkeystrokes with the registry: {keys.total} ({besides_address} besides the new address)")
    print(keys.counted)
    assert besides_address <= 8
    assert keys.total < 20  # issue 20: under 20 besides the PIN

    # The same family without the registry, counted with the same model.
    kiosk2, _, _ = kiosk_for(members[0], source)
    manual = Keys()
    read_demo_card(kiosk2)
    assert kiosk2.confirm_member()
    manual.press("confirm the card's details")
    kiosk2.choose_event("tenkyo")
    manual.press("転居")
    for row in members[1:]:
        manual.press("add a member")
        manual.typed("name", row["氏名"])
        manual.typed("birth date", row["生年月日"].replace("-", ""))
        manual.press("sex")
        manual.press("続柄")
        manual.press("confirm the member")
        assert kiosk2.session is not None
        kiosk2.session.add_member(
            Member(
                name=row["氏名"], birth_date=dt.date.fromisoformat(row["生年月日"]),
                sex=Sex.MALE if row["性別"] == "1" else Sex.FEMALE, address=card_address(members[0]),
                relationship=relationship_of(row["続柄"]), is_householder=False,
            )
        )  # fmt: skip
    kiosk2.household_done()
    manual.press("household OK")
    answer_questions(kiosk2, manual)  # the same questions, and whether anyone is a foreign resident
    assert kiosk2.view.value.step is Step.REVIEW
    print(f"keystrokes without: {manual.total}: {manual.counted}")
    # Every member typed costs at least a name and a birth date; the registry saves all of that.
    assert manual.total - keys.total >= 3 * (4 + 9)


def test_the_card_wins_and_the_differences_are_shown(
    source: ExtractRegistrySource, rows: list[dict[str, str]]
) -> None:
    members = family(rows, 3)
    head = dict(
        members[0], 住所_番地号表記=members[0]["住所_番地号表記"].replace("番", "-").replace("号", "")
    )
    head["氏名"] = head["氏名"].replace("\u3000", "")  # the card without the space: the same name
    kiosk, registry, _ = kiosk_for(head, source)
    read_demo_card(kiosk)
    assert kiosk.confirm_member()
    registry.fetch_household()
    session = kiosk.session
    assert session is not None
    assert session.members[0].name == head["氏名"]  # the card's spelling is kept
    assert registry.view.value.differences == ()  # spaces and notation are no difference
    assert len(session.members) == 3


def test_refusal_and_registry_down_leave_the_visit_going(
    tmp_path: Path, source: ExtractRegistrySource, rows: list[dict[str, str]]
) -> None:
    members = family(rows, 2)
    stranger = dict(members[0], 住所_町字="北原", 住所_番地号表記="99番9号")
    kiosk, registry, audit = kiosk_for(stranger, source)
    read_demo_card(kiosk)
    assert kiosk.confirm_member()
    kiosk.choose_event("tenkyo")
    registry.fetch_household()
    assert "住所が住民記録と一致しません" in registry.view.value.error
    assert kiosk.session is not None and len(kiosk.session.members) == 1
    assert kiosk.view.value.step is Step.HOUSEHOLD and audit.kinds == ["registry_refused"]

    down = ExtractRegistrySource(tmp_path / "missing.sqlite3", KEY)
    kiosk2 = KioskPresenter(load_catalog(), card_of(members[0]), ImmediateRunner(), today=lambda: TODAY)
    registry2 = RegistryPresenter(kiosk2, RegistryLookup(down, Audit()), ImmediateRunner())
    read_demo_card(kiosk2)
    assert kiosk2.confirm_member()
    kiosk2.choose_event("tenkyo")
    registry2.fetch_household()
    assert registry2.view.value.error.startswith("住民記録の抽出データが読み込まれていません")
    kiosk2.start_typed()  # the clerk types the other member: the visit goes on
    assert kiosk2.view.value.step is Step.MEMBER


def test_search_without_a_card_then_pick(source: ExtractRegistrySource, rows: list[dict[str, str]]) -> None:
    members = family(rows, 3)
    kiosk, registry, audit = kiosk_for(members[0], source)
    registry.search(f"{members[1]['氏名']} {members[1]['生年月日']}")
    hits = registry.view.value.hits
    assert len(hits) >= 1 and all(h.badge == "" for h in hits)
    index = next(i for i, p in enumerate(registry._hits) if p.atena_no == members[1]["宛名番号"])
    registry.choose(index)
    session = kiosk.session
    assert session is not None and session.members[0].name == members[1]["氏名"]
    assert len(session.members) == 3 and session.members[0].source is Source.REGISTRY
    assert kiosk.view.value.step is Step.EVENT
    assert audit.kinds == ["registry_search", "registry_lookup"]


def test_a_deceased_search_result_is_badged_and_not_taken(
    source: ExtractRegistrySource, rows: list[dict[str, str]]
) -> None:
    dead = next(r for r in rows if r["住民状態"] == "3")
    kiosk, registry, _ = kiosk_for(rows[0], source)
    registry.search(dead["宛名番号"])
    assert [h.badge for h in registry.view.value.hits] == [RegistryStatus.DECEASED.badge]
    registry.choose(0)
    assert "死亡" in registry.view.value.error
    assert kiosk.session is not None and kiosk.session.members == []


def test_nothing_fetched_outlives_the_visit(
    source: ExtractRegistrySource, rows: list[dict[str, str]]
) -> None:
    members = family(rows, 2)
    kiosk, registry, _ = kiosk_for(members[0], source)
    read_demo_card(kiosk)
    assert kiosk.confirm_member()
    registry.fetch_household()
    assert registry.visit.by_member and registry.view.value.rows
    kiosk.cancel("resident_request")
    assert registry.visit.by_member == {} and registry.visit.match is None
    assert registry.view.value.rows == ()


def test_a_late_answer_for_an_ended_visit_is_dropped(
    source: ExtractRegistrySource, rows: list[dict[str, str]]
) -> None:
    members = family(rows, 2)

    class Later:
        def __init__(self) -> None:
            self.pending: list[Any] = []

        def run(self, work: Any, on_done: Any, on_error: Any) -> None:
            self.pending.append((work, on_done))

    later = Later()
    kiosk = KioskPresenter(load_catalog(), card_of(members[0]), ImmediateRunner(), today=lambda: TODAY)
    registry = RegistryPresenter(kiosk, RegistryLookup(source, Audit()), later)
    read_demo_card(kiosk)
    assert kiosk.confirm_member()
    registry.fetch_household()
    kiosk.cancel("resident_request")
    work, on_done = later.pending[0]
    on_done(work())
    assert kiosk.session is None and registry.visit.by_member == {}


def test_numbers_reach_the_hand_off_by_member_not_by_position(
    source: ExtractRegistrySource, rows: list[dict[str, str]]
) -> None:
    from counter_app.workflow.handoff import handoff_payloads
    from procedures.handoff import load_layouts
    from procedures.handoff.standard import modulus11_digit

    def issued(number: str) -> bool:  # the layout treats a remainder of 1 as a number never issued
        return modulus11_digit(number[:-1], "invalid") == int(number[-1])

    households: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        households.setdefault(row["世帯番号"], []).append(row)
    members = next(
        m for m in households.values()
        if len(m) == 4 and all(r["住民状態"] == "1" and r["住民種別"] == "1" for r in m)
        and {r["続柄"] for r in m} <= {"世帯主", "妻", "夫", "子"}
        and all(issued(r["宛名番号"]) and issued(r["世帯番号"]) for r in m)
    )  # fmt: skip
    kiosk, registry, _ = kiosk_for(members[0], source, {"foreign_resident": "any_foreign"})
    read_demo_card(kiosk)
    assert kiosk.confirm_member()
    kiosk.choose_event("tenkyo")
    registry.fetch_household()
    session = kiosk.session
    assert session is not None and len(session.members) == 4
    removed = session.members[1]
    kiosk.remove_member(1)  # one member stays behind: the others shift down
    numbers = registry.person_numbers(session)
    by_name = {r["氏名"]: r for r in members}
    assert len(numbers) == 3
    for index, member in enumerate(session.members):
        assert numbers[index].atena_number == by_name[member.name]["宛名番号"]
        assert numbers[index].setai_number == members[0]["世帯番号"]
    kiosk.household_done()
    answer_questions(kiosk, Keys())
    chosen = kiosk.chosen_procedures()
    payloads = handoff_payloads(
        load_layouts(kiosk.catalog), session.visit(), session.guidance(), chosen, "V20261204-00000001",
        set(session.forms_to_print(chosen)), TODAY, numbers,
    )  # fmt: skip
    text = b"".join(f.data for p in payloads for f in p.files).decode("utf-8", errors="replace")
    for member in session.members:
        assert by_name[member.name]["宛名番号"] in text
    assert by_name[removed.name]["宛名番号"] not in text


def test_a_card_that_matches_only_a_moved_out_record_is_flagged(
    source: ExtractRegistrySource, rows: list[dict[str, str]]
) -> None:
    moved = next(r for r in rows if r["住民状態"] == "2")
    kiosk, registry, _ = kiosk_for(moved, source)
    read_demo_card(kiosk)
    assert kiosk.confirm_member()
    registry.fetch_household()
    assert registry.view.value.note.startswith("この方は住民記録上「転出」です")
    assert any(row.badge == "転出" for row in registry.view.value.rows)
