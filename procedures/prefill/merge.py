"""Applying a decoded pre-fill to the visit at the counter: the card wins, differences are shown.

The rule (docs/qr-format.md, "At the counter"):

* The household, the event and the answers come from the QR code, except where the counter already
  has them: members read from a My Number card or typed by the clerk, an event the clerk chose,
  answers the clerk recorded. Those win.
* Each member already at the counter is matched to one member of the QR household: by birth date
  (and, between twins, by name), else by name alone. For a matched member the **four basic details
  (氏名・生年月日・性別・住所) of the counter's member win**; every detail that differs is returned as
  a :class:`DetailDifference` for the clerk to see — nothing is merged silently. The QR member's
  furigana, relationship (a card does not know it), subject mark and answers are kept.
* A counter member with no match is added to the household (and said so in a note).

Everything here is pure: visits in, a new visit and the lists out.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal

from procedures.prefill.document import NoteKind, Prefill, PrefillNote
from procedures.visit import Member, Relationship, Source, Visit

DetailField = Literal["name", "birth_date", "sex", "address", "relationship"]
FOUR_DETAILS: Final[tuple[DetailField, ...]] = ("name", "birth_date", "sex", "address")
_LABELS: Final = {
    "name": "氏名",
    "birth_date": "生年月日",
    "sex": "性別",
    "address": "住所",
    "relationship": "続柄",
}
_SOURCE_JA: Final = {
    Source.CARD: "マイナンバーカード",
    Source.TYPED: "窓口での入力",
    Source.QR: "QRコード",
    Source.REGISTRY: "住民記録",
}


@dataclass(frozen=True)
class DetailDifference:
    """One detail where the counter's member and the QR's member disagree; the counter's value is kept.

    ``kept`` and ``dropped`` are display texts (personal data: shown on the clerk's screen, never
    logged — the repr is redacted). ``notation_only`` is true when the two differ only in spacing or
    character width (full-width / half-width), which a clerk can confirm at a glance.
    """

    member: int  # index in the merged visit
    field: DetailField
    kept: str
    dropped: str
    kept_from: Source
    notation_only: bool

    @property
    def label(self) -> str:
        return _LABELS[self.field]

    @property
    def message(self) -> str:
        """The clerk's line, without the values (the screen shows them beside it)."""
        kind = "表記だけが違います" if self.notation_only else "内容が違います"
        return (
            f"{self.member + 1}人目の方の{self.label}: {_SOURCE_JA[self.kept_from]}とQRコードで{kind}。"
            f"{_SOURCE_JA[self.kept_from]}の内容を使います"
        )

    def __repr__(self) -> str:
        return (
            f"DetailDifference(member={self.member}, field={self.field!r}, kept_from={self.kept_from.value}, "
            f"notation_only={self.notation_only}, values=<redacted>)"
        )

    __str__ = __repr__


@dataclass(frozen=True)
class Applied:
    """The visit after applying a pre-fill, with everything the clerk must see.

    ``member_map[i]`` is the index in ``visit`` of the counter's member ``i`` (so the kiosk can move
    anything it keeps per member, such as its question history).
    """

    visit: Visit
    differences: tuple[DetailDifference, ...]
    notes: tuple[PrefillNote, ...]
    member_map: tuple[int, ...]

    def __repr__(self) -> str:
        return (
            f"Applied({self.visit!r}, differences={len(self.differences)}, notes={len(self.notes)}, "
            f"member_map={self.member_map})"
        )


def normalized_name(name: str) -> str:
    """A name for matching: NFKC (full-width → half-width where compatible), without any spaces."""
    return "".join(unicodedata.normalize("NFKC", name).split())


def _display(field: DetailField, member: Member) -> str:
    value = getattr(member, field)
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    if field == "sex":
        return str(member.sex.label_ja)
    if field == "relationship":
        return str(member.relationship.label_ja)
    return str(value)


def _notation_only(field: DetailField, kept: str, dropped: str) -> bool:
    if field not in ("name", "address"):
        return False
    return normalized_name(kept) == normalized_name(dropped)


def match_members(counter: Sequence[Member], qr: Sequence[Member]) -> list[int | None]:
    """For each counter member, the index of its QR member (or ``None``); each QR member used once."""
    used: set[int] = set()
    result: list[int | None] = [None] * len(counter)

    def pick(i: int, candidates: list[int]) -> None:
        if len(candidates) == 1:
            result[i] = candidates[0]
            used.add(candidates[0])

    # Pass 1: birth date and name both agree. Pass 2: birth date alone (a misspelt or variant name).
    # Pass 3: name alone (a mistyped birth date). Ambiguity at any pass leaves the member unmatched.
    for i, member in enumerate(counter):
        name = normalized_name(member.name)
        pick(
            i,
            [
                j
                for j, q in enumerate(qr)
                if j not in used and q.birth_date == member.birth_date and normalized_name(q.name) == name
            ],
        )
    for i, member in enumerate(counter):
        if result[i] is None:
            pick(i, [j for j, q in enumerate(qr) if j not in used and q.birth_date == member.birth_date])
    for i, member in enumerate(counter):
        if result[i] is None:
            name = normalized_name(member.name)
            pick(i, [j for j, q in enumerate(qr) if j not in used and normalized_name(q.name) == name])
    return result


