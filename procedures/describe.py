"""Conditions in words, for staff reading ``madoguchi catalog show`` (Japanese or English)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from procedures.builtin_facts import BUILTIN_FACTS
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
from procedures.visit import Relationship, Sex, Source

Lang = Literal["ja", "en"]

_OPS_JA = {
    Op.EQ: "が{v}",
    Op.NE: "が{v}以外",
    Op.LT: "が{v}未満",
    Op.LTE: "が{v}以下",
    Op.GT: "が{v}より大きい",
    Op.GTE: "が{v}以上",
    Op.IN: "が{v}のいずれか",
    Op.NOT_IN: "が{v}のいずれでもない",
}
_OPS_EN = {
    Op.EQ: " is {v}",
    Op.NE: " is not {v}",
    Op.LT: " < {v}",
    Op.LTE: " ≤ {v}",
    Op.GT: " > {v}",
    Op.GTE: " ≥ {v}",
    Op.IN: " is one of {v}",
    Op.NOT_IN: " is none of {v}",
}
_SOURCES = {
    Source.CARD: ("カード", "card"),
    Source.QR: ("QRコード", "QR code"),
    Source.TYPED: ("手入力", "typed"),
    Source.REGISTRY: ("住民記録", "resident registry"),
}


class Describer:
    def __init__(self, catalog: Catalog, lang: Lang = "ja") -> None:
        self.catalog = catalog
        self.lang = lang

    def __call__(self, condition: Condition) -> str:
        return self.text(condition, top=True)

    def text(self, condition: Condition, top: bool = False) -> str:
        ja = self.lang == "ja"
        match condition:
            case AllOf(items=()):
                return "常に" if ja else "always"
            case AllOf(items=items) | AnyOf(items=items) if len(items) == 1:
                return self.text(items[0], top)
            case AllOf(items=items):
                joined = (" かつ " if ja else " and ").join(self.text(i) for i in items)
                return joined if top else f"({joined})"
            case AnyOf(items=items):
                joined = (" または " if ja else " or ").join(self.text(i) for i in items)
                return joined if top else f"({joined})"
            case Not(item=item):
                inner = self.text(item, top=True)
                return f"〔{inner}〕ではない" if ja else f"not ({inner})"
            case AnyMember(item=item):
                inner = self.text(item, top=True)
                return f"世帯に〔{inner}〕の方がいる" if ja else f"someone in the household: ({inner})"
            case EventIs(events=events):
                names = [self._event(e) for e in events]
                if ja:
                    return "届出が" + "・".join(f"「{n}」" for n in names)
                return "event is " + " or ".join(names)
            case Compare():
                return self._compare(condition)
        return str(condition)

    def _event(self, event_id: str) -> str:
        event = self.catalog.events.get(event_id)
        if event is None:
            return event_id
        return event.name if self.lang == "ja" else event.name_en

    def _compare(self, condition: Compare) -> str:
        ja = self.lang == "ja"
        operand = condition.operand
        label = self._label(operand)
        value, op = condition.value, condition.op
        if isinstance(value, bool) and op in (Op.EQ, Op.NE) and not isinstance(operand, AnswerRef):
            positive = value == (op is Op.EQ)
            if ja:
                return label if positive else f"{label}でない"
            return label if positive else f"not {label}"
        shown = self._values(operand, value)
        template = (_OPS_JA if ja else _OPS_EN)[op]
        if isinstance(operand, AnswerRef):
            label = f"「{label}」" if ja else f'"{label}"'
        return label + template.format(v=shown)

    def _label(self, operand: FactRef | AnswerRef) -> str:
        ja = self.lang == "ja"
        if isinstance(operand, AnswerRef):
            question = self.catalog.questions.get(operand.id)
            if question is None:
                return operand.id
            return question.text if ja else question.text_en
        builtin = BUILTIN_FACTS.get(operand.id)
        if builtin is not None:
            return builtin.name if ja else builtin.name_en
        fact = self.catalog.facts.get(operand.id)
        if fact is None:
            return operand.id
        return fact.name if ja else fact.name_en

    def _values(self, operand: FactRef | AnswerRef, value: object) -> str:
        values = value if isinstance(value, tuple) else (value,)
        shown = [self._value(operand, v) for v in values]
        if self.lang == "ja":
            return "・".join(
                f"「{s}」" if isinstance(v, str) else s for s, v in zip(shown, values, strict=True)
            )
        return ", ".join(shown)

    def _value(self, operand: FactRef | AnswerRef, value: object) -> str:
        ja = self.lang == "ja"
        if isinstance(value, bool):
            return ("はい" if value else "いいえ") if ja else ("yes" if value else "no")
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(operand, AnswerRef):
            question = self.catalog.questions.get(operand.id)
            for choice in question.choices if question else ():
                if choice.value == value:
                    return choice.label if ja else choice.label_en
        elif isinstance(value, str):
            if operand.id == "relationship" and value in Relationship._value2member_map_:
                relationship = Relationship(value)
                return relationship.label_ja if ja else relationship.label_en
            if operand.id == "sex" and value in Sex._value2member_map_:
                return Sex(value).label_ja if ja else value
            if operand.id == "source" and value in Source._value2member_map_:
                return _SOURCES[Source(value)][0 if ja else 1]
        return str(value)


def describe(condition: Condition, catalog: Catalog, lang: Lang = "ja") -> str:
    """``condition`` as one line of words, e.g. ``届出が「転入」 かつ 年齢が65以上``."""
    return Describer(catalog, lang)(condition)


REVIEW_TABLE_HEADER = (
    "| id | 手続 | 根拠(法令・条) | 期限(根拠) | 対象になるとき |",
    "|---|---|---|---|---|",
)


def review_table(catalog: Catalog) -> list[str]:
    """One Markdown row per procedure, for staff to check each against the law (docs/catalog.md):
    id, name, legal basis, deadline with its source, and the condition in words."""
    rows = list(REVIEW_TABLE_HEADER)
    for procedure in catalog.procedures.values():
        basis = "; ".join(f"{b.law} {b.article}" for b in procedure.legal_basis)
        deadline = "期限なし(請求のつど)"
        if procedure.deadline is not None:
            source = f"({procedure.deadline.basis})" if procedure.deadline.basis else ""
            deadline = f"{procedure.deadline.text}{source}"
        when = describe(procedure.when, catalog)
        if procedure.members is not None:
            when += f"; 対象の方: {describe(procedure.members, catalog)}"
        cells = (f"`{procedure.id}`", procedure.name, basis, deadline, when)
        rows.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return rows


if __name__ == "__main__":  # python -m procedures.describe [catalog]: the review table of docs/catalog.md
    import sys

    from procedures.catalog import load_catalog

    print(
        "\n".join(
            review_table(load_catalog(sys.argv[1] if len(sys.argv) > 1 else "national", allow_base=True))
        )
    )
