"""Fuzzing the parsers that read outside data (issue 16, item 5): the card's TLV and basic-four reader,
the pre-fill QR payload (framing, Base45, inflating, the JSON document) and the catalog loader.

A fixed example budget per parser (CI runs them derandomized, see tests/conftest.py), about 30 s in
all on the CI machine. The only errors allowed are the documented typed ones: ``CardError`` for card
data, ``PrefillError`` for QR codes, ``CatalogError`` (or issues in the report) for catalogs; anything
else — ``RecursionError``, ``ValueError``, ``KeyError``, ``MemoryError`` — is a crash.
``FUZZ_QR=4000 FUZZ_CATALOG=250`` run longer (a relationship given as a list, which crashed the QR
reader with ``TypeError``, was found this way and fixed).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from card_reader.basic_four import decode_basic_four, encode_basic_four
from card_reader.errors import CardError
from card_reader.tlv import iter_tlvs, read_tlv
from card_reader.wedge import MAX_LENGTH, WedgeDetector
from procedures.catalog import read_catalog
from procedures.errors import ProceduresError
from procedures.prefill import base45, decode_scans
from procedures.prefill.document import compress_document, document_json
from procedures.prefill.errors import PrefillError
from procedures.prefill.parts import frame_parts
from tests.conftest import FIXTURES
from tests.unit.prefill.samples import six_member_visit

CARD = bytes.fromhex((FIXTURES / "mynumber_ef0002_testcard.hex").read_text().strip())
FAST = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(
    max_examples=int(os.environ.get("FUZZ_CATALOG", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@st.composite
def mutated(draw: st.DrawFn, original: bytes) -> bytes:
    """``original`` with a few bytes changed, inserted, deleted, or cut short."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["flip", "insert", "delete", "cut", "length"]))
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        if kind == "flip":
            data[at] = draw(st.integers(0, 255))
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 8))]
        elif kind == "cut":
            del data[at:]
        else:  # a length byte made huge (long form)
            data[at : at + 1] = bytes([0x84, 0xFF, 0xFF, 0xFF, 0xFF])
    return bytes(data)


# ---------------------------------------------------------------- card TLV and basic four


@FAST
@given(st.one_of(st.binary(max_size=600), mutated(CARD)))
def test_card_data_gives_card_errors_only(data: bytes) -> None:
    with contextlib.suppress(CardError):
        decode_basic_four(data)
    with contextlib.suppress(CardError):
        tlv = read_tlv(data)
        list(iter_tlvs(tlv.value, 0, len(tlv.value)))


def test_the_fuzzed_card_still_decodes_unchanged() -> None:
    four = decode_basic_four(CARD)
    assert decode_basic_four(encode_basic_four(four.name, four.address, four.birth_date, four.sex)) == four


# ---------------------------------------------------------------- pre-fill QR payload

VALID = frame_parts(
    compress_document(document_json(six_member_visit(), "midorigawa", "2025.04")), max_chunk=120
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20) | st.floats(allow_nan=False),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=30,
)
documents = st.one_of(
    json_values,
    st.fixed_dictionaries({"visit": json_values}),
    st.fixed_dictionaries(
        {
            "catalog": st.text(max_size=10),
            "visit": st.fixed_dictionaries(
                {
                    "event": json_values,
                    "event_date": st.text(max_size=12) | st.dates().map(str),
                    "members": st.lists(
                        st.dictionaries(
                            st.sampled_from(["name", "birth_date", "sex", "relationship", "answers", "x"]),
                            json_values | st.dates().map(str),
                        ),
                        max_size=4,
                    ),
                    "answers": json_values,
                }
            ),
        }
    ),
)


def _framed(document: object) -> list[str]:
    raw = json.dumps(document, ensure_ascii=False).encode("utf-8")
    return frame_parts(zlib.compress(raw), version="1")


