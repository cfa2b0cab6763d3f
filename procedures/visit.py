"""The visit: a household (one or more members) and the answers given so far.

This is the JSON format of docs/visit-format.md (``"format": "madoguchi-visit/1"``), read by
``madoguchi guide --visit`` and ``madoguchi forms render --visit``, and what a QR pre-fill decodes to.
Members are numbered from 0 in the order given. A visit is immutable: :meth:`Visit.with_answer` and
friends return a new visit, so a changed answer can never leave a stale result behind.

Reprs and error messages never show names, addresses, birth dates or answer values.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from enum import StrEnum
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from procedures import bounded_json
from procedures.errors import VisitFormatError
from procedures.validation_messages import iter_messages, json_location

VISIT_FORMAT: Final = "madoguchi-visit/1"

JsonAnswer = bool | int | str
"""An answer as stored in JSON: yes/no → true/false, number → integer, date → "YYYY-MM-DD", else text."""
MAX_ANSWER_CHARS: Final = 1000
"""A text answer (an address, a note) is far shorter; a longer one is refused before any work."""
MAX_ANSWERS: Final = 300
"""Answers per member or household (a catalog asks far fewer questions)."""
MAX_QUESTION_ID_CHARS: Final = 64


def check_answers(answers: dict[str, JsonAnswer]) -> dict[str, JsonAnswer]:
    """The size limits of a visit's answers (their meaning is checked against the catalog later)."""
    if len(answers) > MAX_ANSWERS:
        raise ValueError(f"答えが多すぎます({MAX_ANSWERS}件まで)")
    for key, value in answers.items():
        if len(key) > MAX_QUESTION_ID_CHARS:
            raise ValueError(f"質問の id が長すぎます({MAX_QUESTION_ID_CHARS}文字まで)")
        if isinstance(value, str) and len(value) > MAX_ANSWER_CHARS:
            raise ValueError(f"答えが長すぎます({MAX_ANSWER_CHARS}文字まで)")
    return answers


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"

    @property
    def label_ja(self) -> str:
        return "男" if self is Sex.MALE else "女"


class Relationship(StrEnum):
    """Relationship to the householder (住民票の続柄), in the visit's own words."""

    SELF = "self"
    SPOUSE = "spouse"
    CHILD = "child"
    PARENT = "parent"
    SPOUSE_PARENT = "spouse_parent"
    GRANDPARENT = "grandparent"
    GRANDCHILD = "grandchild"
    SIBLING = "sibling"
    CHILD_SPOUSE = "child_spouse"
    OTHER_RELATIVE = "other_relative"
    UNRELATED = "unrelated"

    @property
    def label_ja(self) -> str:
        return _RELATIONSHIP_JA[self]

    @property
    def label_en(self) -> str:
        return _RELATIONSHIP_EN[self]


_RELATIONSHIP_JA = {
    Relationship.SELF: "世帯主",
    Relationship.SPOUSE: "配偶者",
    Relationship.CHILD: "子",
    Relationship.PARENT: "父母",
    Relationship.SPOUSE_PARENT: "配偶者の父母",
    Relationship.GRANDPARENT: "祖父母",
    Relationship.GRANDCHILD: "孫",
    Relationship.SIBLING: "兄弟姉妹",
    Relationship.CHILD_SPOUSE: "子の配偶者",
    Relationship.OTHER_RELATIVE: "その他の親族",
    Relationship.UNRELATED: "同居人",
}
_RELATIONSHIP_EN = {
    Relationship.SELF: "householder",
    Relationship.SPOUSE: "spouse",
    Relationship.CHILD: "child",
    Relationship.PARENT: "parent",
    Relationship.SPOUSE_PARENT: "parent-in-law",
    Relationship.GRANDPARENT: "grandparent",
    Relationship.GRANDCHILD: "grandchild",
    Relationship.SIBLING: "sibling",
    Relationship.CHILD_SPOUSE: "child's spouse",
    Relationship.OTHER_RELATIVE: "other relative",
    Relationship.UNRELATED: "lodger",
}


