"""Property tests of the flow on both shipped catalogs, against an independent two-valued oracle.

The oracle evaluates every condition plainly, with every question answered (explicit answers first,
then ``derive``, then a random value for the rest) and the documented rule for questions that are not
asked. For random households, events and answers:
* the engine never crashes and is deterministic;
* a listed procedure holds in every completion of the answers (never listed while false or unknown);
* a pending question applies, is unanswered and cannot be derived, in every completion;
* stale answers (for questions that no longer apply) change nothing;
* answering the questions one by one ends, asks nothing twice, and the final list is exactly what
  the oracle finds — whatever the never-asked questions would have been answered.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from procedures.catalog import Catalog, load_catalog
from procedures.conditions import (
    AllOf,
    AnyMember,
    AnyOf,
    Compare,
    Condition,
    EventIs,
    FactRef,
    Not,
    Op,
)
from procedures.engine import Guidance, guide
from procedures.schema import Question
from procedures.visit import JsonAnswer, Visit, parse_visit

CATALOGS = {name: load_catalog(name) for name in ("default", "sazanami")}
RELATIONSHIPS = ["spouse", "child", "parent", "spouse_parent", "grandparent", "grandchild", "sibling",
                 "child_spouse", "other_relative", "unrelated"]  # fmt: skip
NA = object()
QKey = tuple[str, int | None]
Value = bool | int | str | dt.date


# ---------------------------------------------------------------- the oracle


def oracle_age(birth: dt.date, on: dt.date) -> int:
    had_birthday = (on.month, on.day) >= (birth.month, birth.day)
    return on.year - birth.year - (0 if had_birthday else 1)


def oracle_legal_age(birth: dt.date, on: dt.date) -> int:
    # 年齢計算ニ関スル法律: age k is reached at the end of the day before the k-th birthday (for a
    # 29 February birth in a common year, the birthday is 1 March: the age is reached on 28 February).
    years = 0
    while True:
        year = birth.year + years + 1
        try:
            birthday = birth.replace(year=year)
        except ValueError:
            birthday = dt.date(year, 3, 1)
        if birthday - dt.timedelta(days=1) > on:
            return years
        years += 1


def oracle_school_age(birth: dt.date, on: dt.date) -> int:
    # Cohort: born from 2 April of year Y to 1 April of Y+1 start school together.
    cohort = birth.year if birth >= dt.date(birth.year, 4, 2) else birth.year - 1
    fiscal_year = on.year if on >= dt.date(on.year, 4, 1) else on.year - 1
    return max(fiscal_year - cohort - 1, 0)


class Oracle:
    def __init__(
        self, catalog: Catalog, visit: Visit, subjects: tuple[bool, ...], fill: Mapping[QKey, Value]
    ):
        assert visit.event is not None and visit.event_date is not None
        self.catalog = catalog
        self.visit = visit
        self.event = visit.event
        self.on = visit.event_date
        self.subjects = subjects
        self.fill = fill
        self.given: dict[QKey, JsonAnswer] = {(q, None): v for q, v in visit.answers.items()}
        for i, m in enumerate(visit.members):
            self.given.update({(q, i): v for q, v in m.answers.items()})

    def member_fact(self, name: str, i: int) -> Value:
        m = self.visit.members[i]
        return {
            "age": oracle_age(m.birth_date, self.on),
            "legal_age": oracle_legal_age(m.birth_date, self.on),
            "school_age": oracle_school_age(m.birth_date, self.on),
            "sex": m.sex.value,
            "relationship": m.relationship.value,
            "is_householder": m.relationship.value == "self",
            "is_subject": self.subjects[i],
            "source": m.source.value,
        }[name]

    def fact(self, name: str, i: int | None) -> Value:
        if name == "household_size":
            return len(self.visit.members)
        if name == "subject_count":
            return sum(self.subjects)
        if name in (
            "age",
            "legal_age",
            "school_age",
            "sex",
            "relationship",
            "is_householder",
            "is_subject",
            "source",
        ):
            assert i is not None
            return self.member_fact(name, i)
        fact = self.catalog.facts[name]
        if fact.count is not None:
            return sum(1 for j in range(len(self.visit.members)) if self.holds(fact.count, j))
        assert fact.when is not None
        return self.holds(fact.when, i if fact.scope == "member" else None)

    def answer(self, qid: str, i: int | None) -> object:
        question = self.catalog.questions[qid]
        ctx = i if question.scope == "member" else None
        if not self.holds(question.ask_when, ctx):
            return question.otherwise if question.otherwise is not None else NA
        if (qid, ctx) in self.given:
            raw = self.given[(qid, ctx)]
            return dt.date.fromisoformat(raw) if question.type == "date" and isinstance(raw, str) else raw
        for case in question.derive:
            if self.holds(case.when, ctx):
                return case.value
        return self.fill[(qid, ctx)]

    def holds(self, c: Condition, i: int | None) -> bool:
        match c:
            case AllOf(items=items):
                return all(self.holds(x, i) for x in items)
            case AnyOf(items=items):
                return any(self.holds(x, i) for x in items)
            case Not(item=item):
                return not self.holds(item, i)
            case EventIs(events=events):
                return self.event in events
            case AnyMember(item=item):
                return any(self.holds(item, j) for j in range(len(self.visit.members)))
            case Compare(operand=operand, op=op, value=expected):
                actual = (
                    self.fact(operand.id, i) if isinstance(operand, FactRef) else self.answer(operand.id, i)
                )
                if actual is NA:
                    return False
                return _compare(actual, op, expected)
        raise AssertionError(c)

    def procedures(self) -> dict[str, tuple[int, ...]]:
        """Key → members concerned, for every procedure that holds."""
        found: dict[str, tuple[int, ...]] = {}
        everyone = range(len(self.visit.members))
        for p in self.catalog.procedures.values():
            if p.scope == "member":
                for i in everyone:
                    if self.holds(p.when, i):
                        found[f"{p.id}@{i}"] = (i,)
            elif self.holds(p.when, None):
                if p.members is None:
                    found[p.id] = ()
                else:
                    chosen = tuple(i for i in everyone if self.holds(p.members, i))
                    if chosen:
                        found[p.id] = chosen
        return found


def _same(a: object, b: object) -> bool:
    return type(a) is type(b) and a == b


def _compare(actual: object, op: Op, expected: object) -> bool:
    if op in (Op.IN, Op.NOT_IN):
        assert isinstance(expected, tuple)
        inside = any(_same(actual, e) for e in expected)
        return inside if op is Op.IN else not inside
    if op is Op.EQ:
        return _same(actual, expected)
    if op is Op.NE:
        return not _same(actual, expected)
    if isinstance(actual, bool) or type(actual) is not type(expected):
        return False
    a, b = actual, expected
    assert isinstance(a, int | dt.date) and isinstance(b, int | dt.date)
    return {Op.LT: a < b, Op.LTE: a <= b, Op.GT: a > b, Op.GTE: a >= b}[op]  # type: ignore[operator]


# ---------------------------------------------------------------- strategies


def random_value(question: Question, rng: random.Random) -> JsonAnswer:
    match question.type:
        case "yes_no":
            return rng.random() < 0.5
        case "choice":
            return rng.choice([c.value for c in question.choices])
        case "number":
            return rng.randint(question.min if question.min is not None else 0, question.max or 10)
        case "date":
            return (dt.date(2025, 1, 1) + dt.timedelta(days=rng.randint(0, 700))).isoformat()
        case _:
            return rng.choice(["", "東京都みどり川区1-1", "Singapore"])


def instances(catalog: Catalog, size: int) -> list[QKey]:
    keys: list[QKey] = []
    for q in catalog.questions.values():
        keys += [(q.id, None)] if q.scope == "household" else [(q.id, i) for i in range(size)]
    return keys


@st.composite
def visits(draw: st.DrawFn, catalog: Catalog) -> Visit:
    event = draw(st.sampled_from(sorted(catalog.events)))
    rule = catalog.events[event].subjects
    on = draw(st.dates(dt.date(2024, 1, 1), dt.date(2026, 12, 31)))
    size = draw(st.integers(1, 6))
    with_householder = draw(st.booleans()) or size == 1
    members: list[dict[str, Any]] = []
    for i in range(size):
        members.append(
            {
                "name": f"世帯員{i}",
                "birth_date": draw(st.dates(dt.date(1920, 1, 1), on)).isoformat(),
                "sex": draw(st.sampled_from(["male", "female"])),
                "relationship": "self"
                if i == 0 and with_householder
                else draw(st.sampled_from(RELATIONSHIPS)),
                "source": draw(st.sampled_from(["card", "qr", "typed"])),
            }
        )
    high = size if rule.max is None else min(rule.max, size)
    low = min(max(rule.min, 1 if rule.default == "none" else 0), high)
    count = draw(st.integers(low, high))
    chosen = set(draw(st.permutations(range(size)))[:count])
    for i, m in enumerate(members):
        m["subject"] = i in chosen
    rng = random.Random(draw(st.integers(0, 2**32)))
    answers: dict[str, JsonAnswer] = {}
    density = draw(st.sampled_from([0.0, 0.3, 0.7, 1.0]))
    for qid, index in instances(catalog, size):
        if rng.random() < density:
            value = random_value(catalog.questions[qid], rng)
            if index is None:
                answers[qid] = value
            else:
                members[index].setdefault("answers", {})[qid] = value
    return parse_visit({"event": event, "event_date": on.isoformat(), "members": members, "answers": answers})


def completion(catalog: Catalog, visit: Visit, rng: random.Random) -> dict[QKey, Value]:
    fill: dict[QKey, Value] = {}
    for qid, i in instances(catalog, len(visit.members)):
        raw = random_value(catalog.questions[qid], rng)
        if catalog.questions[qid].type == "date" and isinstance(raw, str):
            fill[(qid, i)] = dt.date.fromisoformat(raw)
        else:
            fill[(qid, i)] = raw
    return fill


def subjects_of(guidance: Guidance, visit: Visit) -> tuple[bool, ...]:
    return tuple(i in guidance.subjects for i in range(len(visit.members)))


SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# ---------------------------------------------------------------- properties


@pytest.mark.parametrize("name", sorted(CATALOGS))
@SETTINGS
@given(data=st.data())
def test_listed_procedures_hold_and_pending_questions_are_needed(name: str, data: st.DataObject) -> None:
    catalog = CATALOGS[name]
    visit = data.draw(visits(catalog))
    guidance = guide(catalog, visit)
    assert guide(catalog, visit).to_json() == guidance.to_json()  # deterministic
    subjects = subjects_of(guidance, visit)
    given_keys = {(q, None) for q in visit.answers} | {
        (q, i) for i, m in enumerate(visit.members) for q in m.answers
    }
    rng = random.Random(data.draw(st.integers(0, 2**32)))
    listed = {p.key: p.members for p in guidance.procedures}
    for _ in range(3):
        oracle = Oracle(catalog, visit, subjects, completion(catalog, visit, rng))
        truth = oracle.procedures()
        for key, members in listed.items():
            assert key in truth, f"{key} listed but false for some answers"
            assert set(members) <= set(truth[key]), key
        for pending in guidance.questions:
            question = pending.question
            assert pending.key not in given_keys, f"{pending.key} is already answered"
            ctx = pending.member if question.scope == "member" else None
            assert oracle.holds(question.ask_when, ctx), f"{pending.key} asked although it does not apply"
            for case in question.derive:
                assert not oracle.holds(case.when, ctx), f"{pending.key} asked although derivable"
    # Stale answers change nothing.
    trimmed = visit
    for qid, member in guidance.ignored_answers:
        trimmed = trimmed.without_answer(qid, member)
    again = guide(catalog, trimmed)
    assert again.procedure_keys() == guidance.procedure_keys()
    assert [q.key for q in again.questions] == [q.key for q in guidance.questions]
    assert again.ignored_answers == ()


@pytest.mark.parametrize("name", sorted(CATALOGS))
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_flow_ends_asks_once_and_lists_exactly_the_true_procedures(
    name: str, data: st.DataObject
) -> None:
    catalog = CATALOGS[name]
    visit = data.draw(visits(catalog))
    rng = random.Random(data.draw(st.integers(0, 2**32)))
    asked: set[QKey] = set()
    guidance = guide(catalog, visit)
    while not guidance.complete:
        pending = guidance.questions[0]
        assert pending.key not in asked, f"{pending.key} asked twice"
        asked.add(pending.key)
        visit = visit.with_answer(pending.id, random_value(pending.question, rng), pending.member)
        guidance = guide(catalog, visit)
        assert len(asked) <= len(instances(catalog, len(visit.members)))
    subjects = subjects_of(guidance, visit)
    listed = {p.key: p.members for p in guidance.procedures}
    for _ in range(3):
        truth = Oracle(catalog, visit, subjects, completion(catalog, visit, rng)).procedures()
        assert listed.keys() == truth.keys()
        for key, members in listed.items():
            assert members == truth[key], key
    for needed in guidance.procedures:
        assert "?" not in needed.reason


def test_oracle_school_age_agrees_with_the_law_on_the_boundaries() -> None:
    on = dt.date(2025, 6, 2)
    assert oracle_school_age(dt.date(2019, 4, 1), on) == 6  # 4/1 births enter school a year earlier
    assert oracle_school_age(dt.date(2019, 4, 2), on) == 5
    assert oracle_age(dt.date(2000, 2, 29), dt.date(2025, 2, 28)) == 24
    assert oracle_age(dt.date(2000, 2, 29), dt.date(2025, 3, 1)) == 25
