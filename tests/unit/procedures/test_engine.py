"""The flow engine on the default catalog: recomputation, derivation, order, partial knowledge, errors."""

from __future__ import annotations

import datetime as dt

import pytest

from procedures.catalog import Catalog, load_catalog
from procedures.engine import guide
from procedures.errors import AnswerError, SubjectCountError, UnknownEventError, VisitFormatError
from procedures.visit import Visit
from tests.unit.procedures.flow import answered, member, visit

D = "2025-06-02"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def couple(source: str = "typed") -> Visit:
    return visit("tennyu", D, member("self", "1980-01-01", "male", source), member("spouse", "1982-01-01"))


def test_first_questions_come_in_catalog_order_member_by_member(catalog: Catalog) -> None:
    guidance = guide(catalog, couple())
    keys = [q.key for q in guidance.questions]
    # Household questions first ("does anyone…", "the same for everyone?"); per-member ones only on a split.
    assert keys[:5] == [
        ("arrival", None),  # previous address and nationality in one question
        ("household_cards", None),
        ("inkan_who", None),
        ("household_insurance", None),
        ("techou_or_dog", None),
    ]
    assert not any(member is not None for _, member in keys)
    assert {"kokugai_tennyu", "tennyu_todoke", "nenkin_kanyu_kokugai", "zairyu_card_jusho"} <= set(
        guidance.questions[0].needed_for
    )
    # new_address is only collected once the notification it is printed on is known.
    assert ("new_address", None) not in keys
    after = guide(catalog, answered(couple(), {"from_abroad": False, "household_cards": "none"}))
    assert "tennyu_todoke" in after.procedure_keys()  # nobody has a card: no special (card) moving-in
    assert ("new_address", None) in [q.key for q in after.questions]
    split = guide(catalog, couple().with_answer("household_cards", "some"))
    assert ("has_mynumber_card", 0) in [q.key for q in split.questions]


def test_an_answer_read_from_the_card_is_not_asked(catalog: Catalog) -> None:
    guidance = guide(catalog, couple(source="card"))
    assert ("has_mynumber_card", 0) not in [q.key for q in guidance.questions]
    assert ("has_mynumber_card", 1) in [q.key for q in guidance.questions]


def test_an_explicit_answer_overrides_the_derived_one(catalog: Catalog) -> None:
    base = couple(source="card").with_answer("from_abroad", False)
    assert "mynumber_keizoku@0" in guide(catalog, base).procedure_keys()
    overridden = base.with_answer("has_mynumber_card", False, 0)
    assert "mynumber_keizoku@0" not in guide(catalog, overridden).procedure_keys()


def test_changing_an_earlier_answer_recomputes_everything(catalog: Catalog) -> None:
    start = answered(
        couple(),
        {
            "from_abroad": False,
            "tokurei_tennyu": False,
            "has_dog": True,
            "dog_count": 3,
            "has_mynumber_card@0": True,
        },
    )
    first = guide(catalog, start)
    assert {"tennyu_todoke", "inu_tennyu", "mynumber_keizoku@0"} <= first.procedure_keys()
    inu = next(p for p in first.procedures if p.id == "inu_tennyu")
    assert inu.reason == "犬(3頭)を飼っていて、犬の所在地が変わったため"

    changed = guide(catalog, start.with_answer("has_dog", False).with_answer("from_abroad", True))
    keys = changed.procedure_keys()
    assert "inu_tennyu" not in keys and "tennyu_todoke" not in keys and "mynumber_keizoku@0" not in keys
    assert "kokugai_tennyu" in keys
    # The stale answers are reported, not used; removing them changes nothing.
    assert {("dog_count", None), ("tokurei_tennyu", None)} <= set(changed.ignored_answers)
    trimmed = (
        start.with_answer("has_dog", False)
        .with_answer("from_abroad", True)
        .without_answer("dog_count")
        .without_answer("tokurei_tennyu")
    )
    assert guide(catalog, trimmed).procedure_keys() == keys


def test_a_procedure_is_listed_as_soon_as_it_is_certain(catalog: Catalog) -> None:
    partial = answered(
        couple(), {"from_abroad": False, "household_insurance": "mixed", "insurance@0": "kokuho"}
    )
    guidance = guide(catalog, partial)
    kokuho = next(p for p in guidance.procedures if p.id == "kokuho_kanyu")
    assert kokuho.members == (0,)
    assert kokuho.reason == "国民健康保険に加入する方(1人)が転入したため"
    # ... and the other member is still asked, to complete the list of people concerned.
    pending = next(q for q in guidance.questions if q.key == ("insurance", 1))
    assert pending.needed_for == ("kokuho_kanyu",)


