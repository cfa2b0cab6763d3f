"""Three-valued evaluation of catalog conditions over one visit (true / false / not yet known).

A condition is *unknown* while a question it needs is unanswered. Unknowns follow Kleene's logic:
``all`` is false as soon as one part is false, ``any`` true as soon as one part is true, so a
question whose answer cannot change the outcome is never needed. :meth:`Evaluator.blockers` names
the unanswered questions (per household or per member) that keep a condition unknown — the engine
asks exactly those.

Answers:
* a question whose ``ask_when`` is false is *not applicable*: every comparison on it is false (so
  ``not: {answer: q}`` is true), unless the question gives an ``otherwise`` value. An answer stored
  for it is ignored — this is how a changed earlier answer leaves nothing stale behind;
* a question whose ``ask_when`` is still unknown waits for the questions that decide it;
* an explicit answer wins; otherwise the first ``derive`` case that holds gives the answer without
  asking (e.g. a member read from a My Number card has a card).

Counts (``count`` facts) are intervals while some members are undecided: "at least 1 child under 15"
can be true before every member's answer is in.

Speed (issue 22): every condition node is compiled once per catalog into a plain function (kept on the
catalog object, see :func:`catalog_cache`); an :class:`Evaluator` memoises conditions, answers and facts
for its one visit. ``tests/unit/procedures/test_compiled_conditions.py`` checks the result against the
plain tree walk.
"""

from __future__ import annotations

import datetime as dt
import operator
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, TypeGuard, TypeVar

from procedures.builtin_facts import BUILTIN_FACTS, age_on, legal_age_on, school_age_on
from procedures.catalog import Catalog
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
from procedures.errors import CatalogCycleError, ProceduresError
from procedures.schema import Event, Question
from procedures.visit import Member

Value = bool | int | str | dt.date
QKey = tuple[str, int | None]
"""A question instance: (question id, member index) — member ``None`` for a household question."""


class _Marker:
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


UNKNOWN: Final = _Marker("UNKNOWN")
"""Not known yet: an unanswered question (or one whose prerequisites are unanswered)."""
NOT_APPLICABLE: Final = _Marker("NOT_APPLICABLE")
"""A question that is not asked in this visit (its ``ask_when`` is false) and has no ``otherwise``."""

Tri = bool | None


@dataclass(frozen=True, slots=True)
class Interval:
    """A count known to lie in ``lo..hi`` (inclusive)."""

    lo: int
    hi: int


FactValue = Value | Interval | _Marker
AnswerState = Value | _Marker


def is_value(state: AnswerState) -> TypeGuard[Value]:
    """Whether an answer state is a value (neither unknown yet nor not applicable)."""
    return not isinstance(state, _Marker)


def kleene_all(values: Sequence[Tri]) -> Tri:
    if any(v is False for v in values):
        return False
    return None if any(v is None for v in values) else True


def kleene_any(values: Sequence[Tri]) -> Tri:
    if any(v is True for v in values):
        return True
    return None if any(v is None for v in values) else False


