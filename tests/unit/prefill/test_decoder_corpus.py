"""The combined decoder (zxing-cpp, then zbar when it finds nothing) against each decoder alone, on the
fixed-seed degraded corpus of ``tests/qr_corpus.py``. Counts only, never time (bench/qr.py times)."""

from __future__ import annotations

from functools import cache

import pytest

from card_reader.qr import ENGINES, Engine, FrameDecoder
from tests.qr_corpus import HEIGHT, WIDTH, CorpusFrame, corpus

COMBINED: tuple[Engine, ...] = ("zxing-cpp", "zbar")


@cache
def _frames() -> tuple[CorpusFrame, ...]:
    return tuple(corpus())


@cache
def _results(engines: tuple[Engine, ...]) -> tuple[tuple[bytes, ...], ...]:
    with FrameDecoder(engines) as decoder:
        return tuple(tuple(decoder.decode_grey(f.image.tobytes(), WIDTH, HEIGHT)) for f in _frames())


def _read(engines: tuple[Engine, ...]) -> list[bool]:
    """Per frame with a code: every code in it read."""
    return [
        set(found) == set(frame.payloads)
        for frame, found in zip(_frames(), _results(engines), strict=True)
        if frame.payloads
    ]


def test_the_default_order_is_zxing_cpp_then_zbar() -> None:
    assert ENGINES == COMBINED
    assert FrameDecoder().engines == COMBINED


def test_the_corpus_has_every_degradation_and_is_fixed() -> None:
    kinds = {f.kind for f in _frames()}
    assert kinds == {
        "tilt",
        "blur",
        "jpeg",
        "moire",
        "glare",
        "dim",
        "clutter",
        "inverted",
        "two codes",
        "no code",
    }
    assert all(f.image.size == (WIDTH, HEIGHT) and f.image.mode == "L" for f in _frames())
    again = corpus()
    assert [f.payloads for f in again] == [f.payloads for f in _frames()]
    assert again[0].image.tobytes() == _frames()[0].image.tobytes()


@pytest.mark.parametrize("engines", [("zbar",), ("zxing-cpp",), COMBINED], ids="+".join)
def test_no_decoder_reads_what_is_not_there(engines: tuple[Engine, ...]) -> None:
    for frame, found in zip(_frames(), _results(engines), strict=True):
        assert set(found) <= set(frame.payloads), frame.label


def test_combined_reads_at_least_as_many_frames_as_the_better_decoder_alone() -> None:
    zbar, zxing, combined = sum(_read(("zbar",))), sum(_read(("zxing-cpp",))), sum(_read(COMBINED))
    assert combined >= max(zbar, zxing), (zbar, zxing, combined)
    # Frame by frame: whatever either decoder reads alone, the combination reads.
    either = [a or b for a, b in zip(_read(("zbar",)), _read(("zxing-cpp",)), strict=True)]
    assert [c or not e for c, e in zip(_read(COMBINED), either, strict=True)] == [True] * len(either)


def test_tilted_phones_and_inverted_codes_are_read() -> None:
    """The two failures of zbar alone at a counter: phones held at 15–30°, dark-mode screens."""
    for frame, found in zip(_frames(), _results(COMBINED), strict=True):
        if frame.kind in ("tilt", "inverted", "two codes"):
            assert set(found) == set(frame.payloads), frame.label
