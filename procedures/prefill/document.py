"""The pre-fill document inside the QR parts, and what the counter can use of it.

The document is compact JSON (UTF-8, zlib-compressed before it is cut into parts)::

    {"catalog": "midorigawa", "catalog_version": "2025.04", "created": "2025-03-28",
     "visit": {<a visit in the format of docs/visit-format.md, without "format" and "source">}}

Reading is forgiving where it can be and strict where it must be: a damaged or foreign content is an
error (:mod:`procedures.prefill.errors`); inside an intact document, whatever the counter's catalog
cannot use — an answer to a question it does not know, a value a question does not accept, an event
it does not have, a member field that does not validate — is left out and listed as a
:class:`PrefillNote` for the clerk, and everything else is used. Every member read from a QR code has
``source: qr``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Final

from pydantic import ValidationError

from procedures import bounded_json
from procedures.errors import AnswerError
from procedures.prefill.dictionary import CURRENT as CURRENT_DICTIONARY
from procedures.prefill.dictionary import dictionary
from procedures.prefill.errors import PrefillContentError, SetChecksumError, UnknownVersionError
from procedures.prefill.parts import VERSION, PartCollector, frame_parts
from procedures.validation_messages import iter_messages, json_location
from procedures.visit import (
    EARLIEST_BIRTH,
    EVENT_YEARS_BACK,
    JsonAnswer,
    Member,
    Relationship,
    Source,
    Visit,
    event_date_range,
)

if TYPE_CHECKING:  # the catalog is passed in; its models load with it (the kiosk's window shows first)
    from procedures.catalog import Catalog

MAX_CONTENT_BYTES: Final = 256 * 1024
"""Refuse to inflate more than this from scanned codes (99 full parts inflate to far less)."""
MAX_MEMBERS: Final = 30
_REQUIRED_MEMBER_FIELDS: Final = frozenset({"name", "birth_date", "sex"})
_EVENT_ID = re.compile(r"^[a-z][a-z0-9_]*$")


class NoteKind(StrEnum):
    OTHER_CATALOG = "other_catalog"
    CATALOG_VERSION = "catalog_version"
    UNKNOWN_EVENT = "unknown_event"
    BAD_EVENT_DATE = "bad_event_date"
    UNKNOWN_QUESTION = "unknown_question"
    WRONG_SCOPE = "wrong_scope"
    BAD_ANSWER = "bad_answer"
    FIELD_DROPPED = "field_dropped"
    MEMBER_DROPPED = "member_dropped"
    EXTRA_HOUSEHOLDER = "extra_householder"
    TOO_MANY_MEMBERS = "too_many_members"
    # Applying a pre-fill to a visit already under way (procedures.prefill.merge):
    MEMBER_ADDED = "member_added"
    EVENT_KEPT = "event_kept"
    EVENT_DATE_KEPT = "event_date_kept"


@dataclass(frozen=True, slots=True)
class PrefillNote:
    """Something in the QR content that the counter did not use (or used with a caveat).

    ``message`` is the Japanese line for the clerk; it names questions and members by position,
    never a resident's data or an answer value.
    """

    kind: NoteKind
    message: str
    member: int | None = None  # 0-based member index in the QR's household
    question_id: str | None = None


@dataclass(frozen=True)
class Prefill:
    """A decoded pre-fill: the visit to start from, and the notes for the clerk."""

    visit: Visit
    catalog_id: str
    catalog_version: str
    created: dt.date | None
    notes: tuple[PrefillNote, ...] = ()
    parts: int = 1

    def __repr__(self) -> str:
        return (
            f"Prefill(catalog={self.catalog_id!r}@{self.catalog_version!r}, {self.visit!r}, "
            f"notes={len(self.notes)}, parts={self.parts})"
        )

    @property
    def catalog_changed(self) -> bool:
        return any(n.kind in (NoteKind.CATALOG_VERSION, NoteKind.OTHER_CATALOG) for n in self.notes)


# ---------------------------------------------------------------- writing


def document_json(
    visit: Visit, catalog_id: str, catalog_version: str, created: dt.date | None = None
) -> dict[str, Any]:
    """The document a pre-fill QR set carries for ``visit`` (what the resident's page builds too)."""
    body = visit.to_json()
    body.pop("format", None)
    for member in body["members"]:
        member.pop("source", None)  # whoever reads a QR code gets "qr"
        member.pop("is_householder", None)  # follows from the relationship
    document: dict[str, Any] = {"catalog": catalog_id, "catalog_version": catalog_version}
    if created is not None:
        document["created"] = created.isoformat()
    document["visit"] = body
    return document


def compress_document(document: Mapping[str, Any], version: str = VERSION) -> bytes:
    """The content of a set: for ``MDP2`` the dictionary's number (one byte) and the compact JSON in raw
    deflate primed with that dictionary; for ``MDP1`` the JSON in zlib."""
    raw = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if version == "1":
        return zlib.compress(raw, 9)
    preset = dictionary(CURRENT_DICTIONARY)
    assert preset is not None
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15, 9, zlib.Z_DEFAULT_STRATEGY, preset)
    return bytes((CURRENT_DICTIONARY,)) + compressor.compress(raw) + compressor.flush()


