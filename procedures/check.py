"""Cross-checks of a catalog that a schema cannot express, each reported as ``file:line: message``.

* every id a catalog object names exists (events, facts, questions, items, forms, departments,
  counters, sources, procedures) and every comparison fits its operand's type and choices;
* per-member facts and questions are not read where no member is in context;
* no cycle between questions and facts;
* every procedure can be triggered by some household and answers, every question can be asked and is
  needed by something (otherwise it would be asked for nothing);
* warnings for things defined but never used.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from procedures.builtin_facts import BUILTIN_FACTS
from procedures.catalog import KIND_LABELS, Catalog
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
    references,
    walk,
)
from procedures.errors import CatalogIssue, Severity
from procedures.positions import PathKey
from procedures.satisfiability import Solver
from procedures.schema import AnswerValue, Procedure, Question
from procedures.templates import TemplateSyntaxError, placeholders


@dataclass(frozen=True, slots=True)
class _Place:
    """Where a condition sits: the owning object and the path of the condition inside it."""

    kind: str
    ident: str
    path: PathKey


@dataclass(frozen=True, slots=True)
class _Operand:
    kind: str  # "int", "bool", "str", "date", "choice", "text"
    label: str
    values: tuple[object, ...] = ()


class _Checker:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.issues: list[CatalogIssue] = []

    def error(
        self, place: _Place, message: str, subpath: PathKey = (), severity: Severity = Severity.ERROR
    ) -> None:
        self.issues.append(
            self.catalog.issue(place.kind, place.ident, message, (*place.path, *subpath), severity)
        )

    # ------------------------------------------------------------ operands and values

    def operand(
        self, ref: FactRef | AnswerRef, member: bool, place: _Place, path: PathKey
    ) -> _Operand | None:
        if isinstance(ref, FactRef):
            builtin = BUILTIN_FACTS.get(ref.id)
            if builtin is not None:
                if builtin.scope == "member" and not member:
                    self.error(place, _member_only("事実", ref.id), path)
                    return None
                return _Operand(builtin.kind, f"事実「{ref.id}」", builtin.values)
            fact = self.catalog.facts.get(ref.id)
            if fact is None:
                self.error(
                    place,
                    f"事実「{ref.id}」は定義されていません(facts.yaml か組み込みの事実を確認してください)",
                    path,
                )
                return None
            if fact.scope == "member" and not member:
                self.error(place, _member_only("事実", ref.id), path)
                return None
            return _Operand("int" if fact.kind == "count" else "bool", f"事実「{ref.id}」")
        question = self.catalog.questions.get(ref.id)
        if question is None:
            self.error(place, f"質問「{ref.id}」は定義されていません", path)
            return None
        if question.scope == "member" and not member:
            self.error(place, _member_only("質問", ref.id), path)
            return None
        return _question_operand(question)

    def value_fits(self, operand: _Operand, op: Op, value: object, place: _Place, path: PathKey) -> None:
        values = value if isinstance(value, tuple) else (value,)
        if op.ordered and operand.kind not in ("int", "date"):
            self.error(
                place, f"{operand.label}は大小を比べられません({op.value} は数と日付だけに使えます)", path
            )
            return
        for v in values:
            problem = _value_problem(operand, v)
            if problem:
                self.error(place, f"{operand.label}と比べる値が正しくありません: {problem}", path)
                return

    # ------------------------------------------------------------ conditions

    def condition(self, condition: Condition, member: bool, place: _Place) -> None:
        match condition:
            case AllOf(items=items) | AnyOf(items=items):
                for item in items:
                    self.condition(item, member, place)
            case Not(item=item):
                self.condition(item, member, place)
            case AnyMember(item=item):
                self.condition(item, True, place)
            case EventIs(events=events, path=path):
                for event in events:
                    if event not in self.catalog.events:
                        self.error(place, f"届出の種類「{event}」は events.yaml にありません", path)
            case Compare(operand=ref, op=op, value=value, path=path):
                operand = self.operand(ref, member, place, path)
                if operand is not None:
                    self.value_fits(operand, op, value, place, path)

    def answer_value(self, question: Question, value: AnswerValue, place: _Place, path: PathKey) -> None:
        problem = _value_problem(_question_operand(question), value)
        if problem:
            self.error(place, f"質問「{question.id}」の答えとして正しくありません: {problem}", path)


def _member_only(what: str, ident: str) -> str:
    return (
        f"{what}「{ident}」は世帯員ごとのものなので、世帯全体の条件では使えません"
        "(any_member で囲むか、facts.yaml の count を使ってください)"
    )


def _question_operand(question: Question) -> _Operand:
    label = f"質問「{question.id}」"
    match question.type:
        case "yes_no":
            return _Operand("bool", label)
        case "number":
            return _Operand("int", label)
        case "date":
            return _Operand("date", label)
        case "choice":
            return _Operand("choice", label, tuple(c.value for c in question.choices))
        case _:
            return _Operand("text", label)


def _value_problem(operand: _Operand, value: object) -> str:
    match operand.kind:
        case "bool":
            return "" if isinstance(value, bool) else "true か false を書いてください"
        case "int":
            return "" if isinstance(value, int) and not isinstance(value, bool) else "整数を書いてください"
        case "date":
            return "" if isinstance(value, dt.date) else "日付(YYYY-MM-DD)を書いてください"
        case "choice" | "str" if operand.values:
            if isinstance(value, str) and value in operand.values:
                return ""
            return (
                f"「{value}」は選べる値ではありません(選べる値: {', '.join(str(v) for v in operand.values)})"
            )
        case _:
            return "" if isinstance(value, str) else "文字列を書いてください"


# ---------------------------------------------------------------- references and cycles


def _refs(conditions: Iterable[Condition | None]) -> Iterator[FactRef | AnswerRef]:
    for condition in conditions:
        if condition is not None:
            for node in references(condition):
                yield node.operand


def _question_conditions(question: Question) -> list[Condition | None]:
    return [question.ask_when, *(case.when for case in question.derive)]


def _dependencies(catalog: Catalog, node: tuple[str, str]) -> list[tuple[str, str]]:
    kind, ident = node
    if kind == "question":
        question = catalog.questions.get(ident)
        conditions: list[Condition | None] = list(_question_conditions(question)) if question else []
    else:
        fact = catalog.facts.get(ident)
        conditions = [fact.count, fact.when] if fact else []
    out = []
    for ref in _refs(conditions):
        if isinstance(ref, AnswerRef) and ref.id in catalog.questions:
            out.append(("question", ref.id))
        elif isinstance(ref, FactRef) and ref.id in catalog.facts:
            out.append(("fact", ref.id))
    return out


def _cycles(catalog: Catalog) -> list[list[tuple[str, str]]]:
    nodes = [("question", q) for q in catalog.questions] + [("fact", f) for f in catalog.facts]
    color: dict[tuple[str, str], int] = {}
    found: list[list[tuple[str, str]]] = []
    seen_cycles: set[frozenset[tuple[str, str]]] = set()

    def visit(node: tuple[str, str], stack: list[tuple[str, str]]) -> None:
        color[node] = 1
        stack.append(node)
        for nxt in _dependencies(catalog, node):
            if color.get(nxt) == 1:
                cycle = [*stack[stack.index(nxt) :], nxt]
                key = frozenset(cycle)
                if key not in seen_cycles:
                    seen_cycles.add(key)
                    found.append(cycle)
            elif color.get(nxt) is None:
                visit(nxt, stack)
        stack.pop()
        color[node] = 2

    for node in nodes:
        if color.get(node) is None:
            visit(node, [])
    return found


def _label(node: tuple[str, str]) -> str:
    return f"{'質問' if node[0] == 'question' else '事実'}「{node[1]}」"


# ---------------------------------------------------------------- the checks


def cross_check(catalog: Catalog) -> list[CatalogIssue]:
    """Every cross-reference problem of an otherwise valid catalog (errors and warnings)."""
    c = _Checker(catalog)
    for counter in catalog.meta.counters:
        if counter.department not in catalog.departments:
            c.issues.append(
                catalog.issue(
                    "counter",
                    counter.id,
                    f"担当課「{counter.department}」は departments にありません",
                    ("department",),
                )
            )
    _check_facts(c, catalog)
    _check_questions(c, catalog)
    for procedure in catalog.procedures.values():
        _check_procedure(c, catalog, procedure)
        _check_legal_basis(c, catalog, procedure)
    _report_overrides(c, catalog)
    errors_so_far = any(i.severity is Severity.ERROR for i in c.issues)

    # Cycles (only meaningful once ids resolve).
    cycles = _cycles(catalog)
    for cycle in cycles:
        kind, ident = cycle[0]
        chain = " → ".join(_label(n) for n in cycle)
        c.issues.append(catalog.issue(kind, ident, f"循環参照があります: {chain}", ("id",)))

    if errors_so_far or cycles:
        return c.issues
    _reachability(c, catalog)
    _unused(c, catalog)
    return c.issues


def _check_legal_basis(c: _Checker, catalog: Catalog, procedure: Procedure) -> None:
    """A national procedure (from the base catalog) names its law and article, and its deadline's."""
    if not catalog.is_national("procedure", procedure.id):
        return
    place = _Place("procedure", procedure.id, ())
    if not procedure.legal_basis:
        c.error(
            place,
            f"国の手続「{procedure.id}」に法令の根拠(legal_basis: 法令名と条)がありません",
            ("id",),
        )
    if procedure.deadline is not None and not procedure.deadline.basis.strip():
        c.error(
            place,
            f"国の手続「{procedure.id}」の期限に根拠(deadline の basis)がありません",
            ("deadline",),
        )


