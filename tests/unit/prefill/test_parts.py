"""The pre-fill part format: Base45, framing, any order, missing and foreign parts, wedge scanners."""

from __future__ import annotations

import random
import zlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from card_reader.wedge import WedgeDetector
from procedures import load_catalog
from procedures.prefill import (
    PREFIX,
    WEDGE_PREFIXES,
    ForeignCodeError,
    ForeignKind,
    MissingPartsError,
    MixedSetsError,
    PartChecksumError,
    PartCollector,
    PartFormatError,
    SetChecksumError,
    UnknownVersionError,
    base45,
    decode_scans,
    encode_visit,
    parse_part,
)
from procedures.prefill.parts import MAX_CHUNK, MAX_PART_BYTES, frame_parts, normalize_scan, split_content
from tests.unit.prefill.samples import six_member_visit, visits

RFC_9285 = [(b"AB", "BB8"), (b"Hello!!", "%69 VD92EX0"), (b"base-45", "UJCLQE7W581"), (b"ietf!", "QED8WEX0")]


@pytest.mark.parametrize(("raw", "text"), RFC_9285)
def test_base45_rfc_vectors(raw: bytes, text: str) -> None:
    assert base45.encode(raw) == text
    assert base45.decode(text) == raw


@given(st.binary(max_size=400))
def test_base45_round_trip_stays_in_the_alphanumeric_alphabet(data: bytes) -> None:
    text = base45.encode(data)
    assert set(text) <= set(base45.ALPHABET)
    assert base45.decode(text) == data


@pytest.mark.parametrize(("text", "position"), [("GGW", 0), ("A", None), ("ab", 0), ("AB(", 2)])
def test_base45_rejects_what_it_cannot_be(text: str, position: int | None) -> None:
    with pytest.raises(base45.Base45Error) as caught:
        base45.decode(text)
    if text != "GGW":
        assert caught.value.position == position