@st.composite
def scans(draw: st.DrawFn) -> list[str | bytes]:
    kind = draw(st.sampled_from(["document", "mutated_part", "text", "bytes", "raw_content"]))
    if kind == "document":
        return list(_framed(draw(documents)))
    if kind == "mutated_part":
        texts: list[str | bytes] = list(VALID)
        at = draw(st.integers(0, len(texts) - 1))
        texts[at] = draw(mutated(VALID[at].encode("ascii"))).decode("latin-1")
        return texts
    if kind == "text":
        return [draw(st.text(max_size=300)) for _ in range(draw(st.integers(1, 3)))]
    if kind == "bytes":
        return [draw(st.binary(max_size=300))]
    content = draw(st.binary(min_size=1, max_size=400))
    body = zlib.crc32(content).to_bytes(4, "big") + b"\x01\x01" + content
    return ["MDP2:" + base45.encode(body + zlib.crc32(body).to_bytes(4, "big"))]


@settings(
    max_examples=int(os.environ.get("FUZZ_QR", "250")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(scans())
def test_qr_payloads_give_prefill_errors_only(texts: list[str | bytes]) -> None:
    with contextlib.suppress(PrefillError):
        decode_scans(texts, None)


# ---------------------------------------------------------------- wedge scanner


@FAST
@given(st.lists(st.tuples(st.text(max_size=2), st.floats(0, 0.2)), max_size=200))
def test_wedge_input_never_fails(keys: list[tuple[str, float]]) -> None:
    detector = WedgeDetector(("MDP",))
    now = 0.0
    for text, gap in keys:
        now += gap
        for char in text or "\r":
            found = detector.feed(char, now)
            assert found is None or found.startswith("MDP")


def test_a_key_held_down_does_not_grow_the_wedge_buffer() -> None:
    detector = WedgeDetector(("MDP",))
    for index, char in enumerate("MDP" + "A" * (MAX_LENGTH * 3)):
        detector.feed(char, index * 0.03)
    assert detector.feed("\r", 1e6) is None  # over 8,000 characters: dropped, not a scan
    assert len(detector._buffer) == 0


# ---------------------------------------------------------------- catalog loader

TOWN = Path(__file__).resolve().parents[2] / "procedures" / "catalogs" / "sazanami"
CATALOG_FILES = ("catalog.yaml", "questions.yaml")


@pytest.fixture(scope="module")
def town_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("fuzz-catalog") / "sazanami"
    shutil.copytree(TOWN, target)
    return target


@st.composite
def yaml_mutation(draw: st.DrawFn) -> tuple[str, str]:
    name = draw(st.sampled_from(CATALOG_FILES))
    lines = (TOWN / name).read_text(encoding="utf-8").splitlines()
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(lines) - 1))
        kind = draw(st.sampled_from(["delete", "duplicate", "indent", "value", "anchor", "insert"]))
        if kind == "delete":
            del lines[at]
        elif kind == "duplicate":
            lines.insert(at, lines[at])
        elif kind == "indent":
            lines[at] = " " * draw(st.integers(0, 7)) + lines[at].lstrip()
        elif kind == "value" and ":" in lines[at]:
            key = lines[at].split(":", 1)[0]
            value = draw(
                st.sampled_from(["", "[]", "{}", "~", "-1", "1e999", "&a [*a]", "!!binary AA==", "'\x1b[2J'"])
                | st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=20)
            )
            lines[at] = f"{key}: {value}"
        elif kind == "anchor":
            lines[at] = lines[at] + " &x" if draw(st.booleans()) else lines[at].replace(":", ": *x", 1)
        else:
            lines.insert(at, draw(st.text(max_size=40)))
    return name, "\n".join(lines) + "\n"


@SLOW
@given(yaml_mutation())
def test_catalog_mutations_give_issues_not_crashes(town_copy: Path, mutation: tuple[str, str]) -> None:
    name, text = mutation
    (town_copy / name).write_bytes(text.encode("utf-8", "surrogatepass"))
    try:
        catalog, issues = read_catalog(town_copy)
        assert catalog is not None or issues
    except ProceduresError:
        pass
    finally:
        for restored in CATALOG_FILES:
            shutil.copyfile(TOWN / restored, town_copy / restored)
