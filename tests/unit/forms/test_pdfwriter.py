"""forms/pdfwriter.py: the file is well formed and every code of every subset comes back as its text.

Codes 10, 13, 40, 41 and 92 are line feed, carriage return, parentheses and backslash inside a PDF
string: a subset of 256 codes uses them all. An unescaped parenthesis or backslash ends or garbles the
string (this test fails then); poppler and PDFium happen to read a raw carriage return, which is
escaped anyway, as the PDF reference asks.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from forms import Face, FontSet, GlyphMissingError
from forms.pdfwriter import PdfCanvas


def _text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "w.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _kanji(fonts: FontSet, count: int) -> str:
    """``count`` kanji that IPAex明朝 itself has (no fallback to IPAmj明朝)."""
    found: list[str] = []
    cp = 0x4E00
    while len(found) < count:
        try:
            if fonts.face_for(cp, Face.MINCHO) is Face.MINCHO:
                found.append(chr(cp))
        except GlyphMissingError:
            pass
        cp += 1
    return "".join(found)


def test_every_code_of_three_subsets_extracts_as_its_character(fonts: FontSet, tmp_path: Path) -> None:
    canvas = PdfCanvas((595.0, 842.0))
    name = fonts.reportlab_name(Face.MINCHO)
    text = _kanji(fonts, 600)  # three subsets of 255 characters (code 0 is .notdef)
    lines = [text[i : i + 30] for i in range(0, len(text), 30)]
    for n, line in enumerate(lines):
        canvas.show_text(20.0, 800.0 - n * 14, [(name, line)], 12.0)
    pdf = canvas.save()
    assert set(re.findall(rb"/F1\+(\d) ", pdf)) == {b"0", b"1", b"2"}
    assert _text(pdf, tmp_path).split() == lines


def test_the_cross_reference_table_points_at_every_object(fonts: FontSet) -> None:
    canvas = PdfCanvas((595.0, 842.0))
    canvas.setTitle("住民異動届")
    canvas.show_text(20.0, 800.0, [(fonts.reportlab_name(Face.GOTHIC), "髙﨑　花子")], 12.0, "髙﨑　花子")
    canvas.showPage()
    canvas.rect(10, 10, 100, 50, stroke=1, fill=0)
    pdf = canvas.save()
    start = int(pdf.rsplit(b"startxref\n", 1)[1].split()[0])
    assert pdf[start:].startswith(b"xref\n")
    header, *entries = pdf[start:].split(b"trailer")[0].splitlines()[1:]
    first, count = map(int, header.split())
    assert first == 0 and count == len(entries)
    for number, entry in enumerate(entries[1:], start=1):
        offset = int(entry.split()[0])
        assert pdf[offset:].startswith(b"%d 0 obj\n" % number)
    assert b"/Count 2" in pdf
