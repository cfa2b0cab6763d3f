"""Confirming or typing one household member's details (step 2/3 of a visit), as view state.

Details read from a card are shown for confirmation; the clerk may change them (e.g. the resident
moved since the card was written) but must say why — the reason is recorded with the visit. The
furigana is typed by the clerk, with a suggestion to accept.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from counter_app.adapters.furigana import suggest_furigana
from counter_app.adapters.postcode import PostcodeDataError, PostcodeNotFoundError
from counter_app.adapters.postcode import lookup as lookup_postcode
from counter_app.presenters.observable import Observable
from counter_app.workflow.date_entry import DateEntryError, parse_clerk_date
from counter_app.workflow.visit_session import DetailEdit
from procedures.visit import EARLIEST_BIRTH, Member, Relationship, Sex, Source

EDITABLE = ("name", "furigana", "birth_date", "sex", "address", "relationship")
CARD_FIELDS = ("name", "birth_date", "sex", "address")
LABELS = {
    "name": "氏名",
    "furigana": "フリガナ",
    "birth_date": "生年月日",
    "sex": "性別",
    "address": "住所",
    "relationship": "続柄",
}


@dataclass(frozen=True)
class MemberFormView:
    name: str = ""
    furigana: str = ""
    furigana_suggestion: str | None = None
    birth_date: str = ""  # as typed: 和暦 (4050101, S63.6.12, 昭和63年6月12日) or 西暦
    sex: str = ""  # "male" / "female"
    address: str = ""
    relationship: str = Relationship.SELF.value
    source: Source = Source.TYPED
    changed_from_card: tuple[str, ...] = ()  # fields that differ from what the card holds
    reason: str = ""
    errors: dict[str, str] = field(default_factory=dict)
    address_options: tuple[str, ...] = ()  # from a typed 郵便番号, or the household's address
    address_note: str = ""  # what the options are (〒100-0001 の住所 / 世帯の方と同じ住所)

    @property
    def needs_reason(self) -> bool:
        return bool(self.changed_from_card)


_MANY_TOWNS = 6


def _with_postcode(view: MemberFormView, typed: str) -> MemberFormView:
    """A postcode typed into the address field offers its address(es)."""
    try:
        match = lookup_postcode(typed)
    except (PostcodeNotFoundError, PostcodeDataError) as exc:
        return replace(view, address_options=(), address_note="", errors={"address": exc.message})
    if match is None:  # not a postcode (any more): drop a postcode's offer, keep the household's
        if view.address_note.startswith("〒"):
            return replace(view, address_options=(), address_note="")
        return view
    options = match.addresses
    if len(options) > _MANY_TOWNS:
        # Dozens of 小字 share some postcodes: offer what they have in common, the clerk types the rest.
        options = (_common_prefix(options), *options[: _MANY_TOWNS - 1])
    return replace(view, address_options=options, address_note=f"{match.display} の住所")


def _common_prefix(texts: tuple[str, ...]) -> str:
    first, last = min(texts), max(texts)
    length = 0
    while length < min(len(first), len(last)) and first[length] == last[length]:
        length += 1
    return first[:length]


def _comparable(name: str, value: str) -> str:
    """A typed value as the card holds it (a birth date typed as 和暦 is the same date)."""
    if name == "birth_date":
        try:
            return parse_clerk_date(value).isoformat()
        except DateEntryError:
            return value
    return value


def _kata(text: str) -> bool:
    return all("ァ" <= c <= "ヶ" or c in "ー　 ・" for c in text)


class MemberFormPresenter:
    def __init__(
        self, member: Member | None = None, index: int | None = None, household_address: str | None = None
    ) -> None:
        self.index = index
        self.original = member if member is not None and member.source is Source.CARD else None
        start = MemberFormView()
        if member is not None:
            start = MemberFormView(
                name=member.name,
                furigana=member.furigana or "",
                furigana_suggestion=None if member.furigana else suggest_furigana(member.name),
                birth_date=member.birth_date.isoformat(),
                sex=member.sex.value,
                address=member.address or "",
                relationship=member.relationship.value,
                source=member.source,
            )
        if not start.address and household_address:
            start = replace(start, address_options=(household_address,), address_note="世帯の方と同じ住所")
        self.view: Observable[MemberFormView] = Observable(start)

    def set_field(self, name: str, value: str) -> None:
        if name not in (*EDITABLE, "reason"):
            raise ValueError(name)
        changes: dict[str, Any] = {name: value, "errors": {}}
        view = replace(self.view.value, **changes)
        if name == "name" and not view.furigana:
            view = replace(view, furigana_suggestion=suggest_furigana(value))
        if name == "address":
            view = _with_postcode(view, value)
        self.view.set(replace(view, changed_from_card=self._changed(view)))

    def use_address(self, index: int = 0) -> None:
        """Put the offered address into the field (the clerk then types the 番地 after it)."""
        view = self.view.value
        if 0 <= index < len(view.address_options):
            chosen = view.address_options[index]
            view = replace(view, address=chosen, address_options=(), address_note="", errors={})
            self.view.set(replace(view, changed_from_card=self._changed(view)))

    def accept_suggestion(self) -> None:
        view = self.view.value
        if view.furigana_suggestion:
            self.view.set(replace(view, furigana=view.furigana_suggestion, errors={}))

    def _changed(self, view: MemberFormView) -> tuple[str, ...]:
        if self.original is None:
            return ()
        original = {
            "name": self.original.name,
            "birth_date": self.original.birth_date.isoformat(),
            "sex": self.original.sex.value,
            "address": self.original.address or "",
        }
        return tuple(f for f in CARD_FIELDS if _comparable(f, getattr(view, f)) != original[f])

    def validate(self) -> tuple[Member, list[DetailEdit]] | None:
        """The member as confirmed, with the recorded edits; None (and errors shown) if incomplete."""
        view = self.view.value
        errors: dict[str, str] = {}
        if not view.name.strip():
            errors["name"] = "氏名を入力してください"
        if view.furigana and not _kata(view.furigana):
            errors["furigana"] = "フリガナはカタカナで入力してください"
        birth: dt.date | None = None
        try:
            birth = parse_clerk_date(view.birth_date)
            if birth > dt.date.today():
                errors["birth_date"] = "生年月日が未来の日付です。確かめてください"
            elif birth < EARLIEST_BIRTH:
                errors["birth_date"] = "生年月日が古すぎます(1880年以降)。確かめてください"
        except DateEntryError as exc:
            errors["birth_date"] = f"生年月日: {exc.message}"
        if view.sex not in (Sex.MALE.value, Sex.FEMALE.value):
            errors["sex"] = "性別を選んでください"
        try:
            relationship = Relationship(view.relationship)
        except ValueError:
            errors["relationship"] = "続柄を選んでください"
            relationship = Relationship.OTHER_RELATIVE
        if view.needs_reason and not view.reason.strip():
            errors["reason"] = "カードの内容を変更した理由を入力してください(例: カード記載後に転居)"
        if errors or birth is None:
            self.view.set(replace(view, errors=errors))
            return None
        member = Member(
            name=view.name.strip(),
            furigana=view.furigana.strip() or None,
            birth_date=birth,
            sex=Sex(view.sex),
            address=view.address.strip() or None,
            relationship=relationship,
            is_householder=relationship is Relationship.SELF,
            source=view.source,
        )
        edits = [
            DetailEdit(self.index if self.index is not None else -1, f, view.reason.strip())
            for f in view.changed_from_card
        ]
        return member, edits
