"""Can a condition ever hold? A small constraint search used by ``catalog check``.

The search assigns nothing; it narrows the possible values of each variable (the event, a member's
age, an answer …) along one branch of every ``any`` and fails a branch when some variable has no
value left. A positive comparison on an answer also requires that the question is asked (its
``ask_when``), which is how "this procedure reads a question that is never asked for this event" is
found.

It over-approximates on purpose: negated ``any_member`` and upper bounds on counts are assumed
satisfiable, correlations between facts (age and school age) are ignored. So it may miss a
contradiction, but it never reports one that is not there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from procedures.builtin_facts import BUILTIN_FACTS
from procedures.catalog import Catalog
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
from procedures.evaluation import compare_value

_NEGATED = {
    Op.EQ: Op.NE,
    Op.NE: Op.EQ,
    Op.LT: Op.GTE,
    Op.GTE: Op.LT,
    Op.LTE: Op.GT,
    Op.GT: Op.LTE,
    Op.IN: Op.NOT_IN,
    Op.NOT_IN: Op.IN,
}
_BUDGET = 200_000


def _plain(value: Any) -> Any:
    """Dates become ordinals so they order like numbers."""
    return value.toordinal() if isinstance(value, dt.date) else value


@dataclass(frozen=True)
class Domain:
    """The values a variable may still take: bounds, an explicit set, values ruled out."""

    lo: int | None = None
    hi: int | None = None
    points: frozenset[Hashable] | None = None
    excluded: frozenset[Hashable] = frozenset()

    def narrow(self, op: Op, value: Any) -> Domain:
        if op.takes_list:
            values = frozenset(_plain(v) for v in value)
            if op is Op.IN:
                return replace(self, points=values if self.points is None else self.points & values)
            return replace(self, excluded=self.excluded | values)
        v = _plain(value)
        match op:
            case Op.EQ:
                return replace(self, points=frozenset({v}) if self.points is None else self.points & {v})
            case Op.NE:
                return replace(self, excluded=self.excluded | {v})
        if isinstance(v, bool) or not isinstance(v, int):
            return self
        match op:
            case Op.LT:
                return replace(self, hi=v - 1 if self.hi is None else min(self.hi, v - 1))
            case Op.LTE:
                return replace(self, hi=v if self.hi is None else min(self.hi, v))
            case Op.GT:
                return replace(self, lo=v + 1 if self.lo is None else max(self.lo, v + 1))
            case _:
                return replace(self, lo=v if self.lo is None else max(self.lo, v))

    def _in_bounds(self, value: Hashable) -> bool:
        if isinstance(value, bool) or not isinstance(value, int):
            return True
        return (self.lo is None or value >= self.lo) and (self.hi is None or value <= self.hi)

    @property
    def empty(self) -> bool:
        if self.points is not None:
            return not any(p not in self.excluded and self._in_bounds(p) for p in self.points)
        if self.lo is not None and self.hi is not None:
            if self.lo > self.hi:
                return True
            if self.hi - self.lo + 1 <= len(self.excluded):
                return all(v in self.excluded for v in range(self.lo, self.hi + 1))
        return False

    def admits(self, value: Any) -> bool:
        v = _plain(value)
        if v in self.excluded or not self._in_bounds(v):
            return False
        return self.points is None or v in self.points


Var = tuple[str, ...]
Goal = tuple[Condition, bool, str]


@dataclass(frozen=True)
class _State:
    domains: dict[Var, Domain] = field(default_factory=dict)
    required: frozenset[Var] = frozenset()  # answer variables whose ask_when is already a goal
    unasked: frozenset[Var] = frozenset()  # answer variables only a question not asked can satisfy
    spawned: frozenset[Var] = frozenset()  # count facts that already have a witness member
    fresh: int = 0


class Solver:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.steps = 0

    def satisfiable(self, condition: Condition, member_context: bool) -> bool:
        """Whether ``condition`` can hold for some household and answers (``True`` if undecidable)."""
        self.steps = 0
        context = "m0" if member_context else "hh"
        try:
            return next(self._solve(((condition, True, context),), _State()), None) is not None
        except _OutOfBudget:
            return True

    # ------------------------------------------------------------ variables

    def _initial(self, var: Var) -> Domain:
        kind = var[1]
        if kind == "event":
            return Domain(points=frozenset(self.catalog.events))
        if kind == "fact":
            builtin = BUILTIN_FACTS.get(var[2])
            if builtin is not None:
                if builtin.kind == "bool":
                    return Domain(points=frozenset({True, False}))
                if builtin.kind == "str":
                    return Domain(points=frozenset(builtin.values))
                return Domain(lo=builtin.minimum, hi=130 if builtin.id.endswith("age") else 30)
            return Domain(lo=0, hi=30)  # a count fact
        question = self.catalog.questions[var[2]]
        match question.type:
            case "yes_no":
                return Domain(points=frozenset({True, False}))
            case "choice":
                return Domain(points=frozenset(c.value for c in question.choices))
            case "number":
                return Domain(lo=question.min, hi=question.max)
            case _:
                return Domain()

    def _narrow(self, state: _State, var: Var, op: Op, value: Any) -> _State | None:
        domain = state.domains.get(var) or self._initial(var)
        narrowed = domain.narrow(op, value)
        if narrowed.empty:
            return None
        return replace(state, domains={**state.domains, var: narrowed})

    # ------------------------------------------------------------ search

    def _solve(self, goals: tuple[Goal, ...], state: _State) -> Iterator[_State]:
        self.steps += 1
        if self.steps > _BUDGET:
            raise _OutOfBudget
        if not goals:
            yield state
            return
        (condition, positive, context), rest = goals[0], goals[1:]
        match condition:
            case AllOf(items=items):
                if positive:
                    yield from self._solve(tuple((i, True, context) for i in items) + rest, state)
                else:
                    for item in items:
                        yield from self._solve(((item, False, context), *rest), state)
            case AnyOf(items=items):
                if positive:
                    for item in items:
                        yield from self._solve(((item, True, context), *rest), state)
                else:
                    yield from self._solve(tuple((i, False, context) for i in items) + rest, state)
            case Not(item=item):
                yield from self._solve(((item, not positive, context), *rest), state)
            case EventIs(events=events):
                narrowed = self._narrow(state, ("*", "event"), Op.IN if positive else Op.NOT_IN, events)
                if narrowed is not None:
                    yield from self._solve(rest, narrowed)
            case AnyMember(item=item):
                if not positive:  # "nobody is …": assume a household without such a member
                    yield from self._solve(rest, state)
                    return
                fresh = f"x{state.fresh}"
                yield from self._solve(((item, True, fresh), *rest), replace(state, fresh=state.fresh + 1))
            case Compare():
                yield from self._compare(condition, positive, context, rest, state)

    def _compare(
        self, condition: Compare, positive: bool, context: str, rest: tuple[Goal, ...], state: _State
    ) -> Iterator[_State]:
        op = condition.op if positive else _NEGATED[condition.op]
        if isinstance(condition.operand, FactRef):
            yield from self._fact(condition.operand.id, op, condition.value, context, rest, state)
        else:
            yield from self._answer(condition.operand.id, op, condition.value, positive, context, rest, state)

    def _fact(
        self, fact_id: str, op: Op, value: Any, context: str, rest: tuple[Goal, ...], state: _State
    ) -> Iterator[_State]:
        builtin = BUILTIN_FACTS.get(fact_id)
        wants = {b for b in (True, False) if compare_value(b, op, value)}
        if builtin is not None:
            if fact_id == "is_householder":  # the householder is exactly relationship "self"
                if len(wants) != 1:
                    yield from self._solve(rest, state) if wants else iter(())
                    return
                fact_id, op, value = "relationship", Op.EQ if True in wants else Op.NE, "self"
            scope = "hh" if builtin.scope == "household" else context
            narrowed = self._narrow(state, (scope, "fact", fact_id), op, value)
            if narrowed is not None:
                yield from self._solve(rest, narrowed)
            return
        fact = self.catalog.facts[fact_id]
        if fact.when is not None:
            if len(wants) != 1:
                yield from self._solve(rest, state) if wants else iter(())
                return
            scope = context if fact.scope == "member" else "hh"
            yield from self._solve(((fact.when, True in wants, scope), *rest), state)
            return
        assert fact.count is not None
        var: Var = ("hh", "fact", fact_id)
        narrowed = self._narrow(state, var, op, value)
        if narrowed is None:
            return
        if narrowed.domains[var].admits(0) or var in narrowed.spawned:
            yield from self._solve(rest, narrowed)
            return
        fresh = f"x{narrowed.fresh}"  # a witness member who is counted
        spawned = replace(narrowed, fresh=narrowed.fresh + 1, spawned=narrowed.spawned | {var})
        yield from self._solve(((fact.count, True, fresh), *rest), spawned)

    def _answer(
        self,
        question_id: str,
        op: Op,
        value: Any,
        positive: bool,
        context: str,
        rest: tuple[Goal, ...],
        state: _State,
    ) -> Iterator[_State]:
        question = self.catalog.questions[question_id]
        scope = context if question.scope == "member" else "hh"
        var: Var = (scope, "answer", question_id)
        if not positive:
            # "not …" also holds when the question is not asked at all: its ask_when is not needed.
            narrowed = self._narrow(state, var, op, value)
            if narrowed is not None:
                yield from self._solve(rest, narrowed)
            elif var not in state.required:
                yield from self._solve(rest, replace(state, unasked=state.unasked | {var}))
            return
        if question.otherwise is not None and compare_value(question.otherwise, op, value):
            yield from self._solve(rest, state)
            return
        narrowed = self._narrow(state, var, op, value)
        if narrowed is None or var in narrowed.unasked:
            return
        if var in narrowed.required:
            yield from self._solve(rest, narrowed)
            return
        required = replace(narrowed, required=narrowed.required | {var})
        yield from self._solve(((question.ask_when, True, scope), *rest), required)


class _OutOfBudget(Exception):
    pass