def encode_visit(
    visit: Visit,
    catalog_id: str,
    catalog_version: str,
    created: dt.date | None = None,
    version: str = VERSION,
) -> list[str]:
    """The texts of the QR codes (``MDP2:…``, in order) that pre-fill ``visit`` at the counter."""
    document = document_json(visit, catalog_id, catalog_version, created)
    return frame_parts(compress_document(document, version), version=version)


# ---------------------------------------------------------------- reading


def inflate(content: bytes, version: str = "1") -> dict[str, Any]:
    """The document inside assembled content of format ``version``; :class:`SetChecksumError` /
    :class:`PrefillContentError`, and :class:`UnknownVersionError` for a dictionary this Madoguchi does
    not have (codes made by a newer page)."""
    if version == "1":
        inflater = zlib.decompressobj()
    else:
        if not content:
            raise SetChecksumError("no content")
        preset = dictionary(content[0])
        if preset is None:
            raise UnknownVersionError(f"{version}-{content[0]}", VERSION)
        inflater = zlib.decompressobj(-15, preset)
        content = content[1:]
    try:
        raw = inflater.decompress(content, MAX_CONTENT_BYTES)
    except zlib.error as exc:
        raise SetChecksumError(f"zlib: {exc}") from None
    if inflater.unconsumed_tail:
        raise PrefillContentError("content too large")
    if not inflater.eof:
        raise SetChecksumError("content cut short")
    try:
        document = bounded_json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise PrefillContentError("not UTF-8 JSON") from None
    except bounded_json.JsonLimitError as exc:  # deep nesting, a 100,000-digit number
        raise PrefillContentError(f"JSON: {exc.reason}") from None
    if not isinstance(document, dict) or not isinstance(document.get("visit"), dict):
        raise PrefillContentError("no visit in the document")
    return document