# Changing these of a national entry changes who must do what by when: allowed where the law leaves
# room, but shown as a warning with the municipality's reason.
_SUBSTANTIVE_KEYS = frozenset(
    {"when", "members", "deadline", "legal_basis", "scope", "ask_when", "derive", "otherwise", "count"}
)


def _report_overrides(c: _Checker, catalog: Catalog) -> None:
    for override in catalog.overrides:
        label = f"国の{KIND_LABELS[override.kind]}「{override.ident}」"
        if override.disabled:
            message = f"{label}をこの自治体では使いません — 理由: {override.reason}"
            severity = Severity.WARNING
        else:
            keys = "、".join(override.keys)
            message = f"{label}の {keys} を変えています — 理由: {override.reason}"
            substantive = _SUBSTANTIVE_KEYS.intersection(override.keys)
            severity = Severity.WARNING if substantive else Severity.NOTE
        c.issues.append(CatalogIssue(override.file, override.line, message, severity))


def _check_facts(c: _Checker, catalog: Catalog) -> None:
    for fact in catalog.facts.values():
        place = _Place("fact", fact.id, ())
        if fact.id in BUILTIN_FACTS:
            c.error(place, f"「{fact.id}」は組み込みの事実と同じ名前です。別の id にしてください", ("id",))
        if fact.id in catalog.questions:
            c.error(place, f"「{fact.id}」は質問の id と同じです。別の id にしてください", ("id",))
        if fact.count is not None:
            c.condition(fact.count, True, _Place("fact", fact.id, ("count",)))
        if fact.when is not None:
            c.condition(fact.when, fact.scope == "member", _Place("fact", fact.id, ("when",)))


