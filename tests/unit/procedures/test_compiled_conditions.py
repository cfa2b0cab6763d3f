"""The compiled conditions give exactly the Guidance the plain tree walk gave, on many generated visits.

The engine compiles every catalog condition once into plain functions and memoises answers and facts by
call arguments (issue 22); a compiled ``all`` stops at its first false part and ``any`` at its first
true one. The reference below is the straightforward evaluation the engine had before:
each node matched and walked on every call, answers and facts looked up through their scope each time.
Both run the same visits — random households, events and answers on both shipped catalogs, and every
step of answering the pending questions one by one — and must agree on everything ``guide`` returns.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from procedures import engine
from procedures.conditions import (
    AllOf,
    AnswerRef,
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
from procedures.errors import ProceduresError
from procedures.evaluation import (
    NOT_APPLICABLE,
    UNKNOWN,
    AnswerState,
    Evaluator,
    FactValue,
    Interval,
    Tri,
    _value_test,
    compare_interval,
    compare_value,
    kleene_all,
    kleene_any,
)
from procedures.visit import Visit
from tests.unit.procedures.test_properties import CATALOGS, random_value, visits


class ReferenceEvaluator(Evaluator):
    """The evaluation as it was before compiling: a tree walk per call evaluating every part of an
    ``all``/``any`` (no short cut), no call-argument memo."""

    def holds(self, condition: Condition, member: int | None) -> Tri:
        cache_key = (id(condition), member)
        if cache_key in self._holds:
            return self._holds[cache_key]
        result = self._walk(condition, member)
        self._holds[cache_key] = result
        return result

    def _walk(self, condition: Condition, member: int | None) -> Tri:
        match condition:
            case AllOf(items=items):
                return kleene_all([self.holds(item, member) for item in items])
            case AnyOf(items=items):
                return kleene_any([self.holds(item, member) for item in items])
            case Not(item=item):
                inner = self.holds(item, member)
                return None if inner is None else not inner
            case EventIs(events=events):
                return self.event.id in events
            case AnyMember(item=item):
                return kleene_any([self.holds(item, m) for m in range(self.size)])
            case Compare(operand=operand, op=op, value=expected):
                actual = (
                    self.fact(operand.id, member)
                    if isinstance(operand, FactRef)
                    else self.answer(operand.id, member)
                )
                if actual is UNKNOWN:
                    return None
                if actual is NOT_APPLICABLE:
                    return False
                if isinstance(actual, Interval):
                    return compare_interval(actual, op, expected)
                assert actual is not UNKNOWN and actual is not NOT_APPLICABLE
                return compare_value(actual, op, expected)  # type: ignore[arg-type]
        raise ProceduresError(f"unknown condition node {type(condition).__name__}")

    def answer(self, question_id: str, member: int | None) -> AnswerState:
        return self._answer(question_id, member)

    def fact(self, fact_id: str, member: int | None) -> FactValue:
        return self._fact(fact_id, member)


def reference_guide(monkeypatch: pytest.MonkeyPatch, visit: Visit, name: str) -> Guidance:
    with monkeypatch.context() as patch:
        patch.setattr(engine, "Evaluator", ReferenceEvaluator)
        return guide(CATALOGS[name], visit)


def assert_same(fast: Guidance, slow: Guidance) -> None:
    assert fast == slow
    assert fast.to_json() == slow.to_json()
    assert dict(fast.known_answers) == dict(slow.known_answers)
    assert [type(v) for v in fast.known_answers.values()] == [type(v) for v in slow.known_answers.values()]
    for a, b in zip(fast.procedures, slow.procedures, strict=True):
        assert a.deadline == b.deadline
        assert a.reason == b.reason and a.reason_en == b.reason_en


def test_the_reference_really_walks_the_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    # Guard against a reference that silently delegates to the compiled path.
    catalog = CATALOGS["default"]
    calls: list[Condition] = []
    original = ReferenceEvaluator._walk

    def counting(self: ReferenceEvaluator, condition: Condition, member: int | None) -> Tri:
        calls.append(condition)
        return original(self, condition, member)

    monkeypatch.setattr(ReferenceEvaluator, "_walk", counting)
    visit = Visit.model_validate(
        {
            "event": "tennyu",
            "event_date": "2025-06-02",
            "members": [
                {"name": "見本　一郎", "birth_date": "1982-05-05", "sex": "male", "relationship": "self"}
            ],
        }
    )
    with monkeypatch.context() as patch:
        patch.setattr(engine, "Evaluator", ReferenceEvaluator)
        guide(catalog, visit)
    assert any(isinstance(c, Compare) for c in calls)
    assert any(isinstance(c, AllOf) and c.items for c in calls)


@pytest.mark.parametrize("name", sorted(CATALOGS))
@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_compiled_guidance_equals_the_tree_walk_through_the_whole_flow(
    name: str, data: st.DataObject, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalog = CATALOGS[name]
    visit = data.draw(visits(catalog))
    rng = random.Random(data.draw(st.integers(0, 2**32)))
    for _ in range(40):
        fast = guide(catalog, visit)
        assert_same(fast, reference_guide(monkeypatch, visit, name))
        if fast.complete:
            break
        pending = fast.questions[rng.randrange(len(fast.questions))]
        visit = visit.with_answer(pending.id, random_value(pending.question, rng), pending.member)


def _values() -> Iterator[object]:
    yield from (True, False, 0, 1, 2, 3, 7, -1, "", "a", "kokuho", "1")
    yield from (dt.date(2025, 6, 1), dt.date(2025, 6, 2), dt.date(2024, 2, 29))


def test_specialised_comparisons_equal_compare_value_for_every_value_and_operator() -> None:
    literals = list(_values())
    lists = [("a", "kokuho"), ("1",), (1, 2), (True,), ("a", 1), (dt.date(2025, 6, 1), "a")]
    checked = 0
    for op in Op:
        expectations = lists if op.takes_list else literals
        for expected, actual in itertools.product(expectations, literals):
            test = _value_test(op, expected)  # type: ignore[arg-type]
            assert test(actual) is compare_value(actual, op, expected), (actual, op, expected)  # type: ignore[arg-type]
            checked += 1
    assert checked > 500


def test_a_condition_built_outside_the_catalog_is_compiled_and_evaluated_too() -> None:
    catalog = CATALOGS["default"]
    visit = Visit.model_validate(
        {
            "event": "tennyu",
            "event_date": "2025-06-02",
            "members": [
                {"name": "見本　一郎", "birth_date": "1982-05-05", "sex": "male", "relationship": "self"}
            ],
        }
    )
    event = catalog.events["tennyu"]
    fast = Evaluator(catalog, event, dt.date(2025, 6, 2), visit.members, (True,), {})
    slow = ReferenceEvaluator(catalog, event, dt.date(2025, 6, 2), visit.members, (True,), {})
    conditions: list[Condition] = [
        AllOf((Compare(FactRef("age"), Op.GTE, 43), EventIs(("tennyu",)))),
        AllOf((Compare(FactRef("age"), Op.GTE, 44), EventIs(("tennyu",)))),
        AnyOf((Not(EventIs(("tenshutsu",))),)),
        AnyMember(Compare(FactRef("sex"), Op.IN, ("female",))),
        Compare(AnswerRef(next(iter(catalog.questions))), Op.EQ, True),
    ]
    for condition in conditions:
        member = 0 if isinstance(condition, AllOf) else None
        assert fast.holds(condition, member) is slow.holds(condition, member)
    assert [fast.holds(c, 0) for c in conditions[:3]] == [True, False, True]
