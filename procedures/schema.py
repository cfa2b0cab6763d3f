"""The typed schema of a catalog folder (pydantic v2), one model per YAML file.

A catalog folder holds::

    catalog.yaml        metadata: municipality, version, sources, departments, counters, form ids
    items.yaml          things to bring (本人確認書類, 転出証明書 …), referenced by id
    events.yaml         life events (転入, 出生, 死亡 …) and who their subject is
    facts.yaml          facts derived without asking (counts of members, named conditions)
    questions.yaml      questions, asked once per household or once per member, only when relevant
    procedures/*.yaml   procedures, one file per department or as the municipality likes

Every model forbids unknown keys, so a misspelt key is an error with its line, not a silent default.
Cross-references (ids) are checked by :mod:`procedures.check`, not here.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, PlainValidator, field_validator, model_validator
from pydantic_core import PydanticCustomError

from procedures.conditions import ALWAYS, Condition, ConditionSyntaxError, parse_condition

CATALOG_FORMAT = "madoguchi-catalog/1"

Ident = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
"""An id: lower-case ASCII letters, digits and ``_``, starting with a letter."""

Text = Annotated[str, Field(min_length=1)]

AnswerValue = bool | int | str | dt.date
QuestionType = Literal["yes_no", "choice", "number", "date", "text"]
Scope = Literal["household", "member"]


def _condition(raw: Any) -> Condition:
    try:
        return parse_condition(raw)
    except ConditionSyntaxError as exc:
        raise PydanticCustomError(
            "condition", "{message}", {"message": exc.message, "subpath": list(exc.path)}
        ) from None


ConditionField = Annotated[Condition, PlainValidator(_condition)]


T = TypeVar("T")


def _no_repeats(values: list[T]) -> list[T]:
    """A list where every entry is written once (a repeated id or day is a mistake, named in Japanese)."""
    seen: set[T] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"「{value}」が2回書かれています")
        seen.add(value)
    return values


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


# ---------------------------------------------------------------- catalog.yaml


class Source(_Model):
    """A public guide a rule was taken from (named in the catalog's metadata, cited by procedures)."""

    id: Ident
    title: Text
    url: Annotated[str, Field(pattern=r"^https?://\S+$")]
    publisher: str = ""
    used_for: str = ""


class FormDecl(_Model):
    """A form the catalog expects the forms package to hold (procedures refer to these ids)."""

    id: Ident
    name: Text
    name_en: Text


class Department(_Model):
    id: Ident
    name: Text
    name_en: Text


class Counter(_Model):
    id: Ident
    name: Text
    name_en: Text
    department: Ident
    place: str = ""
    place_en: str = ""


Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""``date.weekday()`` order."""


def _month_day(value: str) -> tuple[int, int]:
    """``"12-29"`` → ``(12, 29)``; ``02-29`` is a valid day (it exists in leap years)."""
    try:
        month, day = (int(part) for part in value.split("-"))
        dt.date(2000, month, day)
    except ValueError:
        raise ValueError(f"「{value}」は月-日(例: 12-29)の形で書いてください") from None
    return month, day


class ClosedPeriod(_Model):
    """Days closed every year, ``from`` ``12-29`` ``to`` ``01-03`` (both included; may wrap the year end)."""

    start: str = Field(alias="from")
    end: str = Field(alias="to")
    name: str = ""
    name_en: str = ""

    @field_validator("start", "end")
    @classmethod
    def _valid_day(cls, value: str) -> str:
        _month_day(value)
        return value

    def contains(self, day: dt.date) -> bool:
        here = (day.month, day.day)
        start, end = _month_day(self.start), _month_day(self.end)
        if start <= end:
            return start <= here <= end
        return here >= start or here <= end


class OfficeCalendar(_Model):
    """The municipality's 休日 (地方自治法4条の2, the 休日条例) and what happens to a deadline on one.

    ``rule: next_open_day`` moves a deadline that falls on a closed day to the next open day
    (地方自治法4条の2第4項, 民法142条); ``none`` keeps the day and says that it is closed.
    """

    closed_weekdays: list[Weekday] = ["sat", "sun"]
    national_holidays: bool = True
    closed_periods: list[ClosedPeriod] = []
    extra_closed: list[dt.date] = []
    extra_open: list[dt.date] = []
    rule: Literal["next_open_day", "none"] = "next_open_day"
    basis: Text

    @field_validator("closed_weekdays", "extra_closed", "extra_open")
    @classmethod
    def _unique_days(cls, values: list[Any]) -> list[Any]:
        return _no_repeats(values)

    @model_validator(mode="after")
    def _some_open_day(self) -> OfficeCalendar:
        both = sorted(set(self.extra_closed) & set(self.extra_open))
        if both:
            raise ValueError(f"{both[0].isoformat()} が extra_closed と extra_open の両方に書かれています")
        if len(self.closed_weekdays) == len(WEEKDAYS):
            raise ValueError("すべての曜日を閉庁日にはできません(closed_weekdays を確認してください)")
        year = [dt.date(2024, 1, 1) + dt.timedelta(days=n) for n in range(366)]
        if all(self.closed_every_year(day) for day in year):
            raise ValueError("closed_weekdays と closed_periods で1年のすべての日が閉庁日になっています")
        return self

    def closed_every_year(self, day: dt.date) -> bool:
        """Closed by the weekday or a yearly period (holidays and ``extra_*`` not considered)."""
        if WEEKDAYS[day.weekday()] in self.closed_weekdays:
            return True
        return any(p.contains(day) for p in self.closed_periods)


class CatalogMeta(_Model):
    format: Literal["madoguchi-catalog/1"]
    id: Ident
    base: bool = False
    """A base catalog (the national rules): inherited by municipalities, never used on its own."""
    extends: str | None = None
    """The base this municipality's catalog builds on: a shipped base's name or a folder path."""
    municipality: Text
    municipality_en: Text
    version: Text
    effective_from: dt.date
    fictional: bool = False
    note: str = ""
    sources: list[Source] = Field(min_length=1)
    forms: list[FormDecl] = []
    departments: list[Department] = []
    counters: list[Counter] = []
    office_calendar: OfficeCalendar | None = None

    @model_validator(mode="after")
    def _base_or_overlay(self) -> CatalogMeta:
        if self.base and self.extends:
            raise ValueError("base: true のカタログは extends を書けません(基になるカタログは1段だけです)")
        if not self.extends and not self.departments:
            raise ValueError("departments を1つ以上書いてください")
        if not self.extends and not self.counters:
            raise ValueError("counters を1つ以上書いてください")
        return self


# ---------------------------------------------------------------- items.yaml


class Item(_Model):
    id: Ident
    name: Text
    name_en: Text
    note: str = ""
    note_en: str = ""


class ItemsFile(_Model):
    items: list[Item] = []


# ---------------------------------------------------------------- events.yaml


class SubjectRule(_Model):
    """Who the event is about: every member unless marked otherwise (転入), or only those marked (死亡)."""

    default: Literal["all", "none"] = "all"
    min: Annotated[int, Field(ge=0)] = 1
    max: Annotated[int, Field(ge=1)] | None = None
    label: Text = "届出の対象の方"
    label_en: Text = "person concerned"

    @model_validator(mode="after")
    def _bounds(self) -> SubjectRule:
        if self.max is not None and self.max < self.min:
            raise ValueError("max は min 以上にしてください")
        return self


class Event(_Model):
    id: Ident
    name: Text
    name_en: Text
    date_label: Text
    date_label_en: Text
    description: str = ""
    description_en: str = ""
    subjects: SubjectRule = SubjectRule()


class EventsFile(_Model):
    events: list[Event] = Field(min_length=1)


# ---------------------------------------------------------------- facts.yaml


class Fact(_Model):
    """A fact derived without asking.

    Either ``count`` (household scope: how many members satisfy a per-member condition) or ``when``
    (a named yes/no condition, per household or per member).
    """

    id: Ident
    name: Text
    name_en: Text
    scope: Scope = "household"
    count: ConditionField | None = None
    when: ConditionField | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> Fact:
        if (self.count is None) == (self.when is None):
            raise ValueError("count と when のどちらか一方だけを書いてください")
        if self.count is not None and self.scope != "household":
            raise ValueError("count は scope: household の事実にだけ書けます")
        return self

    @property
    def kind(self) -> Literal["count", "condition"]:
        return "count" if self.count is not None else "condition"


class FactsFile(_Model):
    facts: list[Fact] = []


# ---------------------------------------------------------------- questions.yaml


class Choice(_Model):
    value: Ident
    label: Text
    label_en: Text


class DeriveCase(_Model):
    """The answer is known without asking when ``when`` holds (e.g. a card was read → has a card)."""

    value: AnswerValue
    when: ConditionField


class Question(_Model):
    id: Ident
    text: Text
    text_en: Text
    type: QuestionType
    scope: Scope = "household"
    help: str = ""
    help_en: str = ""
    choices: list[Choice] = []
    min: int | None = None
    max: int | None = None
    ask_when: ConditionField = ALWAYS
    derive: list[DeriveCase] = []
    otherwise: AnswerValue | None = None
    for_procedures: list[Ident] = []
    after: Ident | None = None
    """Asked right after this question (a municipality places its own questions among the base's)."""

    @model_validator(mode="after")
    def _choices(self) -> Question:
        if self.type == "choice" and len(self.choices) < 2:
            raise ValueError("type: choice の質問には choices を2つ以上書いてください")
        if self.type != "choice" and self.choices:
            raise ValueError("choices は type: choice の質問にだけ書けます")
        if (self.min is not None or self.max is not None) and self.type != "number":
            raise ValueError("min / max は type: number の質問にだけ書けます")
        return self


class QuestionsFile(_Model):
    questions: list[Question] = Field(min_length=1)


# ---------------------------------------------------------------- procedures/*.yaml


class LegalBasis(_Model):
    """The law and article a national procedure rests on (``{law: 住民基本台帳法, article: 22条1項}``)."""

    law: Text
    article: Text
    note: str = ""


class Period(_Model):
    """A period: ``days`` / ``months`` / ``years`` after the event (or after a date answer)."""

    days: Annotated[int, Field(ge=0)] | None = None
    months: Annotated[int, Field(ge=1)] | None = None
    years: Annotated[int, Field(ge=1)] | None = None
    include_event_day: bool = False
    from_answer: Ident | None = None
    basis: str = ""
    """Where the deadline comes from: the article (``住民基本台帳法22条1項``) or the municipality's rule."""

    @property
    def has_period(self) -> bool:
        return any(getattr(self, n) is not None for n in ("days", "months", "years"))

    @model_validator(mode="after")
    def _one_period(self) -> Period:
        given = [n for n in ("days", "months", "years") if getattr(self, n) is not None]
        if len(given) > 1:
            raise ValueError("days / months / years はどれか1つだけ書いてください")
        if self.from_answer and not given:
            raise ValueError("from_answer には days / months / years のどれかが必要です")
        return self


class AlternativePeriod(Period):
    """One more period of an ``earliest_of`` deadline (住基法24条の2: 14 days from moving in *and*
    30 days from the 転出予定日, whichever ends first)."""

    @model_validator(mode="after")
    def _needs_period(self) -> AlternativePeriod:
        if not self.has_period:
            raise ValueError("earliest_of の各項目には days / months / years のどれかが必要です")
        return self


class DeadlineRule(Period):
    """``days`` / ``months`` / ``years`` after the event (or a date answer), or ``before_event``.

    Japanese law counts periods from the day after the event (民法140条), so "14日以内" of a move on
    4/1 ends on 4/15; 戸籍 notifications count the event day itself (戸籍法43条: ``include_event_day``).
    ``earliest_of`` lists further periods; the deadline is the earliest of them all.
    With none of the four, the rule is text only (no date is computed).
    """

    before_event: bool = False
    earliest_of: list[AlternativePeriod] = []
    text: Text
    text_en: Text

    @model_validator(mode="after")
    def _alternatives(self) -> DeadlineRule:
        if self.before_event and (self.has_period or self.from_answer):
            raise ValueError("before_event と期間(days など)は一緒に書けません")
        if self.earliest_of and not self.has_period:
            raise ValueError("earliest_of は days / months / years のある期限にだけ書けます")
        return self


class Procedure(_Model):
    id: Ident
    name: Text
    name_en: Text
    department: Ident
    counter: Ident
    scope: Scope = "household"
    when: ConditionField
    members: ConditionField | None = None
    reason: Text
    reason_en: Text
    bring: list[Ident] = []
    forms: list[Ident] = []
    deadline: DeadlineRule | None = None
    sources: list[Ident] = Field(min_length=1)
    legal_basis: list[LegalBasis] = []
    form_values: dict[Ident, str] = {}
    """Values this procedure's forms carry that are the municipality's data, not the resident's: the
    insurer's name, an amount set by ordinance (``{insurer: 国民健康保険, benefit_amount: 70,000円}``)."""
    note: str = ""
    note_en: str = ""

    @field_validator("bring", "forms", "sources")
    @classmethod
    def _unique(cls, values: list[str]) -> list[str]:
        return _no_repeats(values)

    @model_validator(mode="after")
    def _members_scope(self) -> Procedure:
        if self.members is not None and self.scope != "household":
            raise ValueError(
                "members は scope: household の手続にだけ書けます(member の手続は when で絞ります)"
            )
        return self


class ProceduresFile(_Model):
    procedures: list[Procedure] = Field(min_length=1)


# ---------------------------------------------------------------- overrides.yaml

OVERRIDE_KINDS = ("procedure", "question", "fact", "item", "event")


class Override(_Model):
    """A municipality's explicit change to an entry of its base catalog, always with a reason."""

    procedure: Ident | None = None
    question: Ident | None = None
    fact: Ident | None = None
    item: Ident | None = None
    event: Ident | None = None
    disable: bool = False
    changes: dict[str, Any] | None = Field(default=None, alias="set")
    reason: Text

    @model_validator(mode="after")
    def _one_target(self) -> Override:
        targets = [k for k in OVERRIDE_KINDS if getattr(self, k) is not None]
        if len(targets) != 1:
            raise ValueError("procedure / question / fact / item / event のどれか1つだけを書いてください")
        if self.disable == (self.changes is not None):
            raise ValueError("disable: true か set のどちらか一方を書いてください")
        if self.disable and targets[0] != "procedure":
            raise ValueError("disable は手続(procedure)にだけ使えます")
        if self.changes is not None and "id" in self.changes:
            raise ValueError("id は変えられません")
        if self.changes is not None and not self.changes:
            raise ValueError("set に変える項目を書いてください")
        return self

    @property
    def target(self) -> tuple[str, str]:
        kind = next(k for k in OVERRIDE_KINDS if getattr(self, k) is not None)
        return kind, str(getattr(self, kind))


class OverridesFile(_Model):
    overrides: list[Override] = []
