"""The visit JSON (docs/visit-format.md): parsing, derived fields, errors without personal data."""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

import pytest

from procedures.errors import VisitFormatError
from procedures.visit import Relationship, Source, parse_visit

NAME = "髙橋　𠮷子"
BIRTH = "1984-02-29"
ADDRESS = "東京都みどり川区若葉町1-2-3"


def data(**member_fields: Any) -> dict[str, Any]:
    person = {"name": NAME, "birth_date": BIRTH, "sex": "female", "address": ADDRESS, "is_householder": True}
    person.update(member_fields)
    return {"format": "madoguchi-visit/1", "event": "tennyu", "event_date": "2025-06-02", "members": [person]}


def test_parse_and_round_trip() -> None:
    visit = parse_visit(json.dumps(data(source="card", furigana="たかはし よしこ")))
    person = visit.members[0]
    assert person.relationship is Relationship.SELF and person.is_householder and person.householder
    assert person.source is Source.CARD and person.birth_date == dt.date(1984, 2, 29)
    again = parse_visit(visit.to_json())
    assert again == visit
    assert parse_visit(json.dumps(visit.to_json()).encode()) == visit


def test_relationship_and_householder_fill_each_other() -> None:
    member = parse_visit(data(is_householder=None, relationship="self")).members[0]
    assert member.is_householder
    child = parse_visit(data(is_householder=None, relationship="child")).members[0]
    assert not child.is_householder and child.source is Source.TYPED


@pytest.mark.parametrize(
    ("change", "location", "problem"),
    [
        ({"birth_date": "1984-13-01"}, "members[0].birth_date", "日付を YYYY-MM-DD の形で書いてください"),
        ({"sex": "x"}, "members[0].sex", "次のどれかを書いてください: 'male', 'female'"),
        ({"relationship": "wife"}, "members[0].relationship", None),
        (
            {"is_householder": None},
            "members[0]",
            "relationship(世帯主との続柄)か is_householder を書いてください",
        ),
        (
            {"is_householder": False},
            "members[0]",
            "世帯主でない方は relationship(世帯主との続柄)を書いてください",
        ),
        (
            {"relationship": "child"},
            "members[0]",
            "is_householder と relationship が合っていません(世帯主は relationship: self)",
        ),
        ({"name": ""}, "members[0].name", "空にはできません"),
        (
            {"nickname": "x"},
            "members[0].nickname",
            "「nickname」は使えない項目です(つづりを確認してください)",
        ),
    ],
)
def test_member_errors_name_the_place_never_the_value(
    change: dict[str, Any], location: str, problem: str | None
) -> None:
    with pytest.raises(VisitFormatError) as caught:
        parse_visit(data(**change))
    assert caught.value.location == location
    if problem is not None:
        assert caught.value.problem == problem
    text = str(caught.value)
    assert NAME not in text and BIRTH not in text and ADDRESS not in text and "1984-13-01" not in text


def test_visit_level_errors() -> None:
    with pytest.raises(VisitFormatError) as caught:
        parse_visit("{not json")
    assert caught.value.location == "" and caught.value.problem.startswith("JSON として読めません(1行目")
    with pytest.raises(VisitFormatError):
        parse_visit("[1, 2]")
    with pytest.raises(VisitFormatError) as caught:
        parse_visit({**data(), "format": "madoguchi-visit/2"})
    assert caught.value.location == "format"
    two = data()
    two["members"].append(
        {"name": "二人目", "birth_date": "1980-01-01", "sex": "male", "relationship": "self"}
    )
    with pytest.raises(VisitFormatError) as caught:
        parse_visit(two)
    assert caught.value.location == "members" and "1人だけ" in caught.value.problem
    with pytest.raises(VisitFormatError) as caught:
        parse_visit({**data(), "members": []})
    assert caught.value.location == "members"


def test_updates_return_new_visits() -> None:
    visit = parse_visit(data())
    changed = visit.with_answer("has_dog", True).with_answer("insurance", "kokuho", 0)
    assert visit.answers == {} and visit.members[0].answers == {}
    assert changed.answer("has_dog") is True and changed.answer("insurance", 0) == "kokuho"
    assert changed.without_answer("insurance", 0).members[0].answers == {}
    assert changed.without_answer("has_dog").answers == {}
    with pytest.raises(VisitFormatError):
        visit.with_answer("insurance", "kokuho", 3)
    assert visit.with_event("tenkyo", dt.date(2025, 7, 1)).event == "tenkyo"


def test_reprs_and_logs_never_show_personal_data(caplog: pytest.LogCaptureFixture) -> None:
    visit = parse_visit(data()).with_answer("new_address", "秘密の住所")
    log = logging.getLogger("test.visit")
    with caplog.at_level(logging.DEBUG):
        log.debug("visit %s member %r", visit, visit.members[0])
    for text in (repr(visit), str(visit), repr(visit.members[0]), caplog.text):
        assert NAME not in text and BIRTH not in text and ADDRESS not in text and "秘密" not in text
    assert repr(visit) == "Visit(event='tennyu', members=1, answers=1)"