def test_nothing_is_listed_while_unknown(catalog: Catalog) -> None:
    guidance = guide(catalog, couple())
    assert guidance.procedure_keys() == {"suidou_kaishi"}  # the only one that needs no answer
    assert not guidance.complete and guidance.next_question is not None


def test_deadline_from_a_date_answer(catalog: Catalog) -> None:
    death = visit("shibou", D, member("self", "1960-01-01", "male", subject=True))
    start = answered(death, {"death_registered": True, "insurance@0": "kokuho"})
    guidance = guide(catalog, start)
    sousaihi = next(p for p in guidance.procedures if p.key == "sousaihi_kokuho@0")
    assert sousaihi.deadline is not None and sousaihi.deadline.date is None
    assert ("funeral_date", None) in [q.key for q in guidance.questions]
    dated = guide(catalog, start.with_answer("funeral_date", "2025-06-10"))
    sousaihi = next(p for p in dated.procedures if p.key == "sousaihi_kokuho@0")
    assert sousaihi.deadline is not None and sousaihi.deadline.date == dt.date(2027, 6, 10)


def test_json_output(catalog: Catalog) -> None:
    data = guide(catalog, answered(couple(), {"from_abroad": False, "tokurei_tennyu": False})).to_json()
    assert data["catalog"] == "midorigawa" and data["event"]["id"] == "tennyu" and data["event_date"] == D
    assert data["complete"] is False and data["subjects"] == [0, 1]
    question = data["questions"][0]
    assert set(question) >= {"id", "member", "type", "text", "text_en", "needed_for"}
    todoke = next(p for p in data["procedures"] if p["id"] == "tennyu_todoke")
    assert todoke["counter"]["place"] == "本庁舎1階 1番窓口"
    assert todoke["deadline"]["date"] == "2025-06-16"
    assert todoke["forms"] == ["jumin_idou"] and todoke["members"] == []
    assert todoke["bring"][0]["id"] == "id_document"
    assert todoke["sources"][0].startswith("https://")


# ---------------------------------------------------------------- errors


def test_unknown_or_missing_event(catalog: Catalog) -> None:
    with pytest.raises(UnknownEventError) as caught:
        guide(catalog, couple().model_copy(update={"event": "hikkoshi"}))
    assert caught.value.event_id == "hikkoshi" and "tennyu" in caught.value.known
    with pytest.raises(UnknownEventError):
        guide(catalog, couple().model_copy(update={"event": None}))


def test_missing_event_date(catalog: Catalog) -> None:
    with pytest.raises(VisitFormatError) as caught:
        guide(catalog, couple().model_copy(update={"event_date": None}))
    assert caught.value.location == "event_date"
    assert "転入した日" in caught.value.problem


@pytest.mark.parametrize(
    ("question", "value", "member_index", "problem"),
    [
        ("from_abroad", "はい", None, "はい/いいえ(true か false)で答えてください"),
        ("dog_count", 0, None, "1以上の数で答えてください"),
        ("dog_count", True, None, "整数で答えてください"),
        ("insurance", "kenpo", 1, "選択肢(kokuho、employee、welfare、other)のどれかで答えてください"),
        ("funeral_date", "2025/06/10", None, "日付を YYYY-MM-DD の形で答えてください"),
        ("new_address", 5, None, "文字で答えてください"),
        ("no_such_question", True, None, "このカタログにない質問です"),
        ("insurance", "kokuho", None, "世帯員ごとの質問です。members[n].answers に書いてください"),
        ("has_dog", True, 0, "世帯全体の質問です。いちばん外側の answers に書いてください"),
    ],
)
def test_answers_that_do_not_fit(
    catalog: Catalog, question: str, value: object, member_index: int | None, problem: str
) -> None:
    broken = couple()
    if member_index is None:
        broken = broken.model_copy(update={"answers": {question: value}})
    else:
        target = broken.members[member_index].model_copy(update={"answers": {question: value}})
        members = list(broken.members)
        members[member_index] = target
        broken = broken.model_copy(update={"members": tuple(members)})
    with pytest.raises(AnswerError) as caught:
        guide(catalog, broken)
    assert (caught.value.question_id, caught.value.member, caught.value.problem) == (
        question,
        member_index,
        problem,
    )


def test_subjects_must_fit_the_event(catalog: Catalog) -> None:
    nobody = visit("shibou", D, member("self", "1960-01-01"), member("spouse", "1962-01-01"))
    with pytest.raises(SubjectCountError) as caught:
        guide(catalog, nobody)
    assert (caught.value.count, caught.value.minimum, caught.value.maximum) == (0, 1, 1)
    assert caught.value.label == "亡くなった方"
    two = visit(
        "shibou", D, member("self", "1960-01-01", subject=True), member("spouse", "1962-01-01", subject=True)
    )
    with pytest.raises(SubjectCountError):
        guide(catalog, two)
