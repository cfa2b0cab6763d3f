"""The kiosk's resident-registry action: after the resident is identified, fetch the household.

One key (「住民記録から世帯を取得」) on the household step: the identified member's four details (card,
QR or typed — the card's stay as they are) are matched against the registry; the other members who are
registered in the same 世帯 are added with name, reading, birth date, sex and 続柄, and each member gets
住民票コード, 本籍 and 筆頭者 in the visit's form details; 宛名番号 and 世帯番号 stay beside the visit
(:class:`RegistryVisit`) for the hand-off. Members no longer registered (転出・死亡・消除) are listed
with their badge and not added. Without a card, one search box finds the resident (never a list).

Anything the registry refuses, or a registry that is down, is one Japanese line on the step; the visit
goes on with the card and typing. What was fetched lives in the visit and is dropped with it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from counter_app.presenters.messages import clerk_message
from counter_app.presenters.observable import Observable
from counter_app.workflow.registry import Identity, RegistryPerson, fold_name
from counter_app.workflow.registry_lookup import HouseholdMatch, RegistryLookup, RegistryVisit
from counter_app.workflow.tasks import TaskRunner
from counter_app.workflow.visit_session import VisitSession
from procedures.visit import FormDetails, JsonAnswer, Member, Relationship, Source

if TYPE_CHECKING:
    from counter_app.presenters.kiosk import KioskPresenter
    from procedures.handoff import PersonNumbers


@dataclass(frozen=True)
class RegistryRow:
    """One line of the fetched household or of a search result (shown as plain text)."""

    label: str  # 氏名(フリガナ) 続柄 生年月日
    badge: str = ""  # 転出・死亡・消除: shown strongly; such a person is not added
    added: bool = False


@dataclass(frozen=True)
class RegistryView:
    busy: bool = False
    error: str = ""
    rows: tuple[RegistryRow, ...] = ()  # the household fetched
    differences: tuple[str, ...] = ()  # where the card and the registry differ (the card is kept)
    hits: tuple[RegistryRow, ...] = ()  # search results, to pick one
    capped: bool = False
    note: str = ""


def _row(person: RegistryPerson, added: bool = False) -> RegistryRow:
    reading = f"({person.kana})" if person.kana else ""
    return RegistryRow(
        f"{person.name}{reading} {person.relationship_label} {person.birth_date.isoformat()}",
        person.status.badge,
        added,
    )


def _details(person: RegistryPerson, existing: FormDetails | None) -> FormDetails:
    values = existing.model_dump() if existing is not None else {}
    for key, value in (
        ("juminhyo_code", person.juminhyo_code),
        ("honseki", person.honseki),
        ("hittousha", person.hittosha),
    ):
        if value and not values.get(key):
            values[key] = value
    return FormDetails(**values)


class RegistryPresenter:
    """Beside :class:`KioskPresenter`: fetches the household into its visit session."""

    def __init__(
        self,
        kiosk: KioskPresenter,
        lookup: RegistryLookup,
        runner: TaskRunner,
        answers: Mapping[str, str] | None = None,
    ) -> None:
        self.kiosk = kiosk
        self.lookup = lookup
        self.runner = runner
        self.answers = dict(answers or {})  # catalog question id -> derivation (registry.yaml)
        self.view: Observable[RegistryView] = Observable(RegistryView())
        self.visit = RegistryVisit()
        self._hits: tuple[RegistryPerson, ...] = ()
        kiosk.view.subscribe(self._on_kiosk, now=False)

    # --- actions --------------------------------------------------------------------------------
    def fetch_household(self) -> None:
        """After identification: the household of the first member (the resident at the counter)."""
        session = self.kiosk.session
        if session is None or not session.members:
            self.view.set(RegistryView(error="先にカードを読み取るか、ご本人の情報を入力してください。"))
            return
        first = session.members[0]
        identity = Identity(first.name, first.birth_date, first.address, first.sex)
        visit_id = session.visit_id
        self.view.set(RegistryView(busy=True))
        self.runner.run(
            lambda: self.lookup.household_for(visit_id, identity),
            lambda match: self._fill(visit_id, match),
            self._failed,
        )

    def search(self, text: str) -> None:
        """Without a card: one search box (name or reading + birth date, or 宛名番号)."""
        session = self.kiosk.ensure_session()
        visit_id = session.visit_id
        self.view.set(RegistryView(busy=True))
        self.runner.run(lambda: self.lookup.search(visit_id, text), self._found, self._failed)

    def choose(self, index: int) -> None:
        """The clerk picks one search result: that resident's household is fetched."""
        session = self.kiosk.session
        if session is None or not 0 <= index < len(self._hits):
            return
        person = self._hits[index]
        if person.status.badge:
            self.view.set(dataclasses.replace(
                self.view.value,
                error=f"この方は住民記録上「{person.status.badge}」です。世帯は取得しません。",
            ))  # fmt: skip
            return
        visit_id = session.visit_id
        self.view.set(RegistryView(busy=True))
        self.runner.run(
            lambda: self.lookup.household_of(visit_id, person),
            lambda match: self._fill(visit_id, match),
            self._failed,
        )

    def person_numbers(self, session: VisitSession) -> dict[int, PersonNumbers]:
        """宛名番号 and 世帯番号 of the visit's members the registry gave, by the member's index now (a
        member removed since shifts the others): matched by birth date and name, never by position."""
        from procedures.handoff import PersonNumbers

        if session.visit_id != self.visit.visit_id:
            return {}
        registered = list(self.visit.by_member.values())
        numbers: dict[int, PersonNumbers] = {}
        for index, member in enumerate(session.members):
            same = [
                p for p in registered
                if p.birth_date == member.birth_date and fold_name(p.name) == fold_name(member.name)
            ]  # fmt: skip
            if len(same) == 1:
                numbers[index] = PersonNumbers(
                    atena_number=same[0].atena_no, setai_number=same[0].household_no
                )
        return numbers

    def clear(self) -> None:
        self.visit.clear()
        self._hits = ()
        self.view.set(RegistryView())

    # --- results --------------------------------------------------------------------------------
    def _failed(self, error: BaseException) -> None:
        self.view.set(RegistryView(error=clerk_message(error).text))

    def _found(self, result: object) -> None:
        from counter_app.workflow.registry_lookup import SearchResult

        assert isinstance(result, SearchResult)
        self._hits = result.hits
        note = "50件を超えました。先頭の50件です。生年月日や氏名を確かめてください。" if result.capped else ""
        self.view.set(RegistryView(hits=tuple(_row(p) for p in result.hits), capped=result.capped, note=note))

    def _fill(self, visit_id: str, match: HouseholdMatch) -> None:
        session = self.kiosk.session
        if session is None or session.visit_id != visit_id:
            return  # the visit ended while the registry answered: nothing is kept
        if self.visit.visit_id != visit_id:
            self.visit.clear()
            self.visit.visit_id = visit_id
        self.visit.match = match
        person = match.person
        if session.members:
            # The identified resident: the card's (or typed) four details stay; the registry adds the
            # reading, the 続柄 (the card has none) and the form details.
            first = session.members[0]
            relationship = person.relationship
            updated = first.model_copy(
                update={
                    "furigana": first.furigana or person.kana,
                    "relationship": relationship,
                    "is_householder": relationship is Relationship.SELF,
                    "details": _details(person, first.details),
                }
            )
            session.members[0] = updated
            self.visit.by_member[0] = person
        else:
            session.add_member(self._member(person, None))
            self.visit.by_member[0] = person
        address = session.members[0].address
        present = {(fold_name(m.name), m.birth_date) for m in session.members}
        added: set[str] = {person.atena_no}
        for other in match.current:
            if other.atena_no == person.atena_no or (fold_name(other.name), other.birth_date) in present:
                continue
            if len(session.members) >= 30:
                break
            index = session.add_member(self._member(other, address))
            self.visit.by_member[index] = other
            added.add(other.atena_no)
        self._answer(session.answers, match)
        self.kiosk.household_changed()
        differences = tuple(
            f"{d.item}: カード「{d.card}」/ 住民記録「{d.registry}」(カードの内容を使います)"
            for d in match.differences
        )
        gone = [m for m in match.members if m.status.badge]
        note = f"住民記録から{len(added) - 1}人を追加しました。" + (
            f"住民記録上、転出・死亡等の方が{len(gone)}人います(追加していません)。" if gone else ""
        )
        if person.status.badge:  # only a record no longer current agreed with the card
            note = f"この方は住民記録上「{person.status.badge}」です。記録を確かめてください。" + note
        self.view.set(
            RegistryView(
                rows=tuple(_row(m, m.atena_no in added) for m in match.members),
                differences=differences,
                note=note,
            )
        )

    def _member(self, person: RegistryPerson, address: str | None) -> Member:
        relationship = person.relationship
        return Member(
            name=person.name,
            furigana=person.kana,
            birth_date=person.birth_date,
            sex=person.sex,
            address=address or person.address,
            relationship=relationship,
            is_householder=relationship is Relationship.SELF,
            source=Source.REGISTRY,
            details=_details(person, None),
        )

    def _answer(self, answers: dict[str, JsonAnswer], match: HouseholdMatch) -> None:
        """Answers the municipality's registry.yaml lets the registry give (never over the clerk's)."""
        members = [self.visit.by_member[i] for i in sorted(self.visit.by_member)]
        for question, how in self.answers.items():
            if question in answers:
                continue
            if how == "any_foreign":
                answers[question] = any(m.foreign for m in members)
            elif how == "all_japanese":
                answers[question] = not any(m.foreign for m in members)

    def _on_kiosk(self, view: object) -> None:
        session = self.kiosk.session
        if self.visit.visit_id and (session is None or session.visit_id != self.visit.visit_id):
            self.clear()  # the visit ended (printed, cancelled, put aside, timed out)