_RELATIONSHIP_VALUES = frozenset(r.value for r in Relationship)


class Source(StrEnum):
    """Where a member's four basic details came from."""

    CARD = "card"
    QR = "qr"
    TYPED = "typed"
    REGISTRY = "registry"  # the ward's resident registry, fetched after the resident was identified


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ResidenceCategory(StrEnum):
    """The 区分 of a foreign resident under 住民基本台帳法30条の45 (the table of that article)."""

    MID_LONG = "mid_long"  # 中長期在留者(在留カード)
    SPECIAL_PERMANENT = "special_permanent"  # 特別永住者(特別永住者証明書)
    TEMPORARY_REFUGE = "temporary_refuge"  # 一時庇護許可者
    PROVISIONAL_STAY = "provisional_stay"  # 仮滞在許可者
    TRANSITIONAL = "transitional"  # 出生による経過滞在者・国籍喪失による経過滞在者

    @property
    def label_ja(self) -> str:
        return _CATEGORY_JA[self]


_CATEGORY_JA = {
    ResidenceCategory.MID_LONG: "中長期在留者",
    ResidenceCategory.SPECIAL_PERMANENT: "特別永住者",
    ResidenceCategory.TEMPORARY_REFUGE: "一時庇護許可者",
    ResidenceCategory.PROVISIONAL_STAY: "仮滞在許可者",
    ResidenceCategory.TRANSITIONAL: "経過滞在者",
}


class FormDetails(_Model):
    """What the printed forms ask about a person that neither the My Number card nor a catalog question
    gives; typed at the counter (or read from a 在留カード), every key optional. A box whose detail is
    missing is printed for the office to settle, never guessed.

    住民票の記載事項: 本籍・筆頭者 and 住民票コード (住民基本台帳法7条5号・13号); for a foreign resident
    国籍・地域, the 30条の45 区分, 在留資格, 在留期間と満了日, 在留カード等の番号 (同法30条の45) and a
    registered 通称 (同法施行令30条の26). 国民健康保険の加入: the insurance left and the day it ended
    (国民健康保険法施行規則3条).
    """

    phone: str | None = Field(default=None, pattern=r"^[0-9０-９()（）+\- ]{6,20}$")
    honseki: str | None = Field(default=None, min_length=1, max_length=200)
    hittousha: str | None = Field(default=None, min_length=1, max_length=100)
    juminhyo_code: str | None = Field(default=None, pattern=r"^[0-9]{11}$")
    nationality: str | None = Field(default=None, min_length=1, max_length=60)
    residence_category: ResidenceCategory | None = None
    residence_status: str | None = Field(default=None, min_length=1, max_length=60)
    residence_expiry: dt.date | None = None
    residence_card_number: str | None = Field(default=None, pattern=r"^[A-Z]{2}[0-9]{8}[A-Z]{2}$")
    tsushou: str | None = Field(default=None, min_length=1, max_length=100)
    previous_insurance: str | None = Field(default=None, min_length=1, max_length=100)
    insurance_lost_date: dt.date | None = None

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True)

    def __repr__(self) -> str:
        return "FormDetails(<redacted>)"

    __str__ = __repr__