def same_value(a: Value, b: Value) -> bool:
    """Equality that keeps ``True`` apart from ``1`` (Python's bool is an int)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, dt.date) != isinstance(b, dt.date):
        return False
    return a == b


def _ordered(a: Value, op: Op, b: Value) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return False
    if isinstance(a, int) and isinstance(b, int):
        x, y = a, b
    elif isinstance(a, dt.date) and isinstance(b, dt.date):
        x, y = a.toordinal(), b.toordinal()
    else:
        return False
    match op:
        case Op.LT:
            return x < y
        case Op.LTE:
            return x <= y
        case Op.GT:
            return x > y
        case _:
            return x >= y


def compare_value(actual: Value, op: Op, expected: Value | tuple[Value, ...]) -> bool:
    if op.takes_list:
        assert isinstance(expected, tuple)
        found = any(same_value(actual, e) for e in expected)
        return found if op is Op.IN else not found
    assert not isinstance(expected, tuple)
    if op is Op.EQ:
        return same_value(actual, expected)
    if op is Op.NE:
        return not same_value(actual, expected)
    return _ordered(actual, op, expected)


def compare_interval(actual: Interval, op: Op, expected: Value | tuple[Value, ...]) -> Tri:
    lo, hi = actual.lo, actual.hi
    if op.takes_list:
        assert isinstance(expected, tuple)
        numbers = {e for e in expected if isinstance(e, int) and not isinstance(e, bool)}
        if lo == hi:
            inside: Tri = lo in numbers
        elif not any(lo <= n <= hi for n in numbers):
            inside = False
        else:
            inside = None
        return inside if op is Op.IN or inside is None else not inside
    if isinstance(expected, bool) or not isinstance(expected, int):
        return False
    n = expected
    match op:
        case Op.EQ | Op.NE:
            equal: Tri = True if lo == hi == n else (False if n < lo or n > hi else None)
            return equal if op is Op.EQ or equal is None else not equal
        case Op.LT:
            return True if hi < n else (False if lo >= n else None)
        case Op.LTE:
            return True if hi <= n else (False if lo > n else None)
        case Op.GT:
            return True if lo > n else (False if hi <= n else None)
        case _:
            return True if lo >= n else (False if hi < n else None)


# ---------------------------------------------------------------- compiled conditions

Compiled = Callable[["Evaluator", int | None], Tri]
"""A condition turned into a plain function of (evaluator, member) giving the same result as walking it."""

_T = TypeVar("_T")
_CACHE_LOCK = threading.Lock()


def catalog_cache(catalog: Catalog, name: str, build: Callable[[], _T]) -> _T:
    """A value derived from ``catalog`` only, built once and kept on the catalog object.

    A catalog is immutable (a frozen dataclass of validated models), so anything computed from it alone
    stays valid for its lifetime; stored in the instance dict like :func:`functools.cached_property`,
    it is never compared, printed or copied to a new catalog.
    """
    slot = f"_engine_cache_{name}"
    cached = catalog.__dict__.get(slot)
    if cached is None:
        with _CACHE_LOCK:
            cached = catalog.__dict__.get(slot)
            if cached is None:
                cached = build()
                object.__setattr__(catalog, slot, cached)
    return cached


class ConditionProgram:
    """The compiled form of every condition met so far in one catalog, keyed by the node's identity.

    Each entry keeps its node alive, so an ``id`` cannot be reused for another node while cached; the
    identity check guards against a node passed in from outside the catalog.
    """

    def __init__(self) -> None:
        self.functions: dict[int, tuple[Condition, Compiled]] = {}
        """``id(node)`` → (the node, its function); read directly by :meth:`Evaluator.holds`."""

    def get(self, condition: Condition) -> Compiled:
        entry = self.functions.get(id(condition))
        if entry is not None and entry[0] is condition:
            return entry[1]
        function = _compile(condition, self)
        self.functions[id(condition)] = (condition, function)
        return function


def condition_program(catalog: Catalog) -> ConditionProgram:
    return catalog_cache(catalog, "conditions", ConditionProgram)


_ORDERED: Final[dict[Op, Callable[[Any, Any], bool]]] = {
    Op.LT: operator.lt,
    Op.LTE: operator.le,
    Op.GT: operator.gt,
    Op.GTE: operator.ge,
}


def _value_test(op: Op, expected: Value | tuple[Value, ...]) -> Callable[[Value], bool]:
    """``compare_value(actual, op, expected)`` specialised for one comparison (same result for any value)."""
    if op is Op.EQ and isinstance(expected, bool):
        # same_value with a bool: only the same bool matches (bools are singletons).
        return lambda actual: actual is expected
    if op is Op.NE and isinstance(expected, bool):
        return lambda actual: actual is not expected
    if op is Op.EQ and isinstance(expected, str):
        # A bool, a number or a date never equals text; text equals text by ==.
        return lambda actual: actual == expected
    if op is Op.NE and isinstance(expected, str):
        return lambda actual: actual != expected
    if op.takes_list and isinstance(expected, tuple) and all(isinstance(e, str) for e in expected):
        texts = frozenset(expected)
        if op is Op.IN:
            return lambda actual: isinstance(actual, str) and actual in texts
        return lambda actual: not (isinstance(actual, str) and actual in texts)
    if op.ordered and isinstance(expected, int) and not isinstance(expected, bool):
        order = _ORDERED[op]
        number = expected
        return lambda actual: (
            isinstance(actual, int) and not isinstance(actual, bool) and order(actual, number)
        )
    return lambda actual: compare_value(actual, op, expected)


def _compile(condition: Condition, program: ConditionProgram) -> Compiled:
    """One function for ``condition`` giving the result of Kleene's ``all``/``any`` over its parts.

    ``all`` stops at the first false part and ``any`` (and ``any_member``) at the first true one. The
    result is the same as evaluating every part: evaluation has no side effect but memoisation, and the
    only errors it can raise (a cycle between questions and facts, a member value read without a member,
    an unknown id) are refused by ``catalog check``, which :func:`procedures.catalog.load_catalog` runs.
    """
    match condition:
        case AllOf(items=items):
            parts = tuple(program.get(item) for item in items)

            def all_of(ev: Evaluator, member: int | None) -> Tri:
                unknown = False
                for part in parts:
                    result = part(ev, member)
                    if result is False:
                        return False
                    if result is None:
                        unknown = True
                return None if unknown else True

            return all_of
        case AnyOf(items=items):
            parts = tuple(program.get(item) for item in items)

            def any_of(ev: Evaluator, member: int | None) -> Tri:
                unknown = False
                for part in parts:
                    result = part(ev, member)
                    if result is True:
                        return True
                    if result is None:
                        unknown = True
                return None if unknown else False

            return any_of
        case Not(item=item):
            inner = program.get(item)

            def not_(ev: Evaluator, member: int | None) -> Tri:
                result = inner(ev, member)
                return None if result is None else not result

            return not_
        case EventIs(events=events):
            return lambda ev, member: ev.event.id in events
        case AnyMember(item=item):
            body = program.get(item)

            def any_member(ev: Evaluator, member: int | None) -> Tri:
                unknown = False
                for other in range(ev.size):
                    result = body(ev, other)
                    if result is True:
                        return True
                    if result is None:
                        unknown = True
                return None if unknown else False

            return any_member
        case Compare():
            return _compile_compare(condition)

    def unknown_node(ev: Evaluator, member: int | None) -> Tri:
        raise ProceduresError(f"unknown condition node {type(condition).__name__}")

    return unknown_node


def _compile_compare(condition: Compare) -> Compiled:
    """A comparison of a fact or an answer, with the test specialised for its operator and value."""
    op, expected = condition.op, condition.value
    test = _value_test(op, expected)
    if isinstance(condition.operand, FactRef):
        fact_id = condition.operand.id

        def fact_compare(ev: Evaluator, member: int | None) -> Tri:
            try:
                actual = ev._fact_calls[(fact_id, member)]
            except KeyError:
                actual = ev.fact(fact_id, member)
            if actual is UNKNOWN:
                return None
            if actual is NOT_APPLICABLE:
                return False
            if isinstance(actual, Interval):
                return compare_interval(actual, op, expected)
            assert not isinstance(actual, _Marker)
            return test(actual)

        return fact_compare
    question_id = condition.operand.id

    def answer_compare(ev: Evaluator, member: int | None) -> Tri:
        actual = ev.answer(question_id, member)
        if actual is UNKNOWN:
            return None
        if actual is NOT_APPLICABLE:
            return False
        assert not isinstance(actual, _Marker)
        return test(actual)

    return answer_compare


class Evaluator:
    """Evaluates one visit against one catalog; every result is memoised for the visit's lifetime."""

    def __init__(
        self,
        catalog: Catalog,
        event: Event,
        event_date: dt.date,
        members: Sequence[Member],
        subjects: Sequence[bool],
        answers: Mapping[QKey, Value],
    ) -> None:
        self.catalog = catalog
        self.event = event
        self.event_date = event_date
        self.members = tuple(members)
        self.size = len(self.members)
        self.answers = answers
        self._member_facts: list[dict[str, Value]] = [
            {
                "age": age_on(m.birth_date, event_date),
                "legal_age": legal_age_on(m.birth_date, event_date),
                "school_age": school_age_on(m.birth_date, event_date),
                "sex": m.sex.value,
                "relationship": m.relationship.value,
                "is_householder": m.householder,
                "is_subject": subjects[i],
                "source": m.source.value,
            }
            for i, m in enumerate(self.members)
        ]
        self._household_facts: dict[str, Value] = {
            "household_size": self.size,
            "subject_count": sum(1 for s in subjects if s),
        }
        self._holds: dict[tuple[int, int | None], Tri] = {}
        self._blockers: dict[tuple[int, int | None], frozenset[QKey]] = {}
        self._answers: dict[QKey, AnswerState] = {}
        self._facts: dict[tuple[str, int | None], FactValue] = {}
        self._in_progress: list[str] = []
        self._program = condition_program(catalog)
        self._compiled = self._program.functions
        # The same results again, keyed by the arguments as called (no scope lookup on a hit).
        self._answer_calls: dict[tuple[str, int | None], AnswerState] = {}
        self._fact_calls: dict[tuple[str, int | None], FactValue] = {}

    # ------------------------------------------------------------ keys

    def key(self, question_id: str, member: int | None) -> QKey:
        """The instance of a question in a context: household questions ignore the member."""
        question = self.catalog.questions[question_id]
        if question.scope == "household":
            return (question_id, None)
        if member is None:
            raise ProceduresError(f"member question {question_id!r} read without a member")
        return (question_id, member)

    # ------------------------------------------------------------ conditions

    def holds(self, condition: Condition, member: int | None) -> Tri:
        cache_key = (id(condition), member)
        try:
            return self._holds[cache_key]
        except KeyError:
            pass
        entry = self._compiled.get(cache_key[0])
        function = entry[1] if entry is not None and entry[0] is condition else self._program.get(condition)
        result = function(self, member)
        self._holds[cache_key] = result
        return result

    def blockers(self, condition: Condition, member: int | None) -> frozenset[QKey]:
        """The unanswered question instances that keep ``condition`` unknown (empty if it is decided)."""
        if self.holds(condition, member) is not None:
            return frozenset()
        cache_key = (id(condition), member)
        cached = self._blockers.get(cache_key)
        if cached is not None:
            return cached
        result: frozenset[QKey]
        match condition:
            case AllOf(items=items) | AnyOf(items=items):
                result = frozenset().union(*(self.blockers(item, member) for item in items))
            case Not(item=item):
                result = self.blockers(item, member)
            case AnyMember(item=item):
                result = frozenset().union(*(self.blockers(item, m) for m in range(self.size)))
            case Compare(operand=FactRef(id=fact_id)):
                result = self.fact_blockers(fact_id, member)
            case Compare(operand=AnswerRef(id=question_id)):
                result = self.answer_blockers(question_id, member)
            case _:
                result = frozenset()
        self._blockers[cache_key] = result
        return result

    # ------------------------------------------------------------ answers

    def question_context(self, question: Question, member: int | None) -> int | None:
        return member if question.scope == "member" else None

    def asked(self, question_id: str, member: int | None) -> Tri:
        """Whether the question applies in this visit (its ``ask_when``), for that member."""
        question = self.catalog.questions[question_id]
        return self.holds(question.ask_when, self.question_context(question, member))

    def answer(self, question_id: str, member: int | None) -> AnswerState:
        call = (question_id, member)
        try:
            return self._answer_calls[call]
        except KeyError:
            pass
        state = self._answer(question_id, member)
        self._answer_calls[call] = state
        return state

    def _answer(self, question_id: str, member: int | None) -> AnswerState:
        key = self.key(question_id, member)
        if key in self._answers:
            return self._answers[key]
        label = f"question:{question_id}"
        if label in self._in_progress:
            raise CatalogCycleError([*self._in_progress[self._in_progress.index(label) :], label])
        self._in_progress.append(label)
        try:
            state = self._resolve_answer(self.catalog.questions[question_id], key)
        finally:
            self._in_progress.pop()
        self._answers[key] = state
        return state

    def _resolve_answer(self, question: Question, key: QKey) -> AnswerState:
        context = key[1]
        applies = self.holds(question.ask_when, context)
        if applies is False:
            return question.otherwise if question.otherwise is not None else NOT_APPLICABLE
        if applies is None:
            return UNKNOWN
        if key in self.answers:
            return self.answers[key]
        for case in question.derive:
            derived = self.holds(case.when, context)
            if derived is None:
                return UNKNOWN
            if derived:
                return case.value
        return UNKNOWN

    def answer_blockers(self, question_id: str, member: int | None) -> frozenset[QKey]:
        key = self.key(question_id, member)
        question = self.catalog.questions[question_id]
        context = key[1]
        applies = self.holds(question.ask_when, context)
        if applies is None:
            return self.blockers(question.ask_when, context)
        if applies is False or key in self.answers:
            return frozenset()
        for case in question.derive:
            derived = self.holds(case.when, context)
            if derived is None:
                return self.blockers(case.when, context)
            if derived:
                return frozenset()
        return frozenset({key})

    # ------------------------------------------------------------ facts

    def fact(self, fact_id: str, member: int | None) -> FactValue:
        call = (fact_id, member)
        try:
            return self._fact_calls[call]
        except KeyError:
            pass
        value = self._fact(fact_id, member)
        self._fact_calls[call] = value
        return value

    def _fact(self, fact_id: str, member: int | None) -> FactValue:
        builtin = BUILTIN_FACTS.get(fact_id)
        if builtin is not None:
            if builtin.scope == "household":
                return self._household_facts[fact_id]
            if member is None:
                raise ProceduresError(f"member fact {fact_id!r} read without a member")
            return self._member_facts[member][fact_id]
        fact = self.catalog.facts[fact_id]
        context = member if fact.scope == "member" else None
        if fact.scope == "member" and member is None:
            raise ProceduresError(f"member fact {fact_id!r} read without a member")
        cache_key = (fact_id, context)
        if cache_key in self._facts:
            return self._facts[cache_key]
        label = f"fact:{fact_id}"
        if label in self._in_progress:
            raise CatalogCycleError([*self._in_progress[self._in_progress.index(label) :], label])
        self._in_progress.append(label)
        try:
            value: FactValue
            if fact.count is not None:
                states = [self.holds(fact.count, m) for m in range(self.size)]
                lo = sum(1 for s in states if s is True)
                hi = lo + sum(1 for s in states if s is None)
                value = lo if lo == hi else Interval(lo, hi)
            else:
                assert fact.when is not None
                state = self.holds(fact.when, context)
                value = UNKNOWN if state is None else state
        finally:
            self._in_progress.pop()
        self._facts[cache_key] = value
        return value

    def fact_blockers(self, fact_id: str, member: int | None) -> frozenset[QKey]:
        if fact_id in BUILTIN_FACTS:
            return frozenset()
        fact = self.catalog.facts[fact_id]
        if fact.count is not None:
            return frozenset().union(*(self.blockers(fact.count, m) for m in range(self.size)))
        assert fact.when is not None
        return self.blockers(fact.when, member if fact.scope == "member" else None)