def _check_questions(c: _Checker, catalog: Catalog) -> None:
    for question in catalog.questions.values():
        member = question.scope == "member"
        place = _Place("question", question.id, ())
        c.condition(question.ask_when, member, _Place("question", question.id, ("ask_when",)))
        for i, case in enumerate(question.derive):
            c.condition(case.when, member, _Place("question", question.id, ("derive", i, "when")))
            c.answer_value(question, case.value, place, ("derive", i, "value"))
        if question.otherwise is not None:
            c.answer_value(question, question.otherwise, place, ("otherwise",))
        for i, pid in enumerate(question.for_procedures):
            if pid not in catalog.procedures:
                c.error(place, f"手続「{pid}」は定義されていません", ("for_procedures", i))


def _check_procedure(c: _Checker, catalog: Catalog, procedure: Procedure) -> None:
    place = _Place("procedure", procedure.id, ())
    member = procedure.scope == "member"
    if procedure.department not in catalog.departments:
        c.error(
            place,
            f"担当課「{procedure.department}」は catalog.yaml の departments にありません",
            ("department",),
        )
    if procedure.counter not in catalog.counters:
        c.error(place, f"窓口「{procedure.counter}」は catalog.yaml の counters にありません", ("counter",))
    for i, item in enumerate(procedure.bring):
        if item not in catalog.items:
            c.error(place, f"持ち物「{item}」は items.yaml にありません", ("bring", i))
    forms = catalog.forms
    for i, form in enumerate(procedure.forms):
        if form not in forms:
            c.error(
                place,
                f"様式「{form}」は catalog.yaml の forms にありません(様式の id を確認してください)",
                ("forms", i),
            )
    sources = catalog.sources
    for i, source in enumerate(procedure.sources):
        if source not in sources:
            c.error(place, f"出典「{source}」は catalog.yaml の sources にありません", ("sources", i))
    c.condition(procedure.when, member, _Place("procedure", procedure.id, ("when",)))
    if procedure.members is not None:
        c.condition(procedure.members, True, _Place("procedure", procedure.id, ("members",)))
    for field_name in ("reason", "reason_en"):
        _check_template(
            c,
            catalog,
            procedure.id,
            field_name,
            getattr(procedure, field_name),
            member,
            procedure.members is not None,
        )
    for where, qid in _deadline_answers(procedure):
        question = catalog.questions.get(qid)
        if question is None:
            c.error(place, f"質問「{qid}」は定義されていません", where)
        elif question.type != "date":
            c.error(place, f"質問「{qid}」は日付の質問ではありません(type: date が必要です)", where)
        elif question.scope == "member" and not member:
            c.error(place, _member_only("質問", qid), where)