class Member(_Model):
    name: str = Field(min_length=1, max_length=100)
    furigana: str | None = Field(default=None, max_length=200)
    birth_date: dt.date
    sex: Sex
    address: str | None = Field(default=None, max_length=400)
    relationship: Relationship
    is_householder: bool
    source: Source = Source.TYPED
    subject: bool | None = None
    answers: dict[str, JsonAnswer] = {}
    details: FormDetails | None = None

    _answers = field_validator("answers")(check_answers)

    @model_validator(mode="before")
    @classmethod
    def _householder(cls, data: Any) -> Any:
        """Either field may be omitted: a householder's relationship is ``self`` and vice versa."""
        if not isinstance(data, dict):
            return data
        relationship, householder = data.get("relationship"), data.get("is_householder")
        if relationship is None and householder is None:
            raise ValueError("relationship(世帯主との続柄)か is_householder を書いてください")
        if relationship is None:
            if householder is not True:
                raise ValueError("世帯主でない方は relationship(世帯主との続柄)を書いてください")
            return {**data, "relationship": Relationship.SELF.value}
        if not isinstance(relationship, str) or relationship not in _RELATIONSHIP_VALUES:
            return data  # the field's own validation names the allowed values (also for a list or a number)
        if householder is None:
            return {**data, "is_householder": relationship == Relationship.SELF.value}
        if isinstance(householder, bool) and householder != (relationship == Relationship.SELF.value):
            raise ValueError("is_householder と relationship が合っていません(世帯主は relationship: self)")
        return data

    @property
    def householder(self) -> bool:
        return self.relationship is Relationship.SELF

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": self.name,
            "birth_date": self.birth_date.isoformat(),
            "sex": self.sex.value,
            "relationship": self.relationship.value,
            "is_householder": self.householder,
            "source": self.source.value,
        }
        if self.furigana is not None:
            data["furigana"] = self.furigana
        if self.address is not None:
            data["address"] = self.address
        if self.subject is not None:
            data["subject"] = self.subject
        if self.answers:
            data["answers"] = dict(self.answers)
        if self.details is not None and (details := self.details.to_json()):
            data["details"] = details
        return data

    def __repr__(self) -> str:
        # Personal data must never reach a log through a repr.
        return f"Member(<redacted>, source={self.source.value}, answers={len(self.answers)})"

    __str__ = __repr__


class Visit(_Model):
    format: Literal["madoguchi-visit/1"] = VISIT_FORMAT
    event: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9_]*$")
    event_date: dt.date | None = None
    members: tuple[Member, ...] = Field(min_length=1, max_length=30)
    answers: dict[str, JsonAnswer] = {}

    _answers = field_validator("answers")(check_answers)

    @field_validator("members")
    @classmethod
    def _one_householder(cls, members: tuple[Member, ...]) -> tuple[Member, ...]:
        if sum(1 for m in members if m.householder) > 1:
            raise ValueError("世帯主(relationship: self)は1人だけにしてください")
        return members

    # ------------------------------------------------------------ immutable updates

    def with_answer(self, question_id: str, value: JsonAnswer, member: int | None = None) -> Visit:
        """A new visit with one answer set (household answer, or member ``member``'s)."""
        if member is None:
            return self.model_copy(update={"answers": {**self.answers, question_id: value}})
        target = self._member(member)
        changed = target.model_copy(update={"answers": {**target.answers, question_id: value}})
        return self._replace_member(member, changed)

    def without_answer(self, question_id: str, member: int | None = None) -> Visit:
        if member is None:
            return self.model_copy(
                update={"answers": {k: v for k, v in self.answers.items() if k != question_id}}
            )
        target = self._member(member)
        answers = {k: v for k, v in target.answers.items() if k != question_id}
        return self._replace_member(member, target.model_copy(update={"answers": answers}))

    def with_event(self, event: str, event_date: dt.date | None = None) -> Visit:
        update: dict[str, Any] = {"event": event}
        if event_date is not None:
            update["event_date"] = event_date
        return self.model_copy(update=update)

    def answer(self, question_id: str, member: int | None = None) -> JsonAnswer | None:
        source = self.answers if member is None else self._member(member).answers
        return source.get(question_id)

    def _member(self, index: int) -> Member:
        if not 0 <= index < len(self.members):
            raise VisitFormatError(f"members[{index}]", f"世帯員は0から{len(self.members) - 1}までの番号です")
        return self.members[index]

    def _replace_member(self, index: int, member: Member) -> Visit:
        members = list(self.members)
        members[index] = member
        return self.model_copy(update={"members": tuple(members)})

    # ------------------------------------------------------------ JSON

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"format": self.format}
        if self.event is not None:
            data["event"] = self.event
        if self.event_date is not None:
            data["event_date"] = self.event_date.isoformat()
        data["members"] = [m.to_json() for m in self.members]
        if self.answers:
            data["answers"] = dict(self.answers)
        return data

    def __repr__(self) -> str:
        answers = len(self.answers) + sum(len(m.answers) for m in self.members)
        return f"Visit(event={self.event!r}, members={len(self.members)}, answers={answers})"

    __str__ = __repr__


