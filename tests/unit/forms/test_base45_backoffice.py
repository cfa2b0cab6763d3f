"""Base45 (RFC 9285 test vectors) and the back-office payload format."""

from __future__ import annotations

import zlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from forms.backoffice import PREFIX, decode_payload, encode_payload
from forms.base45 import ALPHABET, Base45Error, b45decode, b45encode
from forms.errors import QrPayloadError

RFC_VECTORS = [
    (b"AB", "BB8"),
    (b"Hello!!", "%69 VD92EX0"),
    (b"base-45", "UJCLQE7W581"),
    (b"ietf!", "QED8WEX0"),
]


@pytest.mark.parametrize(("raw", "text"), RFC_VECTORS)
def test_rfc_9285_vectors(raw: bytes, text: str) -> None:
    assert b45encode(raw) == text
    assert b45decode(text) == raw


@given(st.binary(max_size=300))
def test_base45_round_trip(data: bytes) -> None:
    text = b45encode(data)
    assert set(text) <= set(ALPHABET)
    assert b45decode(text) == data


@pytest.mark.parametrize("bad", ["A", "GGW", "ZZZZ", "abc", "A~B"])
def test_base45_rejects_invalid_text(bad: str) -> None:
    with pytest.raises(Base45Error):
        b45decode(bad)


names = st.text(alphabet=st.sampled_from("髙﨑𠮷邉田中　アイウ12-ー"), max_size=20)
values = st.dictionaries(
    st.sampled_from(["applicant_name", "address", "copies", "include_mynumber"]),
    st.one_of(names, st.integers(0, 99), st.booleans()),
)


@given(values, st.integers(1, 5))
def test_payload_round_trip_stays_in_the_qr_alphanumeric_alphabet(
    vals: dict[str, object], pages: int
) -> None:
    payload = encode_payload("jumin_idou", vals, pages, pages)
    assert payload.startswith(PREFIX)
    assert set(payload) <= set(ALPHABET)
    record = decode_payload(payload.encode("ascii"))
    assert (record.form_id, record.page, record.pages, record.values) == ("jumin_idou", pages, pages, vals)


def test_record_repr_hides_values() -> None:
    record = decode_payload(encode_payload("sousaihi", {"applicant_name": "髙﨑　𠮷太郎"}))
    assert "髙﨑" not in repr(record)


@pytest.mark.parametrize(
    "payload",
    [
        "HELLO",  # not ours
        PREFIX + "A",  # broken Base45
        PREFIX + b45encode(b"not zlib"),
        PREFIX + b45encode(zlib.compress(b"[1, 2]")),  # JSON, but not an object
        PREFIX + b45encode(zlib.compress(b'{"form": "x", "page": 3, "pages": 2, "values": {}}')),
        PREFIX + b45encode(zlib.compress(b'{"form": "x"}')),
    ],
)
def test_damaged_or_foreign_payloads_are_refused(payload: str) -> None:
    with pytest.raises(QrPayloadError):
        decode_payload(payload)


def test_a_flipped_character_is_detected() -> None:
    payload = encode_payload("jumin_idou", {"applicant_name": "髙﨑　𠮷太郎", "address": "東京都" * 10})
    index = len(payload) - 6
    flipped = payload[:index] + ("0" if payload[index] != "0" else "1") + payload[index + 1 :]
    with pytest.raises(QrPayloadError):
        decode_payload(flipped)