def _deadline_answers(procedure: Procedure) -> list[tuple[PathKey, str]]:
    """The date questions a deadline counts from (its own ``from_answer`` and its ``earliest_of``)."""
    rule = procedure.deadline
    if rule is None:
        return []
    found: list[tuple[PathKey, str]] = []
    if rule.from_answer is not None:
        found.append((("deadline", "from_answer"), rule.from_answer))
    for i, alternative in enumerate(rule.earliest_of):
        if alternative.from_answer is not None:
            found.append((("deadline", "earliest_of", i, "from_answer"), alternative.from_answer))
    return found


def _check_template(
    c: _Checker, catalog: Catalog, pid: str, field_name: str, template: str, member: bool, has_selector: bool
) -> None:
    place = _Place("procedure", pid, (field_name,))
    try:
        names = list(placeholders(template))
    except TemplateSyntaxError as exc:
        c.error(place, exc.message)
        return
    for name in names:
        if name == "count":
            if not (member or has_selector):
                c.error(place, "{count} は members のある手続か scope: member の手続でだけ使えます")
            continue
        builtin = BUILTIN_FACTS.get(name)
        if builtin is not None:
            scope = builtin.scope
        elif name in catalog.facts:
            scope = catalog.facts[name].scope
        elif name in catalog.questions:
            scope = catalog.questions[name].scope
        else:
            c.error(place, f"{{{name}}} は事実・質問のどの id でもありません")
            continue
        if scope == "member" and not member:
            c.error(place, f"{{{name}}} は世帯員ごとの値なので、scope: member の手続でだけ使えます")


def _reachability(c: _Checker, catalog: Catalog) -> None:
    solver = Solver(catalog)
    for procedure in catalog.procedures.values():
        condition: Condition = procedure.when
        if procedure.members is not None:
            condition = AllOf((procedure.when, AnyMember(procedure.members)))
        if not solver.satisfiable(condition, procedure.scope == "member"):
            c.error(
                _Place("procedure", procedure.id, ()),
                f"手続「{procedure.id}」はどの世帯・どの回答でも対象になりません"
                "(条件が矛盾しているか、尋ねられない質問を使っています)",
                ("when",),
            )
    for question in catalog.questions.values():
        if not solver.satisfiable(question.ask_when, question.scope == "member"):
            c.error(
                _Place("question", question.id, ()),
                f"質問「{question.id}」の ask_when はどの世帯・どの回答でも満たされず、"
                "尋ねられることがありません",
                ("ask_when",),
            )

    used_questions, used_facts = _used(catalog)
    for question in catalog.questions.values():
        # A base question left without use by a municipality's override is simply never asked.
        if question.id not in used_questions and not catalog.is_inherited("question", question.id):
            c.error(
                _Place("question", question.id, ()),
                f"質問「{question.id}」はどの手続の判定にも使われていません(尋ねる理由がありません)",
                ("id",),
            )
    for fact in catalog.facts.values():
        if fact.id not in used_facts and not catalog.is_inherited("fact", fact.id):
            c.error(
                _Place("fact", fact.id, ()),
                f"事実「{fact.id}」はどこからも使われていません",
                ("id",),
                Severity.WARNING,
            )


