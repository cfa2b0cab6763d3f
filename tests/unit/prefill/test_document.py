"""Reading a pre-fill against the catalog: usable data is used, everything else is listed for the clerk."""

from __future__ import annotations

import datetime as dt
import json
import zlib
from typing import Any

import pytest

from procedures import load_catalog
from procedures.catalog import Catalog
from procedures.prefill import (
    NoteKind,
    PrefillContentError,
    SetChecksumError,
    UnknownVersionError,
    decode_scans,
    document_json,
    encode_visit,
    read_document,
)
from procedures.prefill.dictionary import dictionary
from procedures.prefill.document import MAX_CONTENT_BYTES, inflate
from procedures.prefill.parts import frame_parts
from procedures.visit import Source
from tests.unit.prefill.samples import six_member_visit


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def _document(catalog: Catalog, **changes: Any) -> dict[str, Any]:
    document = document_json(six_member_visit(), catalog.id, catalog.meta.version, dt.date(2025, 3, 28))
    document.update({key.rstrip("_"): value for key, value in changes.items()})
    return document


def _scans(document: dict[str, Any]) -> list[str]:
    raw = json.dumps(document, ensure_ascii=False).encode()
    return frame_parts(zlib.compress(raw), version="1")  # documents in MDP1: the old format still reads


def test_a_clean_pre_fill_is_used_whole(catalog: Catalog) -> None:
    visit = six_member_visit()
    prefill = decode_scans(
        encode_visit(visit, catalog.id, catalog.meta.version, dt.date(2025, 3, 28)), catalog
    )
    assert prefill.notes == ()
    assert not prefill.catalog_changed
    assert (prefill.catalog_id, prefill.catalog_version, prefill.created) == (
        catalog.id,
        catalog.meta.version,
        dt.date(2025, 3, 28),
    )
    assert all(m.source is Source.QR for m in prefill.visit.members)
    assert (
        prefill.visit.to_json()
        == visit.model_copy(
            update={"members": tuple(m.model_copy(update={"source": Source.QR}) for m in visit.members)}
        ).to_json()
    )
    assert "山田" not in repr(prefill)  # reprs carry no personal data


def test_unknown_questions_wrong_scopes_and_bad_values_are_dropped_and_listed(catalog: Catalog) -> None:
    document = _document(catalog)
    document["visit"]["answers"].update(
        {"has_a_boat": True, "insurance": "kokuho", "from_abroad": "maybe", "note": ["x"]}
    )
    document["visit"]["members"][1]["answers"].update({"insurance": "spaceship", "from_abroad": True})
    prefill = read_document(document, catalog)
    kinds = [(n.kind, n.member, n.question_id) for n in prefill.notes]
    assert kinds == [
        (NoteKind.BAD_ANSWER, 1, "insurance"),
        (NoteKind.WRONG_SCOPE, 1, "from_abroad"),
        (NoteKind.BAD_ANSWER, None, "from_abroad"),
        (NoteKind.UNKNOWN_QUESTION, None, "has_a_boat"),
        (NoteKind.WRONG_SCOPE, None, "insurance"),
        (NoteKind.BAD_ANSWER, None, "note"),
    ]
    assert prefill.visit.answers == {"new_address": document["visit"]["answers"]["new_address"]}
    assert "insurance" not in prefill.visit.members[1].answers
    assert prefill.visit.members[1].answers["has_mynumber_card"] is True  # the rest of that member is kept
    messages = [n.message for n in prefill.notes]
    assert "2人目" in messages[0] and "健康保険の種類" in messages[0] and "spaceship" not in messages[0]
    assert "has_a_boat" in messages[3]


def test_a_changed_catalog_version_is_said_and_answers_are_checked_against_the_current_one(
    catalog: Catalog,
) -> None:
    prefill = read_document(_document(catalog, catalog_version="2024.10"), catalog)
    assert prefill.catalog_changed
    assert [n.kind for n in prefill.notes] == [NoteKind.CATALOG_VERSION]
    assert "2024.10" in prefill.notes[0].message and catalog.meta.version in prefill.notes[0].message
    assert prefill.visit.event == "tennyu" and prefill.visit.answers  # still usable


def test_another_catalog_keeps_only_the_household(catalog: Catalog) -> None:
    prefill = read_document(_document(catalog, catalog_="sazanami"), catalog)
    assert [n.kind for n in prefill.notes] == [NoteKind.OTHER_CATALOG]
    assert "sazanami" in prefill.notes[0].message
    assert prefill.visit.event is None and prefill.visit.answers == {}
    assert all(m.answers == {} and m.subject is None for m in prefill.visit.members)
    assert len(prefill.visit.members) == 6


