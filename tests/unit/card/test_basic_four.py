"""EF 0002 parsing: the real test-card dump, every edge of the format, and property tests."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from card_reader.basic_four import BasicFour, Sex, decode_basic_four, encode_basic_four, encoded_length
from card_reader.errors import MalformedCardDataError
from card_reader.tlv import read_tlv


def test_real_test_card_dump_decodes_to_its_readme_values(testcard_ef0002: bytes) -> None:
    details = decode_basic_four(testcard_ef0002)
    assert details.name == "黒桐\u3000幹也"
    assert details.address == "東京都清瀬市観布子南１２－７－２０２"
    assert details.birth_date == dt.date(1980, 2, 17)
    assert details.sex is Sex.MALE
    assert details.raw == testcard_ef0002
    offsets = read_tlv(testcard_ef0002, 3).value
    assert [int.from_bytes(offsets[i : i + 2], "big") for i in range(0, 8, 2)] == [14, 32, 89, 100]


def test_encoder_reproduces_the_real_dump_byte_for_byte(testcard_ef0002: bytes) -> None:
    d = decode_basic_four(testcard_ef0002)
    assert encode_basic_four(d.name, d.address, d.birth_date, d.sex) == testcard_ef0002


def test_repr_never_shows_personal_data(testcard_ef0002: bytes) -> None:
    details = decode_basic_four(testcard_ef0002)
    for text in (repr(details), str(details)):
        assert "黒桐" not in text and "1980" not in text and "清瀬" not in text


@pytest.mark.parametrize("long_form", [1, 2])
def test_long_form_outer_length(long_form: int) -> None:
    data = encode_basic_four(
        "山田\u3000太郎", "東京都", dt.date(2001, 1, 2), Sex.FEMALE, outer_long_form=long_form
    )
    assert data[2] == 0x80 | long_form
    assert decode_basic_four(data).name == "山田\u3000太郎"
    assert encoded_length(data[:5]) == len(data)


def test_long_address_needs_long_form_inside() -> None:
    address = "北海道" + "１２３－４５６ＡＢＣマンション" * 12
    data = encode_basic_four("髙﨑\u3000𠮷郎", address, dt.date(1950, 12, 31), Sex.MALE)
    assert data[2] == 0x82  # outer template > 255 bytes
    details = decode_basic_four(data)
    assert details.address == address and details.name == "髙﨑\u3000𠮷郎"


@pytest.mark.parametrize("filler", [b"\xff" * 40, b"\x00" * 3, b"\xff\x00\xff"])
def test_trailing_filler_is_ignored(testcard_ef0002: bytes, filler: bytes) -> None:
    assert decode_basic_four(testcard_ef0002 + filler).name == "黒桐\u3000幹也"


def test_non_bmp_and_private_use_characters_survive() -> None:
    name = "𠮷野\u3000\ue000子"  # U+20BB7 and a private-use 外字
    details = decode_basic_four(encode_basic_four(name, "大阪府", dt.date(1970, 1, 1), Sex.NOT_KNOWN))
    assert details.name == name
    assert details.sex is Sex.NOT_KNOWN


def _replace(data: bytes, old: bytes, new: bytes) -> bytes:
    assert old in data
    return data.replace(old, new, 1)


@pytest.mark.parametrize(
    ("mutate", "reason"),
    [
        (lambda d: b"\xff\x21" + d[2:], "FF20"),
        (lambda d: d[:6] + b"\x00\x0f" + d[8:], "offset table"),
        (lambda d: b"\xff\x20\x5a" + d[14:], "DF21..DF25"),
        (
            lambda d: _replace(
                d,
                b"\xdf\x24\x08\x31\x39\x38\x30\x30\x32\x31\x37",
                b"\xdf\x24\x08\x31\x39\x38\x30\x31\x33\x33\x32",
            ),
            "calendar date",
        ),
        (lambda d: _replace(d, b"\xdf\x24\x08\x31\x39", b"\xdf\x24\x08\x31\x41"), "8 ASCII digits"),
        (lambda d: d[:-1] + b"\x33", "性別"),
        (lambda d: _replace(d, "幹".encode(), b"\x01\x02\x03"), "control character"),
        (lambda d: _replace(d, "幹".encode(), b"\xe5\xb9\xff"), "UTF-8"),
        (lambda d: d + b"\xff\x01", "after the FF20 template"),
        (lambda d: d[:50], "declares"),
        (lambda d: b"\xff\x20\x80" + d[3:], "indefinite"),
        (lambda d: b"\xff\x20\x83\x00\x00\x65" + d[3:], "3 bytes"),
        (lambda d: b"", "empty"),
    ],
)
def test_broken_data_is_rejected_with_a_reason(testcard_ef0002: bytes, mutate: object, reason: str) -> None:
    data = mutate(testcard_ef0002)  # type: ignore[operator]
    with pytest.raises(MalformedCardDataError) as excinfo:
        decode_basic_four(data)
    assert reason in str(excinfo.value)


def test_swapped_objects_with_consistent_offsets_are_rejected() -> None:
    good = encode_basic_four("A", "B", dt.date(2000, 1, 1), Sex.MALE)
    name = read_tlv(good, 14)
    address = read_tlv(good, name.end)
    swapped = (
        good[:14] + good[address.offset : address.end] + good[name.offset : name.end] + good[address.end :]
    )
    with pytest.raises(MalformedCardDataError, match=r"DF21\.\.DF25"):
        decode_basic_four(swapped)


# --- property tests -------------------------------------------------------------------------------
_TEXT_CHARS = st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Cn", "Zl", "Zp"))
_names = st.text(_TEXT_CHARS, min_size=1, max_size=100)
_addresses = st.text(_TEXT_CHARS, min_size=1, max_size=400)
_dates = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))


@settings(max_examples=300, deadline=None)
@given(_names, _addresses, _dates, st.sampled_from(list(Sex)), st.sampled_from([0, 1, 2]), st.integers(0, 64))
def test_any_four_details_round_trip(
    name: str, address: str, birth: dt.date, sex: Sex, long_form: int, filler: int
) -> None:
    data = encode_basic_four(name, address, birth, sex, outer_long_form=long_form, filler=filler)
    assert decode_basic_four(data) == BasicFour(name, address, birth, sex)


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=600))
def test_random_bytes_raise_only_the_parser_error(data: bytes) -> None:
    with contextlib.suppress(MalformedCardDataError):
        decode_basic_four(data)


@settings(max_examples=300, deadline=None)
@given(_names, _addresses, _dates, st.data())
def test_truncated_data_raises_only_the_parser_error(
    name: str, address: str, birth: dt.date, data: st.DataObject
) -> None:
    encoded = encode_basic_four(name, address, birth, Sex.FEMALE)
    cut = data.draw(st.integers(0, len(encoded) - 1))
    with pytest.raises(MalformedCardDataError):
        decode_basic_four(encoded[:cut])


@settings(max_examples=300, deadline=None)
@given(_names, _dates, st.data())
def test_flipped_bytes_never_raise_anything_else(name: str, birth: dt.date, data: st.DataObject) -> None:
    encoded = bytearray(encode_basic_four(name, "東京都千代田区", birth, Sex.MALE))
    index = data.draw(st.integers(0, len(encoded) - 1))
    encoded[index] = data.draw(st.integers(0, 255))
    with contextlib.suppress(MalformedCardDataError):
        decode_basic_four(bytes(encoded))
