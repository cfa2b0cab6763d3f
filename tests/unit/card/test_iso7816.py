"""ISO 7816 layer over a scripted connection: 61xx, 6Cxx, chunked reads, status words → errors."""

from __future__ import annotations

import pytest

from card_reader.errors import (
    FileNotFoundOnCardError,
    SecurityStatusNotSatisfiedError,
    StatusWordError,
    WrongLengthError,
)
from card_reader.iso7816 import Iso7816, build_apdu, describe_apdu
from tests.unit.card.scripted import ScriptedConnection, UnexpectedApdu


def test_build_apdu_cases() -> None:
    assert build_apdu(0, 0xB0, 0, 0, le=256).hex() == "00b0000000"
    assert build_apdu(0, 0x20, 0, 0x80).hex() == "00200080"
    assert build_apdu(0, 0xA4, 2, 0x0C, b"\x00\x02").hex() == "00a4020c020002"
    with pytest.raises(ValueError):
        build_apdu(0, 0xB0, 0, 0, le=257)
    with pytest.raises(ValueError):
        build_apdu(0, 0xD6, 0, 0, bytes(256))


def test_describe_apdu_never_shows_the_data_field() -> None:
    assert describe_apdu(bytes.fromhex("002000800431323334")) == "APDU(00 20 00 80, len=9)"


def test_get_response_is_followed() -> None:
    conn = ScriptedConnection(
        [
            ("00b0000005", "6105"),
            ("00c0000005", "01020304059000"),
        ]
    )
    assert Iso7816(conn).read_binary(0, 5) == bytes.fromhex("0102030405")
    conn.assert_done()


def test_wrong_le_is_resent_with_the_length_the_card_asks() -> None:
    conn = ScriptedConnection(
        [
            ("00b0000010", "6c03"),
            ("00b0000003", "aabbcc9000"),
        ]
    )
    assert Iso7816(conn).read_binary(0, 16) == bytes.fromhex("aabbcc")
    conn.assert_done()


def test_long_reads_are_chunked_into_short_apdus() -> None:
    data = bytes(range(256)) + bytes(44)
    conn = ScriptedConnection(
        [
            ("00b0000000", data[:256].hex() + "9000"),
            ("00b001002c", data[256:].hex() + "9000"),
        ]
    )
    assert Iso7816(conn).read_binary(0, 300) == data
    conn.assert_done()


def test_end_of_file_warning_stops_reading() -> None:
    conn = ScriptedConnection([("00b0000050", "01026282")])
    assert Iso7816(conn).read_binary(0, 0x50) == b"\x01\x02"
    conn.assert_done()


@pytest.mark.parametrize(
    ("sw", "error"),
    [
        ("6a82", FileNotFoundOnCardError),
        ("6982", SecurityStatusNotSatisfiedError),
        ("6700", WrongLengthError),
        ("6b00", StatusWordError),
        ("6f00", StatusWordError),
    ],
)
def test_status_words_become_typed_errors(sw: str, error: type[Exception]) -> None:
    conn = ScriptedConnection([("00b0000004", sw)])
    with pytest.raises(error) as excinfo:
        Iso7816(conn).read_binary(0, 4)
    assert isinstance(excinfo.value, StatusWordError)
    assert excinfo.value.sw == int(sw, 16)


@pytest.mark.parametrize(
    ("sw", "verified", "tries", "blocked"),
    [
        ("9000", True, None, False),
        ("63c3", False, 3, False),
        ("63c1", False, 1, False),
        ("63c0", False, 0, True),
        ("6983", False, 0, True),
        ("6984", False, 0, True),
    ],
)
def test_verify_status_words(sw: str, verified: bool, tries: int | None, blocked: bool) -> None:
    conn = ScriptedConnection([("00200080", sw)])
    status = Iso7816(conn).verify_status()
    assert (status.verified, status.tries_left, status.blocked) == (verified, tries, blocked)


def test_scripted_connection_fails_on_an_unexpected_apdu() -> None:
    conn = ScriptedConnection([("00200080", "63c3")])
    with pytest.raises(UnexpectedApdu):
        Iso7816(conn).select_ef(0x0011)
