"""The rows of a visit for one layout: one row per person concerned by each 届出, grouped in batches.

* A **batch** is one 届出 (one procedure of the visit: the 転入届, the 国保 加入 …); its id is the visit
  id and the procedure's place among the visit's procedures (``V20250601-001-03``), the same in every
  layout and on the printed form's back-office QR code (:func:`batch_refs`).
* A **row** is one person the 届出 concerns (its id is the batch id and the member's number,
  ``…-03-02``): the procedure's members, or for a household procedure the members the event concerns.
* A value that the layout's checks refuse (a check digit, an 11-digit 住所コード, フリガナ in katakana,
  a 届出日 after today, an 異動日 after today except for 転出, a label with no code) or a character that
  the encoding lacks and the map does not substitute **stops that row**: it is not written, and a
  :class:`RowProblem` tells the back office why, in Japanese, so the paper form is keyed instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from procedures.engine import Guidance, NeededProcedure
from procedures.handoff.charset import Substitution, Unmappable, fit
from procedures.handoff.load import HandoffLayout
from procedures.handoff.model import KIND_LABELS, TEXT_SOURCES, Column, Kind
from procedures.handoff.standard import (
    MOVE_OUT_REASONS,
    address_code_problem,
    format_date,
    katakana_problem,
    modulus11_problem,
    to_katakana,
)
from procedures.visit import Member, Relationship, Sex, Visit


@dataclass(frozen=True, slots=True)
class PersonNumbers:
    """Numbers of the core system the counter knows for a person (from a look-up or a previous paper);
    the visit itself never holds them. Empty strings when unknown (a 転入: the core system numbers)."""

    atena_number: str = ""
    setai_number: str = ""
    address_code: str = ""


@dataclass(frozen=True, slots=True)
class BatchRef:
    batch_id: str
    procedure_id: str
    members: tuple[int, ...]

    def row_id(self, member: int) -> str:
        return f"{self.batch_id}-{member + 1:02d}"

    @property
    def row_ids(self) -> tuple[str, ...]:
        return tuple(self.row_id(m) for m in self.members)


@dataclass(frozen=True)
class HandoffRow:
    kind: str
    batch_id: str
    row_id: str
    procedure_id: str
    member: int
    values: Mapping[str, str]  # column id → text as written (in column order)
    substitutions: tuple[tuple[str, Substitution], ...] = ()

    def __repr__(self) -> str:
        count = len(self.substitutions)
        return f"HandoffRow({self.kind}, {self.row_id}, values=<redacted>, substitutions={count})"


@dataclass(frozen=True, slots=True)
class RowProblem:
    """Why a row was not written (Japanese, for the back office; no name or address in it)."""

    kind: str
    batch_id: str
    row_id: str
    procedure_id: str
    column: str
    message: str

    def __str__(self) -> str:
        where = f"{KIND_LABELS[self.kind]} {self.row_id}(手続 {self.procedure_id})"
        return f"{where}「{self.column}」: {self.message}"


@dataclass
class Rows:
    rows: list[HandoffRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[HandoffRow]:
        return [r for r in self.rows if r.kind == kind]


def visit_procedure_ids(guidance: Guidance) -> tuple[str, ...]:
    """The visit's procedure ids once each, in the order of the guidance."""
    return tuple(dict.fromkeys(p.id for p in guidance.procedures))


def batch_refs(
    visit_id: str, guidance: Guidance, member_count: int, staying: Collection[str] = ()
) -> dict[str, BatchRef]:
    """Batch id and persons of every procedure of the visit (by procedure id): a per-member
    procedure's members; for a household procedure the members the event concerns, or those it does
    not concern for the procedures in ``staying`` (a layout's 世帯主変更)."""
    members: dict[str, list[int]] = {}
    others = tuple(m for m in range(member_count) if m not in guidance.subjects)
    for needed in guidance.procedures:
        listed = needed.members or (others if needed.id in staying else guidance.subjects)
        bucket = members.setdefault(needed.id, [])
        bucket.extend(m for m in listed if m not in bucket)
    return {
        pid: BatchRef(f"{visit_id}-{seq:02d}", pid, tuple(sorted(members[pid])))
        for seq, pid in enumerate(visit_procedure_ids(guidance), start=1)
    }


class _Stop(Exception):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