def _merge_member(counter: Member, qr: Member, index: int, differences: list[DetailDifference]) -> Member:
    update: dict[str, object] = {}
    fields: list[DetailField] = list(FOUR_DETAILS)
    if counter.source is Source.TYPED:
        fields.append("relationship")  # the clerk chose it; a card member's relationship is a default
    for field in fields:
        kept_value = getattr(counter, field)
        if kept_value is None:  # nothing at the counter (a typed member without an address): use the QR's
            continue
        update[field] = kept_value
        kept, dropped = _display(field, counter), _display(field, qr)
        if getattr(qr, field) is not None and kept_value != getattr(qr, field):
            differences.append(
                DetailDifference(
                    index, field, kept, dropped, counter.source, _notation_only(field, kept, dropped)
                )
            )
    if counter.furigana is not None:
        update["furigana"] = counter.furigana
    if counter.subject is not None:
        update["subject"] = counter.subject
    update["answers"] = {**qr.answers, **counter.answers}
    update["source"] = counter.source
    if "relationship" in update:
        update["is_householder"] = update["relationship"] is Relationship.SELF
    return qr.model_copy(update=update)


def _add_members(qr: Visit, counter: Visit, matches: list[int | None]) -> Applied:
    """A set of members only (a spouse's own code, no householder in it) joins the visit: the visit's
    members keep their places (the person at the counter stays first), the set's new members follow."""
    differences: list[DetailDifference] = []
    members = list(counter.members)
    for i, j in enumerate(matches):
        if j is not None:
            members[i] = _merge_member(counter.members[i], qr.members[j], i, differences)
    matched = {j for j in matches if j is not None}
    members += [m for j, m in enumerate(qr.members) if j not in matched]
    update: dict[str, object] = {"members": tuple(members), "answers": {**qr.answers, **counter.answers}}
    if counter.event is None and qr.event is not None:
        update.update(event=qr.event, event_date=qr.event_date)
    visit = counter.model_copy(update=update)
    return Applied(visit, tuple(differences), (), tuple(range(len(counter.members))))


def merge_visits(qr: Visit, counter: Visit | None) -> Applied:
    """``qr`` (a decoded pre-fill) applied to ``counter`` (the visit so far, or ``None``)."""
    if counter is None:
        return Applied(qr, (), (), ())
    notes: list[PrefillNote] = []
    differences: list[DetailDifference] = []
    matches = match_members(counter.members, qr.members)
    if counter.members and not any(m.householder for m in qr.members):
        return _add_members(qr, counter, matches)
    members = list(qr.members)
    for i, j in enumerate(matches):
        if j is not None:
            members[j] = _merge_member(counter.members[i], qr.members[j], j, differences)
    member_map: list[int] = []
    for i, j in enumerate(matches):
        if j is not None:
            member_map.append(j)
            continue
        added = counter.members[i]
        if added.householder and any(m.householder for m in members):
            added = added.model_copy(
                update={"relationship": Relationship.OTHER_RELATIVE, "is_householder": False}
            )
        members.append(added)
        member_map.append(len(members) - 1)
        notes.append(
            PrefillNote(
                NoteKind.MEMBER_ADDED,
                f"{_SOURCE_JA[added.source]}の方({i + 1}人目)はQRコードの世帯員に見つからないため、"
                f"{len(members)}人目として加えました。続柄を確認してください",
                len(members) - 1,
            )
        )
    # A householder kept from the counter may meet the QR's householder: keep one, flag the other.
    householders = [k for k, m in enumerate(members) if m.householder]
    for extra in householders[1:]:
        members[extra] = members[extra].model_copy(
            update={"relationship": Relationship.OTHER_RELATIVE, "is_householder": False}
        )
        notes.append(
            PrefillNote(
                NoteKind.EXTRA_HOUSEHOLDER,
                f"世帯主が2人になるため、{extra + 1}人目の方の続柄を「その他の親族」にしました。"
                "続柄を確認してください",
                extra,
            )
        )

    event, event_date = qr.event, qr.event_date
    if counter.event is not None:
        if qr.event is not None and qr.event != counter.event:
            notes.append(
                PrefillNote(
                    NoteKind.EVENT_KEPT,
                    f"QRコードの届出の種類「{qr.event}」ではなく、窓口で選んだ「{counter.event}」のままにしました",
                )
            )
        event = counter.event
    if counter.event_date is not None:
        if qr.event_date is not None and qr.event_date != counter.event_date:
            notes.append(
                PrefillNote(
                    NoteKind.EVENT_DATE_KEPT,
                    "QRコードの届出の日付ではなく、窓口で入力した日付のままにしました",
                )
            )
        event_date = counter.event_date
    visit = Visit(
        event=event,
        event_date=event_date,
        members=tuple(members),
        answers={**qr.answers, **counter.answers},
    )
    return Applied(visit, tuple(differences), tuple(notes), tuple(member_map))


def apply_to_visit(prefill: Prefill, current: Visit | None = None) -> Applied:
    """A decoded pre-fill applied to the visit under way (``None`` at the start of a visit).

    The notes are the pre-fill's own (what was not usable) followed by the merge's.
    """
    merged = merge_visits(prefill.visit, current)
    return Applied(merged.visit, merged.differences, prefill.notes + merged.notes, merged.member_map)


def merge_card_member(visit: Visit, card_member: Member) -> Applied:
    """A member read from a My Number card (after the QR) applied to a pre-filled ``visit``."""
    return merge_visits(visit, Visit(members=(card_member,)))
