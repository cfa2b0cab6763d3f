"""Helpers for procedure tests: build households tersely and run the question flow like a clerk."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from procedures.builtin_facts import age_on, school_age_on
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


# ---------------------------------------------------------------- households answered from their truth


@dataclass(frozen=True)
class Person:
    """A household member (the visit's data) and the truth about them (answers to per-member questions).

    ``truth`` is keyed by question id (``insurance``, ``has_mynumber_card``, ``inkan_register`` …);
    ``school`` answers the municipality's own school question (``ward_school`` / ``town_school``).
    """

    data: dict[str, Any]
    truth: dict[str, JsonAnswer]


def person(
    relationship: str,
    birth: str,
    sex: str = "female",
    source: str = "typed",
    subject: bool | None = None,
    **truth: JsonAnswer,
) -> Person:
    return Person(member(relationship, birth, sex, source, subject), dict(truth))


SCHOOL_QUESTIONS = frozenset({"ward_school", "town_school"})

TYPICAL: dict[str, JsonAnswer] = {
    # What is true of most households unless a scenario says otherwise (the resident answers "no").
    "from_abroad": False,
    "to_abroad": False,
    "foreign_resident": False,
    "birth_registered": False,
    "death_registered": False,
    "techou_holder": False,
    "deceased_techou": False,
    "has_dog": False,
    "deceased_dog": False,
    "has_moped": False,
    "deceased_moped": False,
    "civil_servant": False,
    "wants_hoiku": False,
    "in_hoiku": False,
    "wants_gakudou": False,
    "address_change": False,
    "kokuho_change": False,
    "new_address": "東京都みどり川区若葉町1-2-3",
}


class TruthError(AssertionError):
    pass


class Resident:
    """Answers every question as the household would, from its truth; fails on a question it has no
    truth for (the test then shows which question was asked)."""

    def __init__(
        self, people: tuple[Person, ...], truth: Mapping[str, JsonAnswer], subjects: tuple[int, ...]
    ):
        self.people = people
        self.truth = {**TYPICAL, **truth}
        self.subjects = subjects

    def _member(self, question: str, index: int) -> JsonAnswer:
        truth = self.people[index].truth
        if question in SCHOOL_QUESTIONS and "school" in truth:
            return truth["school"]
        if question in truth:
            return truth[question]
        raise TruthError(f"no truth for {question}@{index}")

    def _values(self, question: str, indexes: list[int]) -> list[JsonAnswer]:
        return [self._member(question, i) for i in indexes]

    def answer(self, question: str, index: int | None, flow: FlowState) -> JsonAnswer:
        if index is not None:
            return self._member(question, index)
        if question in self.truth:
            return self.truth[question]
        # Household questions that sum up the members ("the same for everyone?", "does anyone …?").
        subjects = [i for i in self.subjects]
        if question == "teate_claimant":  # 児童手当法4条1項: unless told, the householder earns more
            return self.truth.get("teate_claimant", "householder")
        if question == "household_insurance":
            values = set(self._values("insurance", [i for i in subjects if flow.age(i) < 75]))
            only = values.pop() if len(values) == 1 else None
            return only if only in ("kokuho", "employee", "welfare") else "mixed"
        if question == "household_cards":
            unread = [i for i in subjects if self.people[i].data["source"] != "card"]
            cards = self._values("has_mynumber_card", unread)
            if set(cards) == {True}:
                return "all"
            if set(cards) == {False}:
                return "none"
            if all(card == (flow.age(i) >= 15) for i, card in zip(unread, cards, strict=True)):
                return "adults"
            return "some"
        if question == "inkan_who":
            return self._inkan_who([i for i in subjects if flow.age(i) >= 15])
        if question == "arrival":
            if self.truth["from_abroad"]:
                where = "abroad"
            else:  # a 転出証明書 unless the household moved out with the card (特例転入)
                where = "domestic_card" if self.truth.get("tokurei_tennyu") else "domestic"
            return f"{where}_foreign" if self.truth["foreign_resident"] else where
        if question == "techou_or_dog":  # both municipalities also ask about a moped here
            held = [
                name
                for name, truth in (("techou", "techou_holder"), ("dog", "has_dog"), ("moped", "has_moped"))
                if self.truth[truth]
            ]
            return "none" if not held else held[0] if len(held) == 1 else "several"
        if question == "wants_childcare":
            hoiku, gakudou = self.truth["wants_hoiku"], self.truth["wants_gakudou"]
            return "both" if hoiku and gakudou else "hoiku" if hoiku else "gakudou" if gakudou else "none"
        if question in ("ward_school_all", "town_school_all"):
            pupils = [i for i in subjects if 6 <= flow.school_age(i) <= 14]
            return all(self._member("ward_school", i) for i in pupils)
        if question == "kaigo_2gou_any":
            ages = [i for i in subjects if 40 <= flow.age(i) < 65]
            return any(self._values("kaigo_certified", ages))
        raise TruthError(f"no truth for {question}")

    def _inkan_who(self, adults: list[int]) -> JsonAnswer:
        wants = {i for i in adults if self._member("inkan_register", i)}
        relationships = {self.people[i].data["relationship"] for i in wants}
        if not wants:
            return "none"
        if wants == set(adults):
            return "all"
        if relationships == {"self"}:
            return "householder"
        if relationships == {"self", "spouse"} and len(wants) == 2:
            return "couple"
        return "some"


@dataclass
class FlowState:
    visit: Visit

    def age(self, index: int) -> int:
        assert self.visit.event_date is not None
        return age_on(self.visit.members[index].birth_date, self.visit.event_date)

    def school_age(self, index: int) -> int:
        assert self.visit.event_date is not None
        return school_age_on(self.visit.members[index].birth_date, self.visit.event_date)


@dataclass
class TruthfulResult:
    guidance: Guidance
    asked: list[QKey]


def run_truthful(
    catalog: Catalog,
    event: str,
    date: str,
    people: tuple[Person, ...],
    truth: Mapping[str, JsonAnswer],
    limit: int = 300,
) -> TruthfulResult:
    """Run the whole question flow, every question answered from the household's truth.

    Fails when a question is asked twice, when the flow does not end, or when a question is asked that
    the household has no truth for.
    """
    current = visit(event, date, *(p.data for p in people))
    state = FlowState(current)
    subjects = guide(catalog, current).subjects
    resident = Resident(people, truth, subjects)
    asked: list[QKey] = []
    for _ in range(limit):
        guidance = guide(catalog, current)
        pending = guidance.next_question
        if pending is None:
            return TruthfulResult(guidance, asked)
        asked_key = (pending.id, pending.member)
        if asked_key in asked:
            raise FlowError(f"question asked twice: {asked_key}")
        asked.append(asked_key)
        try:
            value = resident.answer(pending.id, pending.member, state)
        except TruthError as exc:
            raise FlowError(f"{exc} (needed for {pending.needed_for}); asked so far {asked}") from None
        current = current.with_answer(pending.id, value, pending.member)
        state.visit = current
    raise FlowError("the flow did not end")
