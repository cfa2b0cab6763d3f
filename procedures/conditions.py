"""Conditions as data: ``all`` / ``any`` / ``not`` / ``event`` / ``any_member`` and comparisons.

A condition in the catalog is a YAML mapping, never code::

    all:
      - event: [tennyu, tenkyo]
      - fact: age            # a built-in or catalog fact
        gte: 65
      - answer: has_dog      # a question's answer; alone it means "eq: true"
      - not: {answer: kokuho_member}
      - any_member: {fact: school_age, lte: 14}

:func:`parse_condition` turns that mapping into the frozen dataclasses below and reports mistakes with
the path inside the condition, so the loader can point at the exact line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from procedures.positions import PathKey

Value = bool | int | str | dt.date
"""A literal in a condition: yes/no, a number, a choice value or text, a date."""


class Op(StrEnum):
    EQ = "eq"
    NE = "ne"
    LT = "lt"
    LTE = "lte"
    GT = "gt"
    GTE = "gte"
    IN = "in"
    NOT_IN = "not_in"

    @property
    def ordered(self) -> bool:
        return self in (Op.LT, Op.LTE, Op.GT, Op.GTE)

    @property
    def takes_list(self) -> bool:
        return self in (Op.IN, Op.NOT_IN)


@dataclass(frozen=True, slots=True)
class FactRef:
    id: str


@dataclass(frozen=True, slots=True)
class AnswerRef:
    id: str


Operand = FactRef | AnswerRef


@dataclass(frozen=True, slots=True)
class Compare:
    operand: Operand
    op: Op
    value: Value | tuple[Value, ...]
    path: PathKey = field(default=(), compare=False)


@dataclass(frozen=True, slots=True)
class EventIs:
    events: tuple[str, ...]
    path: PathKey = field(default=(), compare=False)


@dataclass(frozen=True, slots=True)
class AllOf:
    items: tuple[Condition, ...]
    path: PathKey = field(default=(), compare=False)


@dataclass(frozen=True, slots=True)
class AnyOf:
    items: tuple[Condition, ...]
    path: PathKey = field(default=(), compare=False)


@dataclass(frozen=True, slots=True)
class Not:
    item: Condition
    path: PathKey = field(default=(), compare=False)


@dataclass(frozen=True, slots=True)
class AnyMember:
    """True when at least one household member satisfies ``item`` (evaluated per member)."""

    item: Condition
    path: PathKey = field(default=(), compare=False)


Condition = AllOf | AnyOf | Not | EventIs | Compare | AnyMember

ALWAYS: Condition = AllOf(())
"""The condition that always holds (an empty ``all``); the default of ``when`` and ``ask_when``."""


class ConditionSyntaxError(ValueError):
    """A condition mapping is malformed; ``path`` is relative to the condition, ``message`` Japanese."""

    def __init__(self, path: PathKey, message: str) -> None:
        self.path = path
        self.message = message
        super().__init__(message)


_COMBINATORS = ("all", "any", "not", "event", "any_member")
_OPERANDS = ("fact", "answer")
_ALLOWED = ", ".join((*_COMBINATORS, *_OPERANDS))


def parse_condition(raw: Any, path: PathKey = ()) -> Condition:
    """Parse a YAML condition; raise :class:`ConditionSyntaxError` with the path of the mistake."""
    if isinstance(raw, Condition):  # already parsed (models built in code)
        return raw
    if not isinstance(raw, Mapping):
        raise ConditionSyntaxError(path, f"条件は「キー: 値」の形で書いてください(使えるキー: {_ALLOWED})")
    keys = set(raw)
    combinators = [k for k in _COMBINATORS if k in keys]
    operands = [k for k in _OPERANDS if k in keys]
    if len(combinators) + len(operands) != 1:
        if not combinators and not operands:
            raise ConditionSyntaxError(path, f"条件には次のどれか1つが必要です: {_ALLOWED}")
        both = "・".join(combinators + operands)
        raise ConditionSyntaxError(
            path, f"1つの条件に {both} を並べられません。all または any で囲んでください"
        )
    if combinators:
        key = combinators[0]
        extra = sorted(str(k) for k in keys - {key})
        if extra:
            raise ConditionSyntaxError((*path, extra[0]), f"「{key}」と同じ条件に「{extra[0]}」は書けません")
        return _parse_combinator(key, raw[key], (*path, key))
    return _parse_comparison(operands[0], raw, path)


def _parse_combinator(key: str, value: Any, path: PathKey) -> Condition:
    if key in ("all", "any"):
        if not isinstance(value, list):
            raise ConditionSyntaxError(path, f"「{key}」には条件のリスト(- で始まる行)を書いてください")
        items = tuple(parse_condition(item, (*path, i)) for i, item in enumerate(value))
        if key == "any" and not items:
            raise ConditionSyntaxError(path, "「any」が空です(決して満たされません)")
        return AllOf(items, path) if key == "all" else AnyOf(items, path)
    if key == "not":
        return Not(parse_condition(value, path), path)
    if key == "any_member":
        return AnyMember(parse_condition(value, path), path)
    # event
    events = value if isinstance(value, list) else [value]
    if not events:
        raise ConditionSyntaxError(path, "「event」に届出の種類の id を1つ以上書いてください")
    for i, event in enumerate(events):
        if not isinstance(event, str) or not event:
            where = (*path, i) if isinstance(value, list) else path
            raise ConditionSyntaxError(where, "「event」には届出の種類の id(文字列)を書いてください")
    return EventIs(tuple(events), path)


def _parse_comparison(kind: str, raw: Mapping[Any, Any], path: PathKey) -> Compare:
    ident = raw[kind]
    if not isinstance(ident, str) or not ident:
        raise ConditionSyntaxError((*path, kind), f"「{kind}」には id(文字列)を書いてください")
    operand: Operand = FactRef(ident) if kind == "fact" else AnswerRef(ident)
    ops = [k for k in raw if k != kind]
    if not ops:
        return Compare(operand, Op.EQ, True, path)
    if len(ops) > 1:
        names = "・".join(str(o) for o in ops)
        raise ConditionSyntaxError((*path, ops[1]), f"比較は1つだけ書けます({names})。all で分けてください")
    name = ops[0]
    try:
        op = Op(str(name))
    except ValueError:
        allowed = ", ".join(o.value for o in Op)
        raise ConditionSyntaxError(
            (*path, name), f"「{name}」は比較に使えません(使えるもの: {allowed})"
        ) from None
    value = raw[name]
    if op.takes_list:
        if not isinstance(value, list) or not value:
            raise ConditionSyntaxError((*path, name), f"「{op.value}」には値のリストを書いてください")
        for i, item in enumerate(value):
            _check_literal(item, (*path, name, i))
        return Compare(operand, op, tuple(value), path)
    _check_literal(value, (*path, name))
    return Compare(operand, op, value, path)


def _check_literal(value: Any, path: PathKey) -> None:
    if isinstance(value, dt.datetime) or not isinstance(value, bool | int | str | dt.date):
        raise ConditionSyntaxError(
            path, "比較する値は true/false、整数、文字列、日付(YYYY-MM-DD)のどれかです"
        )


def walk(condition: Condition) -> Iterator[Condition]:
    """Every node of ``condition``, depth first (``any_member`` bodies included)."""
    yield condition
    match condition:
        case AllOf(items=items) | AnyOf(items=items):
            for item in items:
                yield from walk(item)
        case Not(item=item) | AnyMember(item=item):
            yield from walk(item)
        case _:
            pass


def references(condition: Condition) -> Iterator[Compare]:
    """The comparisons in ``condition`` (facts and answers it reads)."""
    for node in walk(condition):
        if isinstance(node, Compare):
            yield node