def _used(catalog: Catalog) -> tuple[set[str], set[str]]:
    """Questions and facts reachable from the procedures (conditions, templates, deadlines, forms)."""
    questions: set[str] = set()
    facts: set[str] = set()
    todo: list[tuple[str, str]] = []

    def mark(refs: Iterable[FactRef | AnswerRef]) -> None:
        for ref in refs:
            if isinstance(ref, AnswerRef) and ref.id not in questions:
                questions.add(ref.id)
                todo.append(("question", ref.id))
            elif isinstance(ref, FactRef) and ref.id in catalog.facts and ref.id not in facts:
                facts.add(ref.id)
                todo.append(("fact", ref.id))

    for procedure in catalog.procedures.values():
        mark(_refs([procedure.when, procedure.members]))
        for template in (procedure.reason, procedure.reason_en):
            for name in placeholders(template):
                if name in catalog.questions:
                    mark([AnswerRef(name)])
                elif name in catalog.facts:
                    mark([FactRef(name)])
        mark([AnswerRef(qid) for _, qid in _deadline_answers(procedure)])
    for question in catalog.questions.values():
        if question.for_procedures:
            mark([AnswerRef(question.id)])
    while todo:
        kind, ident = todo.pop()
        if kind == "question":
            mark(_refs(_question_conditions(catalog.questions[ident])))
        else:
            fact = catalog.facts[ident]
            mark(_refs([fact.count, fact.when]))
    return questions, facts


def _unused(c: _Checker, catalog: Catalog) -> None:
    procedures = list(catalog.procedures.values())
    used_items = {i for p in procedures for i in p.bring}
    used_forms = {f for p in procedures for f in p.forms}
    used_sources = {s for p in procedures for s in p.sources}
    used_counters = {p.counter for p in procedures}
    warn = Severity.WARNING
    for item in catalog.items:
        if item not in used_items and not catalog.is_inherited("item", item):
            c.issues.append(
                catalog.issue("item", item, f"持ち物「{item}」はどの手続でも使われていません", ("id",), warn)
            )
    for form in catalog.forms:
        if form not in used_forms and not catalog.is_inherited("form", form):
            c.issues.append(
                catalog.issue("form", form, f"様式「{form}」はどの手続でも使われていません", ("id",), warn)
            )
    for source in catalog.sources:
        if source not in used_sources and not catalog.is_inherited("source", source):
            c.issues.append(
                catalog.issue(
                    "source", source, f"出典「{source}」はどの手続でも使われていません", ("id",), warn
                )
            )
    for counter in catalog.counters:
        if counter not in used_counters and not catalog.is_inherited("counter", counter):
            c.issues.append(
                catalog.issue(
                    "counter", counter, f"窓口「{counter}」はどの手続でも使われていません", ("id",), warn
                )
            )
    conditions: list[Condition | None] = [p.when for p in procedures]
    conditions += [p.members for p in procedures]
    conditions += [f.count for f in catalog.facts.values()] + [f.when for f in catalog.facts.values()]
    event_refs = {e for condition in conditions for events in _walk_events(condition) for e in events}
    for event in catalog.events:
        if event not in event_refs and not catalog.is_inherited("event", event):
            c.issues.append(
                catalog.issue(
                    "event", event, f"届出の種類「{event}」を条件に使う手続がありません", ("id",), warn
                )
            )


def _walk_events(condition: Condition | None) -> Iterator[tuple[str, ...]]:
    if condition is None:
        return
    for node in walk(condition):
        if isinstance(node, EventIs):
            yield node.events
