"""One resident's visit at the counter: household, event, answers, choices — in memory only.

The kiosk's single source of truth for a visit. Everything the screens show is derived from it
(the procedure list is recomputed by the pure engine after every change, so nothing stale
survives). It serialises to JSON only for the encrypted crash-recovery draft; :meth:`clear` drops
every personal detail.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from card_reader.basic_four import BasicFour
from card_reader.basic_four import Sex as CardSex
from counter_app.workflow.visit_extras import VisitExtras
from procedures.visit import JsonAnswer, Member, Relationship, Sex, Source, Visit, parse_visit

if TYPE_CHECKING:  # the catalog's models and the engine load with the catalog, after the window shows
    from procedures.catalog import Catalog
    from procedures.engine import Guidance, NeededProcedure, PendingQuestion
    from procedures.schema import Event

DRAFT_FORMAT = "madoguchi-visit-draft/1"


class VisitSessionError(Exception):
    """The visit cannot do what was asked (no member yet, no event chosen…)."""


class SecondHouseholderError(VisitSessionError):
    """The clerk made a second member the householder (世帯主): a household has one."""

    def __init__(self) -> None:
        super().__init__("the household has a householder already")


@dataclass(frozen=True)
class DetailEdit:
    """A detail from the card that the clerk changed, and why (e.g. moved since the card was written)."""

    member: int
    field: str
    reason: str


def member_from_card(details: BasicFour, relationship: Relationship = Relationship.SELF) -> Member:
    """A household member from the four details of a card (the card carries no furigana)."""
    if details.sex not in (CardSex.MALE, CardSex.FEMALE):
        raise VisitSessionError("the card's sex code needs the clerk to enter it")
    return Member(
        name=details.name,
        birth_date=details.birth_date,
        sex=Sex.MALE if details.sex is CardSex.MALE else Sex.FEMALE,
        address=details.address,
        relationship=relationship,
        is_householder=relationship is Relationship.SELF,
        source=Source.CARD,
    )


@dataclass
class VisitSession:
    catalog: Catalog
    visit_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    started_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    members: list[Member] = field(default_factory=list)
    event: str | None = None
    event_date: dt.date | None = None
    answers: dict[str, JsonAnswer] = field(default_factory=dict)
    history: list[tuple[str, int | None]] = field(default_factory=list)
    deselected: dict[str, str] = field(default_factory=dict)  # procedure key -> reason
    edits: list[DetailEdit] = field(default_factory=list)
    extras: VisitExtras = field(default_factory=VisitExtras)  # 整理券, 代理人, note, added, certificate
    # The last guidance and the visit it was computed for: the engine is pure, so the same visit gives
    # the same guidance (the screens ask for it several times per change; a visit is frozen models).
    _guided: tuple[Visit, Guidance] | None = field(default=None, init=False, repr=False, compare=False)

    def __repr__(self) -> str:
        return f"VisitSession({self.visit_id}, members={len(self.members)}, event={self.event!r})"

    # --- household -----------------------------------------------------------------------------
    def add_member(self, member: Member, edits: list[DetailEdit] | None = None) -> int:
        """Add ``member`` (a second householder becomes another relative) with the clerk's ``edits`` of
        the card's details (their ``member`` set to the new index); the new index."""
        if member.householder and any(m.householder for m in self.members):
            member = member.model_copy(
                update={"relationship": Relationship.OTHER_RELATIVE, "is_householder": False}
            )
        self.members.append(member)
        index = len(self.members) - 1
        self.edits.extend(dataclasses.replace(e, member=index) for e in edits or [])
        return index

    def adopt(self, visit: Visit, member_map: list[int] | None, today: dt.date) -> None:
        """Take a merged visit (a resident's QR merged with what the counter had): its members and
        answers; its event unless this visit has one already chosen the same; its event date unless
        this visit has one (today when neither has). ``member_map`` (this visit's member i is the merged
        visit's ``member_map[i]``) moves the question history with the members; ``None`` when this
        visit was not the counter side of the merge."""
        if member_map is not None:
            mapping = dict(enumerate(member_map))
            self.history = [(q, None if m is None else mapping.get(m, m)) for q, m in self.history]
        self.members = list(visit.members)
        self.answers = dict(visit.answers)
        if visit.event and visit.event != self.event:
            self.event = visit.event
        if visit.event_date and self.event_date is None:
            self.event_date = visit.event_date
        if self.event and self.event_date is None:
            self.event_date = today

    def replace_member(self, index: int, member: Member, edits: list[DetailEdit] | None = None) -> None:
        self._check_member(index)
        if member.householder:
            for other, existing in enumerate(self.members):
                if other != index and existing.householder:
                    raise SecondHouseholderError
        self.members[index] = member
        self.edits.extend(edits or [])

    def remove_member(self, index: int) -> None:
        self._check_member(index)
        del self.members[index]
        # Member answers moved with their members; history entries of later members shift down.
        self.history = [
            (q, None if m is None else (m - 1 if m > index else m)) for q, m in self.history if m != index
        ]

    def _check_member(self, index: int) -> None:
        if not 0 <= index < len(self.members):
            raise VisitSessionError(f"no member {index}")

    # --- event and answers ---------------------------------------------------------------------
    @property
    def events(self) -> list[Event]:
        return list(self.catalog.events.values())

    def set_event(self, event: str, event_date: dt.date) -> None:
        if event not in self.catalog.events:
            raise VisitSessionError(f"unknown event {event!r}")
        if event != self.event:
            # A different life event asks different questions: start the answers afresh.
            self.answers.clear()
            self.members = [m.model_copy(update={"answers": {}}) for m in self.members]
            self.history.clear()
            self.deselected.clear()
        self.event = event
        self.event_date = event_date

    def visit(self) -> Visit:
        if not self.members:
            raise VisitSessionError("the household has no member yet")
        return Visit(
            event=self.event,
            event_date=self.event_date,
            members=tuple(self.members),
            answers=dict(self.answers),
        )

    def guidance(self) -> Guidance:
        """The engine's guidance for the visit as it is now (computed once per state of the visit)."""
        if self.event is None:
            raise VisitSessionError("no life event chosen yet")
        from procedures.engine import guide

        visit = self.visit()
        if self._guided is not None and self._guided[0] == visit:
            return self._guided[1]
        guidance = guide(self.catalog, visit)
        self._guided = (visit, guidance)
        return guidance

    def answer(self, question: PendingQuestion, value: JsonAnswer) -> Guidance:
        visit = self.visit().with_answer(question.id, value, question.member)
        self.answers = dict(visit.answers)
        self.members = list(visit.members)
        key = (question.id, question.member)
        if key in self.history:
            self.history.remove(key)
        self.history.append(key)
        return self.guidance()

    def back(self) -> tuple[str, int | None] | None:
        """Undo the last answer (Backspace in the question step); returns which one, if any."""
        if not self.history:
            return None
        question_id, member = self.history.pop()
        visit = self.visit().without_answer(question_id, member)
        self.answers = dict(visit.answers)
        self.members = list(visit.members)
        return question_id, member

    # --- review --------------------------------------------------------------------------------
    def deselect(self, key: str, reason: str) -> None:
        if not reason.strip():
            raise VisitSessionError("a reason is required to leave a procedure out")
        self.deselected[key] = reason.strip()

    def reselect(self, key: str) -> None:
        self.deselected.pop(key, None)

    def chosen(self, guidance: Guidance) -> list[NeededProcedure]:
        return [p for p in guidance.procedures if p.key not in self.deselected]

    @staticmethod
    def forms_to_print(procedures: list[NeededProcedure]) -> list[str]:
        """Each form once, in the order the procedures list them."""
        seen: dict[str, None] = {}
        for procedure in procedures:
            for form in procedure.forms:
                seen.setdefault(form, None)
        return list(seen)

    # --- draft and end -------------------------------------------------------------------------
    def to_draft(self, step: str) -> dict[str, Any]:
        data: dict[str, Any] = {
            "format": DRAFT_FORMAT,
            "visit_id": self.visit_id,
            "started_at": self.started_at.isoformat(),
            "step": step,
            "event": self.event,
            "event_date": None if self.event_date is None else self.event_date.isoformat(),
            "members": [m.to_json() for m in self.members],
            "answers": dict(self.answers),
            "history": [[q, m] for q, m in self.history],
            "deselected": dict(self.deselected),
            "edits": [[e.member, e.field, e.reason] for e in self.edits],
            "extras": self.extras.to_json(),
        }
        return data

    @classmethod
    def from_draft(cls, catalog: Catalog, data: dict[str, Any]) -> tuple[VisitSession, str]:
        if data.get("format") != DRAFT_FORMAT:
            raise VisitSessionError("not a visit draft")
        members: list[Member] = []
        if data["members"]:
            visit = parse_visit({"members": data["members"], "answers": data.get("answers", {})})
            members = list(visit.members)
        session = cls(
            catalog=catalog,
            visit_id=str(data["visit_id"]),
            started_at=dt.datetime.fromisoformat(str(data["started_at"])),
            members=members,
            event=data.get("event"),
            event_date=None if not data.get("event_date") else dt.date.fromisoformat(str(data["event_date"])),
            answers=dict(data.get("answers", {})),
            history=[(str(q), None if m is None else int(m)) for q, m in data.get("history", [])],
            deselected={str(k): str(v) for k, v in data.get("deselected", {}).items()},
            edits=[DetailEdit(int(m), str(f), str(r)) for m, f, r in data.get("edits", [])],
            extras=VisitExtras.from_json(data.get("extras")),
        )
        return session, str(data.get("step", "household"))

    def snapshot(self) -> VisitSession:
        """A copy of the visit as it is now, which :meth:`clear` of this one leaves as it was (for a
        record written after the kiosk has moved on)."""
        return VisitSession(
            catalog=self.catalog,
            visit_id=self.visit_id,
            started_at=self.started_at,
            members=list(self.members),
            event=self.event,
            event_date=self.event_date,
            answers=dict(self.answers),
            history=list(self.history),
            deselected=dict(self.deselected),
            edits=list(self.edits),
            extras=self.extras,
        )

    def clear(self) -> None:
        """Forget every personal detail of this visit."""
        self.members.clear()
        self.answers.clear()
        self.history.clear()
        self.deselected.clear()
        self.edits.clear()
        self.extras = VisitExtras()
        self.event = None
        self.event_date = None
        self._guided = None