def standard_relationship(member: Member, householder: Member | None) -> str:
    """The member's 続柄 as 住民記録システム標準仕様書 1.1.11 writes it; :class:`ValueError` (Japanese)
    when the visit does not say enough (祖父母: father's or mother's side)."""
    male = member.sex is Sex.MALE
    match member.relationship:
        case Relationship.SELF:
            return "世帯主"
        case Relationship.SPOUSE:
            return "夫" if male else "妻"
        case Relationship.CHILD:
            return "子"
        case Relationship.PARENT:
            return "父" if male else "母"
        case Relationship.GRANDCHILD:
            return "子の子"
        case Relationship.CHILD_SPOUSE:
            return "子の夫" if male else "子の妻"
        case Relationship.OTHER_RELATIVE:
            return "縁故者"
        case Relationship.UNRELATED:
            return "同居人"
        case Relationship.SPOUSE_PARENT:
            if householder is None:
                raise ValueError(
                    "世帯主が来庁データにいないため、配偶者の父母の続柄(妻の父など)が決まりません"
                )
            spouse = "妻" if householder.sex is Sex.MALE else "夫"
            return f"{spouse}の{'父' if male else '母'}"
        case Relationship.SIBLING:
            if householder is None or householder.birth_date == member.birth_date:
                raise ValueError(
                    "世帯主との年の上下が分からないため、兄弟姉妹の続柄(兄・弟など)が決まりません"
                )
            older = member.birth_date < householder.birth_date
            return ("兄" if older else "弟") if male else ("姉" if older else "妹")
        case Relationship.GRANDPARENT:
            raise ValueError("祖父母が父方か母方か分からないため、標準の続柄(父の父など)が決まりません")
    raise ValueError("続柄が決まりません")


class _RowBuilder:
    def __init__(
        self,
        layout: HandoffLayout,
        visit: Visit,
        guidance: Guidance,
        visit_id: str,
        today: dt.date,
        notification_date: dt.date,
        numbers: Mapping[int, PersonNumbers],
    ) -> None:
        self.layout = layout
        self.visit = visit
        self.guidance = guidance
        self.visit_id = visit_id
        self.today = today
        self.notification_date = notification_date
        self.numbers = numbers
        self.householder = next((m for m in visit.members if m.householder), None)
        self.procedures = " ".join(visit_procedure_ids(guidance))

    def reason(self, procedure_id: str) -> str | None:
        for rule in self.layout.layout.reasons:
            if rule.event is not None and rule.event != self.guidance.event.id:
                continue
            if rule.procedure is not None and rule.procedure != procedure_id:
                continue
            if rule.answer is None or self.guidance.known(rule.answer) is True:
                return rule.label
        return None

    def date(self, column: Column, day: dt.date) -> str:
        layout = self.layout.layout
        return format_date(day, column.date or layout.date_style, layout.wareki_format, layout.seireki_format)

    def raw(self, column: Column, kind: Kind, ref: BatchRef, needed: NeededProcedure, member: int) -> str:
        source = column.source
        person = self.visit.members[member]
        numbers = self.numbers.get(member, PersonNumbers())
        match source:
            case "batch.id":
                return ref.batch_id
            case "batch.procedures":
                return ref.procedure_id
            case "batch.procedure_names":
                return needed.procedure.name
            case "batch.forms":
                return " ".join(needed.forms)
            case "visit.id":
                return self.visit_id
            case "visit.procedures":
                return self.procedures
            case "row.id":
                return ref.row_id(member)
            case "row.number":
                return str(ref.members.index(member) + 1)
            case "notification.date":
                if self.notification_date > self.today:
                    raise _Stop(column.header, "届出日が今日より後の日付です(届出日は今日以前にしてください)")
                return self.date(column, self.notification_date)
            case "notification.event_date":
                day = self.guidance.event_date
                if day > self.today and self.reason(ref.procedure_id) not in MOVE_OUT_REASONS:
                    raise _Stop(
                        column.header, "異動日が今日より後の日付です(今日より後にできるのは転出だけです)"
                    )
                return self.date(column, day)
            case "notification.reason":
                reason = self.reason(ref.procedure_id)
                if reason is None:
                    raise _Stop(
                        column.header,
                        f"届出の種類「{self.guidance.event.id}」の異動事由が"
                        "レイアウトの reasons にありません",
                    )
                return reason
            case "notification.event":
                return self.guidance.event.id
            case "person.number":
                return str(member + 1)
            case "person.name":
                return person.name
            case "person.furigana":
                return to_katakana(person.furigana or "")
            case "person.birth_date":
                return self.date(column, person.birth_date)
            case "person.sex":
                return person.sex.label_ja
            case "person.relationship":
                return self.relationship(column, person)
            case "person.is_householder":
                return "1" if person.householder else "0"
            case "person.address":
                return person.address or ""
            case "person.source":
                return person.source.value
            case "person.atena_number":
                return numbers.atena_number
            case "person.setai_number":
                return numbers.setai_number
            case "person.address_code":
                return numbers.address_code
            case "householder.name":
                return self.householder.name if self.householder else ""
            case "applicant.name":
                return self.visit.members[0].name
            case "applicant.relationship":
                return self.relationship(column, self.visit.members[0])
        assert source is not None
        scope, qid = source.split(":", 1)
        value = self.guidance.known(qid, member if scope == "member_answer" else None)
        if value is None:
            return ""
        if isinstance(value, bool):
            return "1" if value else "0"
        if isinstance(value, dt.date):
            return self.date(column, value)
        return str(value)

    def relationship(self, column: Column, person: Member) -> str:
        try:
            return standard_relationship(person, self.householder)
        except ValueError as exc:
            raise _Stop(column.header, f"{exc}。基幹システムで続柄を入力してください") from None

    def value(self, column: Column, kind: Kind, ref: BatchRef, needed: NeededProcedure, member: int) -> str:
        if column.value is not None:
            return column.value
        text = self.raw(column, kind, ref, needed, member)
        if column.codes is not None and text:
            table = self.layout.layout.code_tables[column.codes]
            normalized = {k.replace("（", "(").replace("）", ")"): v for k, v in table.items()}
            code = normalized.get(text.replace("（", "(").replace("）", ")"))
            if code is None:
                raise _Stop(
                    column.header,
                    f"「{text}」はコード表「{column.codes}」にありません(レイアウトに追加してください)",
                )
            text = code
        if column.required and not text:
            raise _Stop(column.header, "必須の項目が空です")
        if text[:1] in FORMULA_STARTS and column.source is not None and _free_text(column.source):
            # A name or address typed or read from a resident's QR code must not become a spreadsheet
            # formula when the back office opens the file (CSV injection); changing it would be silent.
            raise _Stop(
                column.header,
                f"値が「{text[:1]}」で始まるため書き出しません(表計算ソフトで式として扱われるおそれがあります)",
            )
        if text and column.check is not None:
            problem = self.check(column, text)
            if problem is not None:
                raise _Stop(column.header, problem)
        return text

    def check(self, column: Column, text: str) -> str | None:
        match column.check:
            case "modulus11":
                return modulus11_problem(text, self.layout.layout.modulus11_remainder_one)
            case "address_code":
                return address_code_problem(text)
            case "katakana":
                return katakana_problem(text)
            case "digits":
                return None if text.isascii() and text.isdigit() else "半角数字だけで書いてください"
        return None

    def row(self, kind: Kind, ref: BatchRef, needed: NeededProcedure, member: int) -> HandoffRow:
        values: dict[str, str] = {}
        substitutions: list[tuple[str, Substitution]] = []
        for column in kind.columns:
            if column.flag_of is not None or column.source in ("row.out_of_range", "row.substitutions"):
                values[column.id] = ""
                continue
            text = self.value(column, kind, ref, needed, member)
            try:
                fitted = fit(text, self.layout.policy)
            except Unmappable as exc:
                raise _Stop(column.header, exc.message) from None
            values[column.id] = fitted.text
            substitutions += [(column.id, s) for s in fitted.substitutions]
        changed = {cid for cid, _ in substitutions}
        for column in kind.columns:
            if column.flag_of is not None:
                values[column.id] = "1" if column.flag_of in changed else "0"
            elif column.source == "row.out_of_range":
                values[column.id] = "1" if substitutions else "0"
            elif column.source == "row.substitutions":
                values[column.id] = " ".join(f"{cid}:{s.describe()}" for cid, s in substitutions)
        return HandoffRow(
            kind.kind,
            ref.batch_id,
            ref.row_id(member),
            ref.procedure_id,
            member,
            values,
            tuple(substitutions),
        )


