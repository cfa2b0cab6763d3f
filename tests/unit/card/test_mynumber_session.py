"""The 券面事項入力補助AP session: the safety rules, APDU by APDU."""

from __future__ import annotations

import datetime as dt

import pytest

from card_reader.basic_four import Sex
from card_reader.errors import (
    CardRemovedError,
    LastTryConfirmationRequired,
    NotMyNumberCardError,
    PinLockedError,
    WrongPinError,
)
from card_reader.mynumber import EF_BASIC_FOUR, EF_PIN, KenmenHojoSession, read_basic_four
from card_reader.pin import Pin
from card_reader.virtual import InProcessConnection, VirtualCardProfile, VirtualMyNumberCard
from tests.unit.card.scripted import ScriptedConnection

SELECT_AP = ("00a4040c0ad3921000310001010408", "9000")
SELECT_PIN = ("00a4020c020011", "9000")
STATUS = "00200080"
VERIFY_1234 = "002000800431323334"


def test_full_read_is_seven_apdus_and_checks_the_counter_first(testcard_ef0002: bytes) -> None:
    conn = ScriptedConnection(
        [
            SELECT_AP,
            SELECT_PIN,
            (STATUS, "63c3"),
            (VERIFY_1234, "9000"),
            ("00a4020c020002", "9000"),
            ("00b0000005", testcard_ef0002[:5].hex() + "9000"),
            ("00b0000563", testcard_ef0002[5:].hex() + "9000"),
        ]
    )
    details = read_basic_four(conn, Pin("1234"))
    conn.assert_done()
    assert details.name == "黒桐\u3000幹也" and details.sex is Sex.MALE


def test_wrong_pin_is_not_retried() -> None:
    conn = ScriptedConnection([SELECT_AP, SELECT_PIN, (STATUS, "63c3"), (VERIFY_1234, "63c2")])
    with pytest.raises(WrongPinError) as excinfo:
        read_basic_four(conn, Pin("1234"))
    assert excinfo.value.tries_left == 2
    conn.assert_done()  # and nothing more was sent: the scripted connection would have failed


def test_last_try_is_not_spent_without_confirmation() -> None:
    conn = ScriptedConnection([SELECT_AP, SELECT_PIN, (STATUS, "63c1")])
    with pytest.raises(LastTryConfirmationRequired):
        read_basic_four(conn, Pin("1234"))
    conn.assert_done()


def test_last_try_with_confirmation_is_sent_once() -> None:
    conn = ScriptedConnection([SELECT_AP, SELECT_PIN, (STATUS, "63c1"), (VERIFY_1234, "63c0")])
    with pytest.raises(PinLockedError) as excinfo:
        read_basic_four(conn, Pin("1234"), confirm_last_try=True)
    assert excinfo.value.just_locked
    conn.assert_done()


@pytest.mark.parametrize("sw", ["63c0", "6983", "6984"])
def test_blocked_pin_gets_nothing_sent(sw: str) -> None:
    conn = ScriptedConnection([SELECT_AP, SELECT_PIN, (STATUS, sw)])
    with pytest.raises(PinLockedError) as excinfo:
        read_basic_four(conn, Pin("1234"), confirm_last_try=True)
    assert not excinfo.value.just_locked
    conn.assert_done()


def test_counter_is_read_again_before_every_verify() -> None:
    conn = ScriptedConnection(
        [
            SELECT_AP,
            SELECT_PIN,
            (STATUS, "63c3"),
            (VERIFY_1234, "63c2"),
            (STATUS, "63c2"),
            (VERIFY_1234, "63c1"),
        ]
    )
    session = KenmenHojoSession(conn)
    for _ in range(2):
        with pytest.raises(WrongPinError):
            session.verify_pin(Pin("1234"))
    conn.assert_done()


def test_a_card_without_the_ap_is_not_a_my_number_card() -> None:
    conn = ScriptedConnection([("00a4040c0ad3921000310001010408", "6a82")])
    with pytest.raises(NotMyNumberCardError):
        KenmenHojoSession(conn)


def test_the_session_refuses_to_name_ef_0001_or_0003() -> None:
    session = KenmenHojoSession(ScriptedConnection([SELECT_AP]))
    for forbidden in (0x0001, 0x0003):
        with pytest.raises(ValueError):
            session._select_ef(forbidden)


# --- against the virtual card in-process -----------------------------------------------------------
def _virtual(**profile: object) -> VirtualMyNumberCard:
    return VirtualMyNumberCard(VirtualCardProfile(**profile))  # type: ignore[arg-type]


@pytest.mark.parametrize("style", [{}, {"get_response_style": True}, {"wrong_length_style": True}])
@pytest.mark.parametrize("long_form", [0, 1, 2])
def test_virtual_card_reads_in_every_style(style: dict[str, bool], long_form: int) -> None:
    card = VirtualMyNumberCard(
        VirtualCardProfile(outer_long_form=long_form, filler=0),
        get_response_style=style.get("get_response_style", False),
        wrong_length_style=style.get("wrong_length_style", False),
    )
    details = read_basic_four(InProcessConnection(card), Pin("1234"))
    assert details.birth_date == dt.date(1980, 2, 17)
    assert card.selected_files() == [EF_PIN, EF_BASIC_FOUR]


def test_virtual_card_counts_down_then_blocks() -> None:
    card = _virtual(pin="4321")
    answers = []
    for _ in range(3):
        connection = InProcessConnection(card)
        try:
            read_basic_four(connection, Pin("0000"), confirm_last_try=True)
        except (WrongPinError, PinLockedError) as exc:
            answers.append(type(exc).__name__)
    assert answers == ["WrongPinError", "WrongPinError", "PinLockedError"]
    # Once blocked, the card answers 6984 to any VERIFY with data and 63C0 to the empty one.
    assert card.process(bytes.fromhex("00a4040c0ad3921000310001010408")) == b"\x90\x00"
    assert card.process(bytes.fromhex("00a4020c020011")) == b"\x90\x00"
    assert card.process(bytes.fromhex("00200080")) == b"\x63\xc0"
    assert card.process(bytes.fromhex("002000800434333231")) == b"\x69\x84"


def test_virtual_card_jicsap_answers() -> None:
    card = _virtual()
    assert card.process(bytes.fromhex("00a4040c05a000000001")) == b"\x6a\x82"
    assert card.process(bytes.fromhex("00a4040c0ad3921000310001010408")) == b"\x90\x00"
    assert card.process(bytes.fromhex("00a4020c020009")) == b"\x6a\x82"
    assert card.process(bytes.fromhex("00a4020c020002")) == b"\x90\x00"
    assert card.process(bytes.fromhex("00b0000005")) == b"\x69\x82"  # before verification
    card.process(bytes.fromhex("00a4020c020011"))
    assert card.process(bytes.fromhex("002000800431323334")) == b"\x90\x00"
    assert card.process(bytes.fromhex("00200080")) == b"\x90\x00"
    card.process(bytes.fromhex("00a4020c020002"))
    size = len(card.profile.basic_four_bytes())
    assert card.process(bytes([0, 0xB0, size >> 8, size & 0xFF, 1])) == b"\x6b\x00"
    tail = card.process(bytes([0, 0xB0, 0, size - 2, 16]))
    assert tail[-2:] == b"\x62\x82" and len(tail) == 4


def test_removed_in_process_card() -> None:
    connection = InProcessConnection(_virtual())
    connection.remove()
    with pytest.raises(CardRemovedError):
        read_basic_four(connection, Pin("1234"))
