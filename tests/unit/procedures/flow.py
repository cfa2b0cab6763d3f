"""Helpers for procedure tests: build households tersely and run the question flow like a clerk."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from procedures.catalog import Catalog
from procedures.engine import Guidance, guide
from procedures.schema import Question
from procedures.visit import JsonAnswer, Visit, parse_visit

QKey = tuple[str, int | None]


def member(
    relationship: str,
    birth: str,
    sex: str = "female",
    source: str = "typed",
    subject: bool | None = None,
    name: str = "試験 太郎",
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": name,
        "birth_date": birth,
        "sex": sex,
        "relationship": relationship,
        "source": source,
    }
    if subject is not None:
        data["subject"] = subject
    return data


def visit(event: str, date: str, *members: dict[str, Any]) -> Visit:
    return parse_visit(
        {"format": "madoguchi-visit/1", "event": event, "event_date": date, "members": list(members)}
    )


def any_answer(question: Question) -> JsonAnswer:
    """Some valid answer to ``question`` (for tests about the kiosk's keys, not about procedures)."""
    match question.type:
        case "choice":
            return question.choices[0].value
        case "yes_no":
            return False
        case "number":
            return question.min or 0
        case "date":
            return "2026-11-01"
        case _:
            return "東京都みどり川区若葉町1-2-3"


def key(text: str) -> QKey:
    """``"insurance@1"`` → ``("insurance", 1)``; ``"has_dog"`` → ``("has_dog", None)``."""
    if "@" in text:
        question, index = text.split("@")
        return (question, int(index))
    return (text, None)


@dataclass
class FlowResult:
    guidance: Guidance
    asked: list[QKey] = field(default_factory=list)
    visit: Visit | None = None


class FlowError(AssertionError):
    pass


def run_flow(
    catalog: Catalog, start: Visit, script: Mapping[str, JsonAnswer], limit: int = 200
) -> FlowResult:
    """Answer the first pending question from ``script`` until none is left.

    Fails when a question is asked twice, when a question is asked that the script does not expect
    (a needless question), or when the flow does not end.
    """
    answers = {key(k): v for k, v in script.items()}
    current = start
    asked: list[QKey] = []
    for _ in range(limit):
        guidance = guide(catalog, current)
        pending = guidance.next_question
        if pending is None:
            return FlowResult(guidance, asked, current)
        asked_key = (pending.id, pending.member)
        if asked_key in asked:
            raise FlowError(f"question asked twice: {asked_key}")
        if asked_key not in answers:
            raise FlowError(
                f"unexpected question {asked_key} (needed for {pending.needed_for}); asked so far {asked}"
            )
        asked.append(asked_key)
        current = current.with_answer(pending.id, answers[asked_key], pending.member)
    raise FlowError("the flow did not end")


def answered(start: Visit, script: Mapping[str, JsonAnswer]) -> Visit:
    """``start`` with every scripted answer set at once (no flow)."""
    current = start
    for text, value in script.items():
        question, index = key(text)
        current = current.with_answer(question, value, index)
    return current