FORMULA_STARTS = frozenset("=+-@\t\r")


def _free_text(source: str) -> bool:
    return source in TEXT_SOURCES or source.startswith(("answer:", "member_answer:"))


def _printed(needed: NeededProcedure, printed_forms: Collection[str] | None) -> bool:
    if printed_forms is None:
        return bool(needed.forms)
    return any(f in printed_forms for f in needed.forms)


def build_rows(
    layout: HandoffLayout,
    visit: Visit,
    guidance: Guidance,
    visit_id: str,
    today: dt.date,
    notification_date: dt.date | None = None,
    printed_forms: Collection[str] | None = None,
    numbers: Mapping[int, PersonNumbers] | None = None,
    kinds: Collection[str] | None = None,
) -> Rows:
    """Every row of the visit for ``layout`` (only ``kinds`` when given) and every stopped row.

    ``printed_forms``: the form ids printed for the visit (a procedure makes rows only when one of its
    forms was printed); ``None`` takes every procedure that has a form."""
    builder = _RowBuilder(layout, visit, guidance, visit_id, today, notification_date or today, numbers or {})
    staying = {p for k in layout.layout.kinds for p in k.staying}
    refs = batch_refs(visit_id, guidance, len(visit.members), staying)
    listed = {p for k in layout.layout.kinds if k.procedures != "*" for p in k.procedures}
    first: dict[str, NeededProcedure] = {}
    for needed in guidance.procedures:
        first.setdefault(needed.id, needed)
    result = Rows()
    for kind in layout.layout.kinds:
        if kinds is not None and kind.kind not in kinds:
            continue
        for pid, needed in first.items():
            wanted = pid not in listed if kind.procedures == "*" else pid in kind.procedures
            if not wanted or not _printed(needed, printed_forms):
                continue
            ref = refs[pid]
            for member in ref.members:
                try:
                    result.rows.append(builder.row(kind, ref, needed, member))
                except _Stop as stop:
                    result.problems.append(
                        RowProblem(
                            kind.kind, ref.batch_id, ref.row_id(member), pid, stop.column, stop.message
                        )
                    )
    return result
