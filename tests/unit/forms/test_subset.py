"""forms.subset builds the same TrueType subsets as reportlab's makeSubset, byte for byte."""

from __future__ import annotations

import random
import struct
from pathlib import Path
from typing import Any

import pytest
from reportlab.pdfbase.ttfonts import TTFontFace

from forms import Face, FontSet
from forms.subset import subset_program

NOTO = Path("/usr/share/fonts/truetype/noto")


def _composites(face: Any, cps: list[int]) -> list[int]:
    start = face.get_table_pos("glyf")[0]
    found = []
    for cp in cps:
        glyph = face.charToGlyph[cp]
        at = face.glyphPos[glyph]
        if face.glyphPos[glyph + 1] > at and struct.unpack_from(">h", face._ttf_data, start + at)[0] < 0:
            found.append(cp)
    return found


def _compare(face: Any, seed: int) -> int:
    rng = random.Random(seed)
    cps = [cp for cp, glyph in face.charToGlyph.items() if glyph]
    composites = _composites(face, cps[:20000])
    for trial in range(25):
        subset = [0, *rng.sample(cps, rng.randrange(1, 255))]
        if composites and trial % 2:
            subset = [0, *rng.sample(composites, min(len(composites), 120)), *rng.sample(cps, 20)]
        if trial == 3:
            subset.append(0x10FFFD)  # a code point the font lacks: glyph 0
        assert subset_program(face, subset) == face.makeSubset(subset)
    return len(composites)


@pytest.mark.parametrize("face", list(Face))
def test_the_ipa_fonts(fonts: FontSet, face: Face) -> None:
    _compare(fonts._get(face).font.face, 7)


@pytest.mark.skipif(not (NOTO / "NotoSans-Regular.ttf").is_file(), reason="fonts-noto-core not installed")
def test_a_font_with_composite_glyphs() -> None:
    face = TTFontFace(str(NOTO / "NotoSans-Regular.ttf"))
    assert _compare(face, 11) > 100  # accented Latin letters are composites there