class _Reader:
    def __init__(self, catalog: Catalog | None, today: dt.date) -> None:
        self.catalog = catalog
        self.today = today
        self.notes: list[PrefillNote] = []
        self.dropped: list[str] = []  # why members were left out (no values), for PrefillContentError

    def note(
        self, kind: NoteKind, message: str, member: int | None = None, question_id: str | None = None
    ) -> None:
        self.notes.append(PrefillNote(kind, message, member, question_id))

    # --- answers --------------------------------------------------------------------------------
    def answers(self, raw: Any, member: int | None) -> dict[str, JsonAnswer]:
        who = "世帯" if member is None else f"{member + 1}人目"
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            self.note(
                NoteKind.FIELD_DROPPED, f"{who}の答え(answers)の形式が正しくないため使いませんでした", member
            )
            return {}
        kept: dict[str, JsonAnswer] = {}
        for question_id, value in raw.items():
            if not isinstance(value, bool | int | str) or (isinstance(value, str) and len(value) > 1000):
                self.note(
                    NoteKind.BAD_ANSWER,
                    f"質問「{question_id}」への{who}の答えは形式が正しくないため使いませんでした",
                    member,
                    str(question_id),
                )
                continue
            if self.catalog is None:
                kept[str(question_id)] = value
                continue
            question = self.catalog.questions.get(str(question_id))
            if question is None:
                self.note(
                    NoteKind.UNKNOWN_QUESTION,
                    f"質問「{question_id}」は窓口の手続カタログにないため、{who}の答えを使いませんでした",
                    member,
                    str(question_id),
                )
                continue
            wanted = "household" if member is None else "member"
            if question.scope != wanted:
                self.note(
                    NoteKind.WRONG_SCOPE,
                    f"「{question.text}」は{'世帯員ごと' if member is None else '世帯で1回'}の質問のため、"
                    f"{who}の答えを使いませんでした",
                    member,
                    question.id,
                )
                continue
            try:
                from procedures.engine import coerce_answer

                coerce_answer(question, member, value)
            except AnswerError as exc:
                self.note(
                    NoteKind.BAD_ANSWER,
                    f"「{question.text}」への{who}の答えは使えません({exc.problem})。窓口で改めて尋ねます",
                    member,
                    question.id,
                )
                continue
            kept[question.id] = value
        return kept

    # --- members --------------------------------------------------------------------------------
    def member(self, raw: Any, index: int) -> Member | None:
        who = f"{index + 1}人目"
        if not isinstance(raw, dict):
            self.note(
                NoteKind.MEMBER_DROPPED, f"{who}の方の情報の形式が正しくないため使いませんでした", index
            )
            return None
        data = {k: v for k, v in raw.items() if k not in ("source", "answers")}
        answers = self.answers(raw.get("answers"), index)
        for _ in range(len(data) + 2):
            try:
                member = Member.model_validate({**data, "source": Source.QR.value})
            except ValidationError as exc:
                path, message = next(iter_messages(exc))
                field = str(path[0]) if path else ""
                if field in _REQUIRED_MEMBER_FIELDS:
                    location = json_location(path) or "members"
                    self.note(
                        NoteKind.MEMBER_DROPPED,
                        f"{who}の方の情報は使えません({location}: {message})。窓口で入力してください",
                        index,
                    )
                    self.dropped.append(f"{who}の方の{location}: {message}")
                    return None
                if field == "relationship" or (not field and "relationship" not in data):
                    data.pop("is_householder", None)
                    data["relationship"] = Relationship.OTHER_RELATIVE.value
                    self.note(
                        NoteKind.FIELD_DROPPED,
                        f"{who}の方の続柄が読み取れないため「その他の親族」にしました。続柄を確認してください",
                        index,
                    )
                    continue
                if not field:  # relationship and is_householder disagree: the relationship wins
                    field = "is_householder"
                data.pop(field, None)
                self.note(
                    NoteKind.FIELD_DROPPED,
                    f"{who}の方の「{field}」は使えないため省きました({message})",
                    index,
                )
                continue
            problem = self.birth_problem(member.birth_date)
            if problem:
                self.note(
                    NoteKind.MEMBER_DROPPED,
                    f"{who}の方の情報は使えません({problem})。窓口で入力してください",
                    index,
                )
                self.dropped.append(f"{who}の方の{problem}")
                return None
            return member.model_copy(update={"answers": answers})
        self.note(NoteKind.MEMBER_DROPPED, f"{who}の方の情報は使えません。窓口で入力してください", index)
        return None

    def birth_problem(self, birth: dt.date) -> str:
        """Why a birth date cannot be a resident's (the same rule as :func:`procedures.visit.check_dates`)."""
        if birth < EARLIEST_BIRTH:
            return "生年月日が古すぎます(1880年以降)"
        if birth > self.today:
            return "生年月日が今日より後の日付です"
        return ""

    def members(self, raw: Any) -> list[Member]:
        if not isinstance(raw, list):
            raise PrefillContentError("members is not a list")
        if len(raw) > MAX_MEMBERS:
            self.note(
                NoteKind.TOO_MANY_MEMBERS,
                f"世帯員が{len(raw)}人書かれています。最初の{MAX_MEMBERS}人だけを使いました",
            )
        members: list[Member] = []
        householder_seen = False
        for index, item in enumerate(raw[:MAX_MEMBERS]):
            member = self.member(item, index)
            if member is None:
                continue
            if member.householder:
                if householder_seen:
                    self.note(
                        NoteKind.EXTRA_HOUSEHOLDER,
                        f"世帯主が2人以上書かれています。{index + 1}人目の方の続柄を"
                        "「その他の親族」にしました。続柄を確認してください",
                        index,
                    )
                    member = member.model_copy(
                        update={"relationship": Relationship.OTHER_RELATIVE, "is_householder": False}
                    )
                householder_seen = True
            members.append(member)
        if not members:
            raise PrefillContentError("no usable member", "、".join(self.dropped[:1]))
        return members

    # --- the visit ------------------------------------------------------------------------------
    def event(self, raw: Mapping[str, Any]) -> tuple[str | None, dt.date | None]:
        event = raw.get("event")
        if event is not None and (not isinstance(event, str) or not _EVENT_ID.match(event)):
            self.note(NoteKind.UNKNOWN_EVENT, "届出の種類(event)の形式が正しくないため使いませんでした")
            event = None
        if event is not None and self.catalog is not None and event not in self.catalog.events:
            self.note(
                NoteKind.UNKNOWN_EVENT,
                f"届出の種類「{event}」は窓口の手続カタログにないため使いませんでした。届出の種類を選んでください",
            )
            event = None
        date: dt.date | None = None
        raw_date = raw.get("event_date")
        if raw_date is not None:
            try:
                date = dt.date.fromisoformat(raw_date) if isinstance(raw_date, str) else None
            except ValueError:
                date = None
            if date is None:
                self.note(NoteKind.BAD_EVENT_DATE, "届出の日付(event_date)が正しくないため使いませんでした")
        if date is not None:
            earliest, latest = event_date_range(self.today)
            if not earliest <= date <= latest:
                self.note(
                    NoteKind.BAD_EVENT_DATE,
                    f"届出の日付は{EVENT_YEARS_BACK}年前から1年後まで({earliest.isoformat()}〜"
                    f"{latest.isoformat()})のため、QRコードの日付は使いませんでした。届出の日付を確かめてください",
                )
                date = None
        return event, date