# Dates a ward would accept (docs/security.md). A birth date after the event or in the future is
# impossible; an event further than this from today is a typo (or a hostile input), not a visit: late
# notifications are accepted for years, advance ones (転出届) for days, so 10 years back and 1 year ahead.
EARLIEST_BIRTH = dt.date(1880, 1, 1)
EVENT_YEARS_BACK = 10
EVENT_DAYS_AHEAD = 366


def event_date_range(today: dt.date) -> tuple[dt.date, dt.date]:
    """The earliest and latest event date accepted on ``today``."""
    try:
        earliest = today.replace(year=today.year - EVENT_YEARS_BACK)
    except ValueError:  # 29 February
        earliest = today.replace(year=today.year - EVENT_YEARS_BACK, day=28)
    return earliest, today + dt.timedelta(days=EVENT_DAYS_AHEAD)


def check_dates(visit: Visit, today: dt.date) -> None:
    """Refuse impossible dates with :class:`VisitFormatError` (no value in the message): an event date
    outside :func:`event_date_range`, a birth date before 1880, in the future or after the event."""
    if visit.event_date is not None:
        earliest, latest = event_date_range(today)
        if not earliest <= visit.event_date <= latest:
            raise VisitFormatError(
                "event_date",
                f"届出の日付は{EVENT_YEARS_BACK}年前から1年後まで"
                f"({earliest.isoformat()}〜{latest.isoformat()})にしてください",
            )
    for index, member in enumerate(visit.members):
        where = f"members[{index}].birth_date"
        if member.birth_date < EARLIEST_BIRTH:
            raise VisitFormatError(where, "生年月日が古すぎます(1880年以降にしてください)")
        if member.birth_date > today:
            raise VisitFormatError(where, "生年月日が今日より後の日付です")
        if visit.event_date is not None and member.birth_date > visit.event_date:
            raise VisitFormatError(where, "生年月日が届出の日付より後です")


def parse_visit(data: Mapping[str, Any] | str | bytes) -> Visit:
    """A visit from its JSON text or already-decoded mapping; :class:`VisitFormatError` if malformed."""
    if isinstance(data, str | bytes):
        try:
            decoded = bounded_json.loads(data)
        except UnicodeDecodeError:
            raise VisitFormatError("", "UTF-8 の JSON ではありません") from None
        except json.JSONDecodeError as exc:
            raise VisitFormatError("", f"JSON として読めません({exc.lineno}行目 {exc.colno}文字目)") from None
        except bounded_json.JsonLimitError:
            raise VisitFormatError(
                "",
                f"JSON の入れ子が深すぎるか({bounded_json.MAX_DEPTH}段まで)、数値が長すぎます"
                f"({bounded_json.MAX_NUMBER_CHARS}文字まで)。ファイルを確かめてください",
            ) from None
    else:
        decoded = data
    if not isinstance(decoded, Mapping):
        raise VisitFormatError("", "JSON のいちばん外側は {…}(オブジェクト)にしてください")
    fmt = decoded.get("format", VISIT_FORMAT)
    if fmt != VISIT_FORMAT:
        raise VisitFormatError("format", f"この版では「{VISIT_FORMAT}」だけを読めます")
    try:
        return Visit.model_validate(dict(decoded))
    except ValidationError as exc:
        path, message = next(iter_messages(exc))
        raise VisitFormatError(json_location(path), message) from None