@given(st.binary(min_size=1, max_size=4000), st.randoms(use_true_random=False))
def test_parts_assemble_in_any_order_with_duplicates(content: bytes, rng: random.Random) -> None:
    texts = frame_parts(content)
    assert all(t.startswith(PREFIX) for t in texts)
    assert all(len(t) <= len(PREFIX) + (MAX_PART_BYTES * 3 + 1) // 2 for t in texts)
    sizes = [len(c) for c in split_content(content)]
    assert max(sizes) - min(sizes) <= 1 and max(sizes) <= MAX_CHUNK  # nearly equal codes
    scans = texts + rng.sample(texts, k=min(2, len(texts)))
    rng.shuffle(scans)
    collector = PartCollector()
    for scan in scans:
        progress = collector.add(scan.encode("ascii") if rng.random() < 0.5 else scan)
    assert progress.complete
    assert collector.content() == content


def test_progress_names_the_missing_parts() -> None:
    texts = frame_parts(bytes(range(256)) * 6)
    assert len(texts) == 4
    collector = PartCollector()
    first = collector.add(texts[2])
    assert (first.added, first.total, first.missing, first.complete) == (3, 4, (1, 2, 4), False)
    assert first.text_ja == "QRコード 3/4 を読み取りました。残り: 1/4、2/4、4/4"
    again = collector.add(texts[2])
    assert again.duplicate and "もう一度" in again.text_ja
    collector.add(texts[0])
    with pytest.raises(MissingPartsError) as caught:
        collector.content()
    assert (caught.value.missing, caught.value.total) == ((2, 4), 4)
    with pytest.raises(MissingPartsError) as nothing:
        PartCollector().content()
    assert nothing.value.total == 0


def test_parts_of_two_sets_are_refused_and_the_first_set_is_kept() -> None:
    ours = frame_parts(b"first household" * 60)
    theirs = frame_parts(b"second household" * 60)
    collector = PartCollector()
    collector.add(ours[0])
    with pytest.raises(MixedSetsError) as caught:
        collector.add(theirs[1])
    assert caught.value.received == (1,) and caught.value.other_part == 2
    for text in ours[1:]:
        collector.add(text)
    assert collector.content() == b"first household" * 60
    collector.reset()
    assert collector.add(theirs[0]).total == len(theirs)


def test_the_same_content_cut_differently_is_another_set() -> None:
    content = bytes(range(200)) * 3
    collector = PartCollector()
    collector.add(frame_parts(content)[0])
    with pytest.raises(MixedSetsError):
        collector.add(frame_parts(content, max_chunk=100)[1])


def _retext(text: str, body: bytes) -> str:
    return text[: len(PREFIX)] + base45.encode(body)


def test_a_tampered_part_fails_its_checksum() -> None:
    text = frame_parts(b"x" * 500)[0]
    body = bytearray(base45.decode(text[len(PREFIX) :]))
    body[10] ^= 0x01
    with pytest.raises(PartChecksumError) as caught:
        parse_part(_retext(text, bytes(body)))
    assert caught.value.part == 1 and not caught.value.keyboard_suspect


def test_a_part_rewritten_with_a_fresh_checksum_fails_the_set_checksum() -> None:
    content = zlib.compress(b'{"visit": {}}' * 50)
    texts = frame_parts(content, max_chunk=40)
    body = bytearray(base45.decode(texts[0][len(PREFIX) :]))
    body[8] ^= 0xFF
    framed = bytes(body[:-4]) + zlib.crc32(bytes(body[:-4])).to_bytes(4, "big")
    with pytest.raises(SetChecksumError):
        decode_scans([_retext(texts[0], framed), *texts[1:]], None)


@pytest.mark.parametrize(
    ("scan", "kind"),
    [
        ("https://www.city.example.lg.jp/kurashi/", ForeignKind.URL),
        (b"HTTP://EXAMPLE.JP/A", ForeignKind.URL),
        ("000201010212263100...6304ABCD", ForeignKind.PAYMENT),  # EMVCo merchant code (JPQR)
        ("hQVDUFYwMVoIVGVzdA==", ForeignKind.PAYMENT),
        ("MDG1:ABCDEF", ForeignKind.FORM),  # the back-office code printed on our forms
        ("こんにちは".encode(), ForeignKind.BINARY),
        (b"\x00\xff\xfe", ForeignKind.BINARY),
        ("WIFI:S:office;T:WPA;P:x;;", ForeignKind.TEXT),
        ("", ForeignKind.EMPTY),
    ],
)
def test_foreign_codes_are_named(scan: bytes | str, kind: ForeignKind) -> None:
    with pytest.raises(ForeignCodeError) as caught:
        parse_part(scan)
    assert caught.value.kind is kind


def test_another_version_is_named_not_guessed() -> None:
    with pytest.raises(UnknownVersionError) as caught:
        parse_part("MDP3:" + base45.encode(b"0123456789AB"))
    assert (caught.value.version, caught.value.supported) == ("3", "2")


def test_both_versions_are_read_and_never_mixed_in_one_set() -> None:
    content = b"\x01" + bytes(range(200))
    for version in ("1", "2"):
        texts = frame_parts(content, 80, version=version)
        assert all(t.startswith(f"MDP{version}:") for t in texts)
        assert [parse_part(t).version for t in texts] == [version] * len(texts)
    collector = PartCollector()
    collector.add(frame_parts(content, 80, version="1")[0])
    with pytest.raises(MixedSetsError):
        collector.add(frame_parts(content, 80, version="2")[1])  # same content, same set id: still refused


def test_malformed_parts() -> None:
    with pytest.raises(PartFormatError):
        parse_part(PREFIX + "AB")  # too short
    with pytest.raises(PartFormatError):
        parse_part(PREFIX + "A")  # a lone Base45 character
    with pytest.raises(PartFormatError) as caught:
        parse_part(PREFIX + "ABC(DEF")  # a character a mismatched keyboard layout types
    assert caught.value.keyboard_suspect


# ---------------------------------------------------------------- keyboard-wedge scanners

US_ON_JIS: dict[int, str] = str.maketrans({":": "+", "*": "(", "+": "~"})
JIS_ON_US: dict[int, str] = str.maketrans({":": "'", "*": '"', "+": ":"})


def _type(detector: WedgeDetector, text: str, start: float) -> list[str]:
    found = []
    for index, char in enumerate(text + "\r"):
        result = detector.feed(char, start + index * 0.004)
        if result is not None:
            found.append(result)
    return found


@given(visits(max_members=4), st.sampled_from(["plain", "caps", "us_on_jis", "jis_on_us"]))
def test_wedge_text_round_trips_through_the_detector(visit: object, keyboard: str) -> None:
    """What a scanner types, as the kiosk's detector captures it, reads back to the same visit — also
    with Caps Lock on and with a scanner whose keyboard layout differs from the computer's."""
    from procedures.visit import Visit

    assert isinstance(visit, Visit)
    texts = encode_visit(visit, "midorigawa", "2025.04")
    detector = WedgeDetector(WEDGE_PREFIXES)
    typed = []
    for number, text in enumerate(reversed(texts)):
        match keyboard:
            case "caps":
                sent = text.lower()
            case "us_on_jis":
                sent = text.translate(US_ON_JIS)
            case "jis_on_us":
                sent = text.translate(JIS_ON_US)
            case _:
                sent = text
        typed += _type(detector, sent, start=number * 1.0)
    assert len(typed) == len(texts)
    assert [normalize_scan(t) for t in typed] == list(reversed(texts))
    assert decode_scans(typed, None).visit == visit.model_copy(
        update={"members": tuple(m.model_copy(update={"source": "qr"}) for m in visit.members)}
    )


def test_a_scanner_dropping_a_character_is_caught_by_the_checksum() -> None:
    text = frame_parts(b"some content to scan" * 10)[0]
    damaged = text[:40] + text[41:]
    with pytest.raises((PartChecksumError, PartFormatError)):
        parse_part(damaged)


def test_six_member_household_needs_one_code_in_mdp2_and_two_in_mdp1() -> None:
    catalog = load_catalog()
    old = encode_visit(six_member_visit(), catalog.id, catalog.meta.version, version="1")
    new = encode_visit(six_member_visit(), catalog.id, catalog.meta.version)
    assert (len(old), len(new)) == (2, 1)
    assert new[0].startswith("MDP2:") and all(t.startswith("MDP1:") for t in old)
    assert decode_scans(new, catalog).visit == decode_scans(old, catalog).visit
    assert decode_scans(new, catalog).visit.members[3].name == "髙橋 𠮷子"