def _text(value: Any, limit: int = 64) -> str:
    return value[:limit] if isinstance(value, str) else ""


def read_document(
    document: Mapping[str, Any], catalog: Catalog | None, parts: int = 1, today: dt.date | None = None
) -> Prefill:
    """What the counter can use of a decoded document, checked against ``catalog``.

    With ``catalog=None`` only the structure is checked (answers are kept unchecked): for tools that
    look at a code without a catalog. Dates are checked against ``today`` (default: the computer's):
    a member born in the future or before 1880 is left out, an event date outside
    :func:`procedures.visit.event_date_range` or before a member's birth is not used (each with a note).
    """
    reader = _Reader(catalog, today or dt.date.today())
    body = document.get("visit")
    if not isinstance(body, Mapping):
        raise PrefillContentError("no visit in the document")
    catalog_id = _text(document.get("catalog"))
    catalog_version = _text(document.get("catalog_version"))
    created: dt.date | None = None
    if isinstance(document.get("created"), str):
        try:
            created = dt.date.fromisoformat(document["created"])
        except ValueError:
            created = None

    same_catalog = catalog is None or catalog_id == catalog.id
    if catalog is not None and not same_catalog:
        reader.catalog = None  # nothing of another catalog's questions is trusted
        reader.note(
            NoteKind.OTHER_CATALOG,
            f"このQRコードは別の手続カタログ「{catalog_id or '不明'}」の事前入力ページで作られています"
            f"(窓口は「{catalog.id}」)。世帯員の情報だけを使い、届出の種類と答えは使いませんでした",
        )
    elif catalog is not None and catalog_version != catalog.meta.version:
        reader.note(
            NoteKind.CATALOG_VERSION,
            f"このQRコードは手続カタログの版「{catalog_version or '不明'}」で作られています"
            f"(窓口は版「{catalog.meta.version}」)。答えは現在の版で確かめ、使えないものは下に示します",
        )

    members = reader.members(body.get("members"))
    event, event_date = reader.event(body)
    if event_date is not None and any(m.birth_date > event_date for m in members):
        reader.note(
            NoteKind.BAD_EVENT_DATE,
            "届出の日付が世帯の方の生年月日より前のため、QRコードの日付は使いませんでした。届出の日付を確かめてください",
        )
        event_date = None
    answers = reader.answers(body.get("answers"), None)
    if not same_catalog:
        event, answers = None, {}
        members = [m.model_copy(update={"answers": {}, "subject": None}) for m in members]
    visit = Visit(event=event, event_date=event_date, members=tuple(members), answers=answers)
    return Prefill(
        visit=visit,
        catalog_id=catalog_id,
        catalog_version=catalog_version,
        created=created,
        notes=tuple(reader.notes),
        parts=parts,
    )


def decode_scans(scans: Any, catalog: Catalog | None, today: dt.date | None = None) -> Prefill:
    """A complete set of scanned parts (bytes or text, any order, duplicates allowed) read against
    ``catalog``. Raises :class:`~procedures.prefill.errors.PrefillError` subclasses."""
    collector = PartCollector()
    for scan in scans:
        collector.add(scan)
    return read_collected(collector, catalog, today)


def read_collected(
    collector: PartCollector, catalog: Catalog | None, today: dt.date | None = None
) -> Prefill:
    """The pre-fill of a complete :class:`PartCollector` (raises :class:`MissingPartsError` if not)."""
    content = collector.content()
    document = inflate(content, collector.version or "1")
    return read_document(document, catalog, parts=collector.total or 1, today=today)