def test_unknown_event_and_bad_date_are_dropped(catalog: Catalog) -> None:
    document = _document(catalog)
    document["visit"]["event"] = "space_travel"
    document["visit"]["event_date"] = "2025-02-30"
    prefill = read_document(document, catalog)
    assert [n.kind for n in prefill.notes] == [NoteKind.UNKNOWN_EVENT, NoteKind.BAD_EVENT_DATE]
    assert prefill.visit.event is None and prefill.visit.event_date is None


def test_member_problems_drop_only_what_is_wrong(catalog: Catalog) -> None:
    document = _document(catalog)
    members = document["visit"]["members"]
    members[0]["furigana"] = "あ" * 500  # too long: the furigana goes, the member stays
    members[1]["relationship"] = "cousin_twice_removed"  # unknown: set to other relative, clerk checks
    members[2]["birth_date"] = "2010-13-01"  # a required detail is unusable: the member goes
    members[3]["favourite_colour"] = "blue"  # unknown key: dropped
    members[4].update(relationship="self", is_householder=True)  # a second householder
    members[5] = "not a member"
    prefill = read_document(document, catalog)
    got = [(n.kind, n.member) for n in prefill.notes]
    assert got == [
        (NoteKind.FIELD_DROPPED, 0),
        (NoteKind.FIELD_DROPPED, 1),
        (NoteKind.MEMBER_DROPPED, 2),
        (NoteKind.FIELD_DROPPED, 3),
        (NoteKind.EXTRA_HOUSEHOLDER, 4),
        (NoteKind.MEMBER_DROPPED, 5),
    ]
    kept = prefill.visit.members
    assert len(kept) == 4
    assert kept[0].furigana is None and kept[0].name == "山田 太郎"
    assert kept[1].relationship.value == "other_relative"
    assert kept[3].relationship.value == "other_relative" and not kept[3].householder
    assert all("2010-13-01" not in n.message for n in prefill.notes)


def _mdp2(raw: bytes, number: int = 1) -> bytes:
    preset = dictionary(1)
    assert preset is not None
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15, 9, zlib.Z_DEFAULT_STRATEGY, preset)
    return bytes((number,)) + compressor.compress(raw) + compressor.flush()


def test_content_that_is_not_a_pre_fill(catalog: Catalog) -> None:
    with pytest.raises(PrefillContentError):
        decode_scans(frame_parts(zlib.compress(b"[1, 2, 3]"), version="1"), catalog)
    with pytest.raises(PrefillContentError):
        decode_scans(frame_parts(zlib.compress("東京".encode("shift_jis")), version="1"), catalog)
    with pytest.raises(SetChecksumError):
        decode_scans(frame_parts(b"not zlib at all", version="1"), catalog)
    with pytest.raises(PrefillContentError):
        decode_scans(frame_parts(_mdp2(b"[1, 2, 3]")), catalog)
    with pytest.raises(SetChecksumError):
        decode_scans(frame_parts(b"\x01\xff\xfe not deflate"), catalog)
    with pytest.raises(SetChecksumError):
        inflate(_mdp2(b'{"visit": {}}')[:-3], "2")
    with pytest.raises(UnknownVersionError) as newer:  # a dictionary of a newer Madoguchi
        decode_scans(frame_parts(_mdp2(b'{"visit": {}}', number=9)), catalog)
    assert newer.value.version == "2-9"
    with pytest.raises(SetChecksumError):
        inflate(zlib.compress(b'{"visit": {}}')[:-3])
    with pytest.raises(PrefillContentError):
        inflate(zlib.compress(b" " * (MAX_CONTENT_BYTES + 10)))  # a zip bomb is not inflated
    no_member = _document(catalog)
    no_member["visit"]["members"] = [{"name": ""}]
    with pytest.raises(PrefillContentError):
        decode_scans(_scans(no_member), catalog)


def test_too_many_members_keep_the_first_thirty(catalog: Catalog) -> None:
    document = _document(catalog)
    one = document["visit"]["members"][1]
    document["visit"]["members"] = document["visit"]["members"][:1] + [one] * 34
    prefill = read_document(document, catalog)
    assert len(prefill.visit.members) == 30
    assert [n.kind for n in prefill.notes] == [NoteKind.TOO_MANY_MEMBERS]


def test_without_a_catalog_only_the_structure_is_checked() -> None:
    document = document_json(six_member_visit(), "anything", "1")
    document["visit"]["answers"]["not_in_any_catalog"] = 3
    prefill = read_document(document, None)
    assert prefill.notes == ()
    assert prefill.visit.answers["not_in_any_catalog"] == 3
