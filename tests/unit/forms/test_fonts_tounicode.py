"""Fonts: discovery, per-character fallback to IPAmj明朝, and a ToUnicode map correct above U+FFFF."""

from __future__ import annotations

import re
import subprocess
import sys
import zlib
from io import BytesIO
from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from counter_app.presenters.messages import clerk_message
from forms.errors import FontMissingError, GlyphMissingError
from forms.fonts import FONT_DIR_ENV, FONT_SPECS, Face, FontSet, find_font, load_fonts
from forms.tounicode import UnicodeSafeTTFont, to_unicode_cmap, utf16be_hex


def test_utf16_code_units() -> None:
    assert utf16be_hex(0x4E00) == "4E00"
    assert utf16be_hex(0x20BB7) == "D842DFB7"
    assert utf16be_hex(0x9AD9) == "9AD9"


def test_cmap_entries_are_utf16_and_in_blocks_of_at_most_100() -> None:
    subset = [0, 32, 0x20BB7, *range(0x4E00, 0x4E00 + 250)]
    cmap = to_unicode_cmap("AAAAAA+Test", subset)
    assert "<02> <D842DFB7>" in cmap
    counts = [int(n) for n in re.findall(r"^(\d+) beginbfchar$", cmap, re.MULTILINE)]
    assert sum(counts) == len(subset)
    assert max(counts) <= 100


def _draw(font_name: str, text: str) -> bytes:
    buffer = BytesIO()
    canvas = Canvas(buffer, initialFontName=font_name, invariant=True)
    canvas.setFont(font_name, 20)
    canvas.drawString(72, 700, text)
    canvas.save()
    return buffer.getvalue()


def _pdftotext(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "t.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout.strip()


STOCK = """
import sys
from io import BytesIO
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
pdfmetrics.registerFont(TTFont("StockIPAmj", sys.argv[1]))
buffer = BytesIO()
canvas = Canvas(buffer, initialFontName="StockIPAmj", invariant=True)
canvas.setFont("StockIPAmj", 20)
canvas.drawString(72, 700, "\U00020bb7\u7530")
canvas.save()
sys.stdout.buffer.write(buffer.getvalue())
"""


def test_stock_reportlab_garbles_non_bmp_text_and_ours_does_not(fonts: FontSet, tmp_path: Path) -> None:
    # The stock font runs in a fresh interpreter: in this one its face is already registered by forms.
    stock = subprocess.run(
        [sys.executable, "-c", STOCK, str(fonts.paths[Face.MJ])], capture_output=True, check=True
    ).stdout
    assert _pdftotext(stock, tmp_path) != "𠮷田"  # the bug forms.tounicode fixes
    assert _pdftotext(_draw(fonts.reportlab_name(Face.MJ), "𠮷田"), tmp_path) == "𠮷田"


def test_a_face_registered_elsewhere_first_does_not_replace_ours(tmp_path: Path) -> None:
    pdfmetrics.registerFont(TTFont("OtherCodeIPAexG", str(find_font(FONT_SPECS[1]))))
    fresh = FontSet({spec.face: find_font(spec) for spec in FONT_SPECS})
    fresh._names = {face: f"{name}-fresh" for face, name in fresh._names.items()}  # a new registration
    name = fresh.reportlab_name(Face.GOTHIC)
    assert isinstance(pdfmetrics.getFont(name), UnicodeSafeTTFont)


def _streams(pdf: bytes) -> list[bytes]:
    out = []
    for match in re.finditer(rb"stream\r?\n", pdf):
        try:
            out.append(zlib.decompressobj().decompress(pdf[match.end() : match.end() + 500_000]))
        except zlib.error:
            continue
    return out


def test_the_embedded_cmap_holds_the_surrogate_pair(fonts: FontSet) -> None:
    pdf = _draw(fonts.reportlab_name(Face.MJ), "𠮷")
    cmaps = [s for s in _streams(pdf) if b"beginbfchar" in s]
    assert cmaps and any(b"<D842DFB7>" in s for s in cmaps)
    assert not any(b"<20BB7>" in s for s in cmaps)


def test_fallback_is_per_character(fonts: FontSet) -> None:
    mincho = fonts.reportlab_name(Face.MINCHO)
    mj = fonts.reportlab_name(Face.MJ)
    assert fonts.runs("髙﨑𠮷太郎", Face.MINCHO) == [(mincho, "髙﨑"), (mj, "𠮷"), (mincho, "太郎")]
    assert fonts.face_for(0x20BB7, Face.GOTHIC) is Face.MJ
    assert fonts.face_for(ord("髙"), Face.GOTHIC) is Face.GOTHIC


@pytest.mark.parametrize("code_point", [0xE000, 0x10FFFD, 0x0378])
def test_a_character_no_font_has_is_an_error_not_tofu(fonts: FontSet, code_point: int) -> None:
    with pytest.raises(GlyphMissingError) as info:
        fonts.runs(f"髙{chr(code_point)}", Face.MINCHO)
    assert info.value.code_point == code_point


def test_widths_use_the_fallback_face(fonts: FontSet) -> None:
    assert fonts.width("𠮷", Face.MINCHO, 10) == pytest.approx(10.0, rel=0.05)
    assert fonts.width("髙﨑", Face.MINCHO, 10) == pytest.approx(20.0, rel=0.05)


def test_a_missing_font_is_a_clear_error_at_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(FONT_DIR_ENV, raising=False)
    with pytest.raises(FontMissingError) as info:
        load_fonts([tmp_path], system=False)
    error = info.value
    assert error.file_name == "ipaexm.ttf"
    assert tmp_path in error.searched
    message = clerk_message(error)
    assert "IPAex明朝" in message.text and "fonts-ipaexfont-mincho" in message.text


def test_fonts_are_found_in_the_configured_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for spec in FONT_SPECS:
        (tmp_path / spec.file_name).symlink_to(find_font(spec))
    monkeypatch.setenv(FONT_DIR_ENV, str(tmp_path))
    loaded = load_fonts(system=False)
    assert all(path.parent == tmp_path for path in loaded.paths.values())
    (tmp_path / "ipamjm.ttf").unlink()
    with pytest.raises(FontMissingError) as info:
        load_fonts(system=False)
    assert info.value.package == "fonts-ipamj-mincho"
