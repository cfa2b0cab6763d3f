"""Card versus QR: the card wins for the four details, every difference is listed, nothing merged silently."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from procedures import load_catalog
from procedures.prefill import NoteKind, apply_to_visit, decode_scans, encode_visit, merge_card_member
from procedures.prefill.merge import match_members, merge_visits, normalized_name
from procedures.visit import Member, Relationship, Sex, Source, Visit
from tests.unit.prefill.samples import ADDRESS, EVENT_DATE, six_member_visit, visits


def _qr_visit() -> Visit:
    visit = six_member_visit()
    return visit.model_copy(
        update={"members": tuple(m.model_copy(update={"source": Source.QR}) for m in visit.members)}
    )


def _card(
    name: str, born: dt.date, sex: Sex, address: str, relationship: Relationship = Relationship.SELF
) -> Member:
    return Member(
        name=name,
        birth_date=born,
        sex=sex,
        address=address,
        relationship=relationship,
        is_householder=relationship is Relationship.SELF,
        source=Source.CARD,
    )


def test_card_wins_for_the_four_details_and_each_difference_is_listed() -> None:
    qr = _qr_visit()
    card = _card("山田 太郎", dt.date(1980, 5, 1), Sex.MALE, "東京都さくら市本町1-1")
    merged = merge_card_member(qr, card)
    assert merged.member_map == (0,)
    first = merged.visit.members[0]
    assert first.source is Source.CARD
    assert first.address == "東京都さくら市本町1-1"
    assert first.furigana == "やまだ たろう"  # the card has none: the QR's is kept
    assert first.answers == qr.members[0].answers
    assert first.relationship is Relationship.SELF
    [difference] = merged.differences
    assert (difference.member, difference.field, difference.kept_from) == (0, "address", Source.CARD)
    assert (difference.kept, difference.dropped) == ("東京都さくら市本町1-1", ADDRESS)
    assert not difference.notation_only
    assert "1人目" in difference.message and "住所" in difference.message
    assert "本町" not in repr(difference) and "本町" not in difference.message  # values only on screen
    assert merged.visit.members[1:] == qr.members[1:]


def test_a_variant_spelling_is_matched_by_birth_date_and_shown() -> None:
    qr = _qr_visit()
    card = _card("髙橋　𠮷子", dt.date(2013, 11, 30), Sex.FEMALE, ADDRESS, Relationship.CHILD)
    merged = merge_card_member(qr, card)
    assert merged.member_map == (3,)
    assert merged.visit.members[3].name == "髙橋　𠮷子"
    [difference] = merged.differences
    assert difference.field == "name" and difference.notation_only  # only the width of the space


def test_a_mistyped_birth_date_is_matched_by_name_and_the_card_date_wins() -> None:
    qr = _qr_visit()
    card = _card("山田 花子", dt.date(1982, 7, 21), Sex.FEMALE, ADDRESS, Relationship.CHILD)
    merged = merge_card_member(qr, card)
    assert merged.member_map == (1,)
    member = merged.visit.members[1]
    assert member.birth_date == dt.date(1982, 7, 21)
    assert member.relationship is Relationship.SPOUSE  # a card knows no relationship: the QR's stays
    assert [(d.field, d.kept, d.dropped) for d in merged.differences] == [
        ("birth_date", "1982年7月21日", "1982年7月12日")
    ]


def test_a_card_holder_not_in_the_qr_household_is_added_and_said() -> None:
    qr = _qr_visit()
    card = _card("鈴木 次郎", dt.date(1990, 1, 1), Sex.MALE, ADDRESS)
    merged = merge_card_member(qr, card)
    assert merged.member_map == (6,)
    added = merged.visit.members[6]
    assert added.source is Source.CARD
    assert added.relationship is Relationship.OTHER_RELATIVE  # the QR household already has a householder
    assert [n.kind for n in merged.notes] == [NoteKind.MEMBER_ADDED]
    assert merged.differences == ()


def test_twins_are_told_apart_by_name() -> None:
    born = dt.date(2012, 6, 1)
    qr = Visit(
        members=(
            Member(
                name="森 あお",
                birth_date=born,
                sex=Sex.MALE,
                relationship=Relationship.CHILD,
                is_householder=False,
                source=Source.QR,
            ),
            Member(
                name="森 そら",
                birth_date=born,
                sex=Sex.MALE,
                relationship=Relationship.CHILD,
                is_householder=False,
                source=Source.QR,
            ),
        )
    )
    card = _card("森 そら", born, Sex.MALE, "東京都", Relationship.CHILD)
    assert match_members([card], qr.members) == [1]
    stranger = _card("森 うみ", born, Sex.MALE, "東京都", Relationship.CHILD)
    assert match_members([stranger], qr.members) == [None]  # ambiguous: never guessed


def test_applying_to_a_visit_under_way_keeps_the_clerks_choices() -> None:
    catalog = load_catalog()
    prefill = decode_scans(encode_visit(six_member_visit(), catalog.id, catalog.meta.version), catalog)
    card = _card("山田 太郎", dt.date(1980, 5, 1), Sex.MALE, ADDRESS)
    typed = Member(
        name="山田 花子",
        birth_date=dt.date(1982, 7, 12),
        sex=Sex.FEMALE,
        relationship=Relationship.PARENT,  # the clerk chose it: kept, and the difference shown
        is_householder=False,
        source=Source.TYPED,
        answers={"insurance": "employee"},
    )
    current = Visit(
        event="tenkyo",
        event_date=EVENT_DATE + dt.timedelta(days=1),
        members=(card, typed),
        answers={"from_abroad": True},
    )
    applied = apply_to_visit(prefill, current)
    assert applied.member_map == (0, 1)
    assert applied.visit.event == "tenkyo" and applied.visit.event_date == EVENT_DATE + dt.timedelta(days=1)
    assert [n.kind for n in applied.notes] == [NoteKind.EVENT_KEPT, NoteKind.EVENT_DATE_KEPT]
    assert applied.visit.answers["from_abroad"] is True
    assert applied.visit.members[1].answers["insurance"] == "employee"
    assert applied.visit.members[1].answers["has_mynumber_card"] is True  # the QR fills the rest
    assert [(d.member, d.field, d.kept_from) for d in applied.differences] == [
        (1, "relationship", Source.TYPED)
    ]
    assert applied.visit.members[0].source is Source.CARD and applied.visit.members[1].source is Source.TYPED
    assert len(applied.visit.members) == 6
    assert apply_to_visit(prefill).visit == prefill.visit


@given(visits(max_members=5), st.data())
def test_merging_never_loses_a_counter_detail(qr: Visit, data: st.DataObject) -> None:
    """Whatever the QR says, every counter member's four details survive unchanged, each QR value that
    differs is listed, and no QR member disappears."""
    picks = data.draw(st.lists(st.integers(0, len(qr.members) - 1), max_size=3, unique=True))
    counter_members = []
    for index in picks:
        source = qr.members[index]
        counter_members.append(
            source.model_copy(
                update={
                    "source": Source.CARD,
                    "address": data.draw(st.sampled_from(["東京都", source.address or "大阪府"])),
                    "name": data.draw(st.sampled_from([source.name, source.name + "子"])),
                    "relationship": Relationship.CHILD,
                    "is_householder": False,
                    "answers": {},
                }
            )
        )
    counter = Visit(members=tuple(counter_members)) if counter_members else None
    merged = merge_visits(qr, counter)
    assert len(merged.visit.members) >= len(qr.members)
    for i, member in enumerate(counter_members):
        kept = merged.visit.members[merged.member_map[i]]
        assert (kept.name, kept.birth_date, kept.sex, kept.address) == (
            member.name,
            member.birth_date,
            member.sex,
            member.address,
        )
    listed = {(d.member, d.field) for d in merged.differences}
    for i, member in enumerate(counter_members):
        target = merged.member_map[i]
        if target < len(qr.members):
            for field in ("name", "birth_date", "sex", "address"):
                theirs = getattr(qr.members[target], field)
                if theirs is not None and theirs != getattr(member, field):
                    assert (target, field) in listed
    assert sum(1 for m in merged.visit.members if m.householder) <= 1


def test_normalized_names() -> None:
    assert normalized_name("山田　太郎") == normalized_name("山田 太郎") == "山田太郎"
    assert normalized_name("ﾔﾏﾀﾞ") == normalized_name("ヤマダ")
