"""The guided flow (手続ナビ): from a catalog and a visit, the next questions and the procedures.

:func:`guide` is pure and deterministic: the same catalog and visit give the same
:class:`Guidance`, and nothing is kept between calls — a changed answer is simply a new visit.

* A procedure is listed only when its condition is *true* for the visit (never while unknown).
* A question is returned only when its answer is needed to decide a procedure (or to complete a
  listed one: its reason, its deadline, or a form field the catalog collects with ``for_procedures``),
  applies to the visit (``ask_when`` true), is not answered and cannot be derived.
* Questions come in catalog order, a per-member question member by member; answer the first and call
  :func:`guide` again — questions that became needless disappear.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from procedures.builtin_facts import BUILTIN_FACTS
from procedures.catalog import Catalog
from procedures.deadlines import Deadline, compute_deadline
from procedures.errors import AnswerError, SubjectCountError, UnknownEventError, VisitFormatError
from procedures.evaluation import (
    NOT_APPLICABLE,
    UNKNOWN,
    Evaluator,
    Interval,
    QKey,
    Value,
    catalog_cache,
    is_value,
    kleene_all,
    kleene_any,
)
from procedures.schema import Counter, Department, Event, Item, Period, Procedure, Question, Source
from procedures.templates import render
from procedures.visit import MAX_ANSWER_CHARS, JsonAnswer, Visit


@dataclass(frozen=True)
class PendingQuestion:
    """A question to ask now: for the household (``member`` is ``None``) or for member ``member``."""

    question: Question
    member: int | None
    needed_for: tuple[str, ...]

    @property
    def id(self) -> str:
        return self.question.id

    @property
    def key(self) -> QKey:
        return (self.question.id, self.member)

    def to_json(self) -> dict[str, Any]:
        q = self.question
        data: dict[str, Any] = {
            "id": q.id,
            "member": self.member,
            "type": q.type,
            "text": q.text,
            "text_en": q.text_en,
            "needed_for": list(self.needed_for),
        }
        if q.help:
            data["help"] = q.help
            data["help_en"] = q.help_en
        if q.choices:
            data["choices"] = [
                {"value": c.value, "label": c.label, "label_en": c.label_en} for c in q.choices
            ]
        if q.min is not None:
            data["min"] = q.min
        if q.max is not None:
            data["max"] = q.max
        return data


@dataclass(frozen=True)
class NeededProcedure:
    """A procedure the household needs, with everything the guide sheet prints for it.

    ``members`` are the 0-based members it concerns; empty means the household as a whole.
    """

    procedure: Procedure
    members: tuple[int, ...]
    department: Department
    counter: Counter
    reason: str
    reason_en: str
    deadline: Deadline | None
    items: tuple[Item, ...]
    forms: tuple[str, ...]
    sources: tuple[Source, ...]

    @property
    def id(self) -> str:
        return self.procedure.id

    @property
    def key(self) -> str:
        """``id`` for a household procedure, ``id@N`` for a per-member one (used by tests and stats)."""
        if self.procedure.scope == "member":
            return f"{self.procedure.id}@{self.members[0]}"
        return self.procedure.id

    def to_json(self) -> dict[str, Any]:
        p = self.procedure
        return {
            "id": p.id,
            "name": p.name,
            "name_en": p.name_en,
            "members": list(self.members),
            "department": {
                "id": self.department.id,
                "name": self.department.name,
                "name_en": self.department.name_en,
            },
            "counter": {
                "id": self.counter.id,
                "name": self.counter.name,
                "name_en": self.counter.name_en,
                "place": self.counter.place,
                "place_en": self.counter.place_en,
            },
            "reason": self.reason,
            "reason_en": self.reason_en,
            "deadline": self.deadline.to_json() if self.deadline else None,
            "bring": [{"id": i.id, "name": i.name, "name_en": i.name_en} for i in self.items],
            "forms": list(self.forms),
            "note": p.note,
            "note_en": p.note_en,
            "sources": [s.url for s in self.sources],
        }


@dataclass(frozen=True)
class Guidance:
    """What to ask next and what the household needs, for one state of the visit."""

    catalog_id: str
    event: Event
    event_date: dt.date
    subjects: tuple[int, ...]
    questions: tuple[PendingQuestion, ...]
    procedures: tuple[NeededProcedure, ...]
    ignored_answers: tuple[QKey, ...] = field(default=())
    known_answers: Mapping[QKey, Value] = field(default_factory=dict, compare=False, repr=False)
    """Every answer known now: given, derived from another answer (a household answer "everyone is on
    国保" gives each member's insurance) or the question's ``otherwise`` — what forms are filled with."""

    def known(self, question_id: str, member: int | None = None) -> Value | None:
        return self.known_answers.get((question_id, member))

    @property
    def complete(self) -> bool:
        """No question is left: the procedure list is final for these answers."""
        return not self.questions

    @property
    def next_question(self) -> PendingQuestion | None:
        return self.questions[0] if self.questions else None

    def procedure_keys(self) -> frozenset[str]:
        return frozenset(p.key for p in self.procedures)

    def to_json(self) -> dict[str, Any]:
        return {
            "catalog": self.catalog_id,
            "event": {"id": self.event.id, "name": self.event.name, "name_en": self.event.name_en},
            "event_date": self.event_date.isoformat(),
            "subjects": list(self.subjects),
            "complete": self.complete,
            "questions": [q.to_json() for q in self.questions],
            "procedures": [p.to_json() for p in self.procedures],
            "ignored_answers": [{"id": q, "member": m} for q, m in self.ignored_answers],
        }


# ---------------------------------------------------------------- inputs


def resolve_event(catalog: Catalog, visit: Visit) -> Event:
    if visit.event is None or visit.event not in catalog.events:
        raise UnknownEventError(visit.event, tuple(catalog.events))
    return catalog.events[visit.event]


def resolve_subjects(event: Event, visit: Visit) -> tuple[bool, ...]:
    default = event.subjects.default == "all"
    flags = tuple(default if m.subject is None else m.subject for m in visit.members)
    count = sum(flags)
    rule = event.subjects
    if count < rule.min or (rule.max is not None and count > rule.max):
        raise SubjectCountError(event.id, count, rule.min, rule.max, rule.label)
    return flags


def coerce_answer(question: Question, member: int | None, raw: JsonAnswer) -> Value:
    """A JSON answer as the typed value its question expects; :class:`AnswerError` if it does not fit."""
    match question.type:
        case "yes_no":
            if isinstance(raw, bool):
                return raw
            raise AnswerError(question.id, member, "はい/いいえ(true か false)で答えてください")
        case "number":
            if isinstance(raw, int) and not isinstance(raw, bool):
                if question.min is not None and raw < question.min:
                    raise AnswerError(question.id, member, f"{question.min}以上の数で答えてください")
                if question.max is not None and raw > question.max:
                    raise AnswerError(question.id, member, f"{question.max}以下の数で答えてください")
                return raw
            raise AnswerError(question.id, member, "整数で答えてください")
        case "date":
            if isinstance(raw, str):
                try:
                    return dt.date.fromisoformat(raw)
                except ValueError:
                    pass
            raise AnswerError(question.id, member, "日付を YYYY-MM-DD の形で答えてください")
        case "choice":
            if isinstance(raw, str) and any(c.value == raw for c in question.choices):
                return raw
            allowed = "、".join(c.value for c in question.choices)
            raise AnswerError(question.id, member, f"選択肢({allowed})のどれかで答えてください")
        case _:
            if isinstance(raw, str) and len(raw) > MAX_ANSWER_CHARS:
                raise AnswerError(question.id, member, f"{MAX_ANSWER_CHARS}文字以内で答えてください")
            if isinstance(raw, str):
                return raw
            raise AnswerError(question.id, member, "文字で答えてください")


def collect_answers(catalog: Catalog, visit: Visit) -> dict[QKey, Value]:
    """Every answer in the visit, checked against its question and typed."""
    answers: dict[QKey, Value] = {}
    for question_id, raw in visit.answers.items():
        question = catalog.questions.get(question_id)
        if question is None:
            raise AnswerError(question_id, None, "このカタログにない質問です")
        if question.scope != "household":
            raise AnswerError(question_id, None, "世帯員ごとの質問です。members[n].answers に書いてください")
        answers[(question_id, None)] = coerce_answer(question, None, raw)
    for index, member in enumerate(visit.members):
        for question_id, raw in member.answers.items():
            question = catalog.questions.get(question_id)
            if question is None:
                raise AnswerError(question_id, index, "このカタログにない質問です")
            if question.scope != "member":
                raise AnswerError(
                    question_id, index, "世帯全体の質問です。いちばん外側の answers に書いてください"
                )
            answers[(question_id, index)] = coerce_answer(question, index, raw)
    return answers


# ---------------------------------------------------------------- the flow


class _Needs:
    def __init__(self) -> None:
        self.by_key: dict[QKey, set[str]] = {}

    def add(self, keys: Iterable[QKey], procedure_id: str) -> None:
        for key in keys:
            self.by_key.setdefault(key, set()).add(procedure_id)


@dataclass(frozen=True)
class _CatalogTables:
    """Lookups derived from a catalog alone, built once per catalog (see :func:`catalog_cache`)."""

    question_order: Mapping[str, int]
    procedure_order: Mapping[str, int]
    collected_for: Mapping[str, tuple[Question, ...]]
    """Per procedure id, the questions whose ``for_procedures`` name it, in catalog order."""
    departments: Mapping[str, Department]
    counters: Mapping[str, Counter]
    sources: Mapping[str, Source]


def _tables(catalog: Catalog) -> _CatalogTables:
    def build() -> _CatalogTables:
        collected: dict[str, list[Question]] = {}
        for question in catalog.questions.values():
            for procedure_id in dict.fromkeys(question.for_procedures):
                collected.setdefault(procedure_id, []).append(question)
        return _CatalogTables(
            question_order={qid: i for i, qid in enumerate(catalog.questions)},
            procedure_order={pid: i for i, pid in enumerate(catalog.procedures)},
            collected_for={pid: tuple(questions) for pid, questions in collected.items()},
            departments=catalog.departments,
            counters=catalog.counters,
            sources=catalog.sources,
        )

    return catalog_cache(catalog, "engine_tables", build)


def guide(catalog: Catalog, visit: Visit) -> Guidance:
    """The next questions and the needed procedures for ``visit`` (event and event date required)."""
    event = resolve_event(catalog, visit)
    if visit.event_date is None:
        raise VisitFormatError("event_date", f"{event.date_label}(event_date)がありません")
    subjects = resolve_subjects(event, visit)
    answers = collect_answers(catalog, visit)
    evaluator = Evaluator(catalog, event, visit.event_date, visit.members, subjects, answers)
    needs = _Needs()
    listed: list[NeededProcedure] = []
    everyone = range(len(visit.members))

    for procedure in catalog.procedures.values():
        if procedure.scope == "member":
            for member in everyone:
                state = evaluator.holds(procedure.when, member)
                if state is None:
                    needs.add(evaluator.blockers(procedure.when, member), procedure.id)
                elif state:
                    listed.append(_needed(catalog, evaluator, procedure, (member,), needs))
            continue
        when = evaluator.holds(procedure.when, None)
        if when is False:
            continue
        if procedure.members is None:
            if when is None:
                needs.add(evaluator.blockers(procedure.when, None), procedure.id)
            else:
                listed.append(_needed(catalog, evaluator, procedure, (), needs))
            continue
        selector = procedure.members
        states = [evaluator.holds(selector, m) for m in everyone]
        status = kleene_all([when, kleene_any(states)])
        if status is False:
            continue
        undecided = [m for m, s in enumerate(states) if s is None]
        needs.add(frozenset().union(*(evaluator.blockers(selector, m) for m in undecided)), procedure.id)
        if status is None:
            needs.add(evaluator.blockers(procedure.when, None), procedure.id)
            continue
        chosen = tuple(m for m, s in enumerate(states) if s)
        listed.append(_needed(catalog, evaluator, procedure, chosen, needs))

    tables = _tables(catalog)
    order = tables.question_order
    pending = tuple(
        PendingQuestion(catalog.questions[qid], member, tuple(sorted(needs.by_key[(qid, member)])))
        for qid, member in sorted(needs.by_key, key=lambda k: (order[k[0]], -1 if k[1] is None else k[1]))
    )
    proc_order = tables.procedure_order
    listed.sort(key=lambda p: (proc_order[p.id], p.members))
    ignored = tuple(
        key
        for key in sorted(answers, key=lambda k: (order[k[0]], -1 if k[1] is None else k[1]))
        if evaluator.asked(key[0], key[1]) is not True
    )
    known: dict[QKey, Value] = {}
    for question in catalog.questions.values():
        whom: tuple[int | None, ...] = tuple(everyone) if question.scope == "member" else (None,)
        for who in whom:
            answer = evaluator.answer(question.id, who)
            if is_value(answer):
                known[(question.id, who)] = answer
    return Guidance(
        catalog_id=catalog.id,
        event=event,
        event_date=visit.event_date,
        subjects=tuple(i for i, s in enumerate(subjects) if s),
        questions=pending,
        procedures=tuple(listed),
        ignored_answers=ignored,
        known_answers=known,
    )


def _needed(
    catalog: Catalog, ev: Evaluator, procedure: Procedure, members: tuple[int, ...], needs: _Needs
) -> NeededProcedure:
    """Build a listed procedure; questions still needed to complete it are added to ``needs``."""
    context = members[0] if procedure.scope == "member" else None
    concerned = members if members else tuple(range(ev.size))

    # Questions collected for this procedure's forms (for_procedures).
    tables = _tables(catalog)
    for question in tables.collected_for.get(procedure.id, ()):
        targets: Iterable[int | None] = concerned if question.scope == "member" else (None,)
        for member in targets:
            needs.add(ev.answer_blockers(question.id, member), procedure.id)

    def value_of(name: str, english: bool) -> str:
        if name == "count":
            return str(len(members))
        text, blockers = _render_value(catalog, ev, name, context, english)
        needs.add(blockers, procedure.id)
        return text

    reason = render(procedure.reason, lambda n: value_of(n, False))
    reason_en = render(procedure.reason_en, lambda n: value_of(n, True))

    deadline: Deadline | None = None
    rule = procedure.deadline
    if rule is not None:
        alternatives: list[tuple[Period, dt.date | None]] = []
        for alternative in rule.earliest_of:
            # An alternative counted from a question that is not asked in this visit does not apply.
            qid = alternative.from_answer
            if qid is None or ev.answer(qid, context) is not NOT_APPLICABLE:
                start = _period_start(ev, alternative, context, procedure.id, needs)
                alternatives.append((alternative, start))
        deadline = compute_deadline(
            rule,
            _period_start(ev, rule, context, procedure.id, needs),
            catalog.meta.office_calendar,
            alternatives,
        )

    return NeededProcedure(
        procedure=procedure,
        members=members,
        department=tables.departments[procedure.department],
        counter=tables.counters[procedure.counter],
        reason=reason,
        reason_en=reason_en,
        deadline=deadline,
        items=tuple(catalog.items[i] for i in procedure.bring),
        forms=tuple(procedure.forms),
        sources=tuple(tables.sources[s] for s in procedure.sources),
    )


def _period_start(
    ev: Evaluator, period: Period, context: int | None, procedure_id: str, needs: _Needs
) -> dt.date | None:
    """The event date, or the date answer the period counts from (``None`` while unanswered)."""
    if period.from_answer is None:
        return ev.event_date
    needs.add(ev.answer_blockers(period.from_answer, context), procedure_id)
    value = ev.answer(period.from_answer, context)
    return value if isinstance(value, dt.date) else None


def _render_value(
    catalog: Catalog, ev: Evaluator, name: str, member: int | None, english: bool
) -> tuple[str, frozenset[QKey]]:
    if name in catalog.questions:
        question = catalog.questions[name]
        if question.scope == "member" and member is None:
            return "?", frozenset()
        state = ev.answer(name, member)
        if state is UNKNOWN:
            return "?", ev.answer_blockers(name, member)
        if state is NOT_APPLICABLE:
            return "-", frozenset()
        assert not isinstance(state, Interval) and state is not UNKNOWN
        if question.type == "choice":
            for choice in question.choices:
                if choice.value == state:
                    return (choice.label_en if english else choice.label), frozenset()
        return _format(state, english), frozenset()
    builtin = BUILTIN_FACTS.get(name)
    fact_scope = builtin.scope if builtin is not None else catalog.facts[name].scope
    if fact_scope == "member" and member is None:
        return "?", frozenset()
    value = ev.fact(name, member)
    if value is UNKNOWN or isinstance(value, Interval):
        return "?", ev.fact_blockers(name, member)
    assert not isinstance(value, Interval) and value is not UNKNOWN and value is not NOT_APPLICABLE
    return _format(value, english), frozenset()


def _format(value: object, english: bool) -> str:
    if isinstance(value, bool):
        return ("yes" if value else "no") if english else ("はい" if value else "いいえ")
    if isinstance(value, dt.date):
        return value.isoformat() if english else f"{value.year}年{value.month}月{value.day}日"
    return str(value)
