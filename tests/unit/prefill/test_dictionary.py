"""Format MDP2: the preset dictionary is frozen, codes made today read tomorrow, and households fit one
code (issue 17: a single person with a long address and most households of up to six)."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from procedures import load_catalog
from procedures.prefill import decode_scans, encode_visit
from procedures.prefill.dictionary import CURRENT, SHA256, dictionary
from procedures.visit import Member, Relationship, Sex, Visit
from tests.unit.prefill.samples import six_member_visit

DICTIONARIES = Path(__file__).resolve().parents[3] / "procedures" / "prefill" / "dictionaries"

# Made by this Madoguchi when MDP2 and dictionary 1 were published (2026-12-04): it must read for
# as long as dictionary 1 is supported — a change to the framing, the compression or the dictionary
# that breaks it breaks every code residents already hold.
PUBLISHED = (
    "MDP2:M6LU+KW50E90*-8323LWTNEBOD2I34E+45$00GRGKTQQL6CKN05JZ8D93TZ2CNNI:C*/GP G9/H$HE9+2DI9TL8T3SUF8"
    "0/1HNB/%R9HBOWDCB08H3Q-EVYK+30R7VL8G K3Y9CC-8*EJW3MZX4-ZA4QDB70LQT.0"
)


def test_the_published_dictionary_is_unchanged() -> None:
    assert CURRENT == 1
    data = (DICTIONARIES / "mdp2-1.txt").read_bytes()
    assert hashlib.sha256(data).hexdigest() == SHA256[1]
    assert dictionary(1) == data
    assert 2000 < len(data) <= 32768  # deflate sees at most the last 32 KiB of a dictionary
    assert dictionary(2) is None and dictionary(0) is None


def test_a_code_made_when_mdp2_was_published_still_reads() -> None:
    prefill = decode_scans([PUBLISHED], load_catalog())
    [member] = prefill.visit.members
    assert (member.name, member.birth_date, member.address) == (
        "窓口 花子",
        dt.date(1988, 6, 12),
        "東京都みどり川区中央一丁目2番3号",
    )
    assert prefill.created == dt.date(2025, 3, 28) and prefill.visit.event == "tennyu"


def test_a_single_person_with_a_long_address_fits_one_code() -> None:
    address = "神奈川県横浜市みどり川区中央一丁目2番3号 グランドパレスみどり川レジデンス1205号室"
    person = Member(
        name="勅使河原 颯真",
        furigana="てしがわら そうま",
        birth_date=dt.date(1991, 11, 3),
        sex=Sex.MALE,
        relationship=Relationship.SELF,
        is_householder=True,
        address=address,
        answers={"has_mynumber_card": True, "insurance": "kokuho", "inkan_register": True},
    )
    visit = Visit(
        event="tennyu",
        event_date=dt.date(2025, 4, 1),
        members=(person,),
        answers={"from_abroad": False, "new_address": address},
    )
    catalog = load_catalog()
    assert len(encode_visit(visit, catalog.id, catalog.meta.version, version="1")) == 2  # issue 17
    assert len(encode_visit(visit, catalog.id, catalog.meta.version)) == 1


def test_a_six_member_household_fits_one_code() -> None:
    catalog = load_catalog()
    assert len(encode_visit(six_member_visit(), catalog.id, catalog.meta.version)) == 1
