"""Helpers for the glyph tests: a printed character as an image, the font's own glyph, their distance.

The printed side is what poppler rasterizes from the PDF (``pdftoppm``); the reference side is the
font file drawn directly by Pillow's FreeType with HarfBuzz (raqm) layout, which applies the font's
cmap format 14 to a variation sequence by itself. Both are cropped to their ink, blurred a little and
compared as grey images (sum of absolute differences over the ink of the printed side, best over a
few pixels of shift). A tofu box, the base glyph or a neighbouring variant are all far away.
"""

from __future__ import annotations

import struct
import subprocess
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont, ImageStat
from reportlab.pdfbase.ttfonts import TTFontFace, TTFontMaker

from forms import FontSet
from forms.fonts import Face
from forms.pages import Rect

DPI = 1200
SHIFT = 3


def _ink(image: Image.Image) -> Image.Image:
    inverted = ImageChops.invert(image.convert("L"))
    box = inverted.point(lambda v: 255 if v > 128 else 0).getbbox()
    assert box is not None, "no ink at all where the character should be"
    return inverted.crop(box)


def printed_glyph(pdf: Path, page: int, rect: Rect, inset_mm: float = 0.6) -> Image.Image:
    """The ink inside ``rect`` (mm, top-left origin) of ``page``, rasterized by poppler at DPI."""
    px = DPI / 25.4
    x, y = int((rect.x + inset_mm) * px), int((rect.y + inset_mm) * px)
    w, h = int((rect.w - 2 * inset_mm) * px), int((rect.h - 2 * inset_mm) * px)
    out = pdf.with_suffix("")
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            str(DPI),
            "-gray",
            "-png",
            "-singlefile",
            "-f",
            str(page),
            "-l",
            str(page),
            "-x",
            str(x),
            "-y",
            str(y),
            "-W",
            str(w),
            "-H",
            str(h),
            str(pdf),
            str(out),
        ],
        check=True,
    )
    with Image.open(out.with_suffix(".png")) as image:
        return _ink(image)


def font_glyph(font_file: Path, text: str, size_pt: float, *, raqm: bool = True) -> Image.Image:
    """``text`` drawn by FreeType straight from the font file, at ``size_pt`` and DPI."""
    layout = ImageFont.Layout.RAQM if raqm else ImageFont.Layout.BASIC
    font = ImageFont.truetype(str(font_file), size_pt * DPI / 72, layout_engine=layout)
    side = int(size_pt * DPI / 72 * 3)
    image = Image.new("L", (side, side), 255)
    ImageDraw.Draw(image).text((side // 3, side // 3), text, font=font, fill=0)
    return _ink(image)


def tofu(size_pt: float) -> Image.Image:
    """What a missing glyph looks like: an empty box of about the em size."""
    side = int(size_pt * DPI / 72 * 0.9)
    image = Image.new("L", (side + 20, side + 20), 255)
    ImageDraw.Draw(image).rectangle((10, 10, 10 + side, 10 + side), outline=0, width=max(2, side // 40))
    return _ink(image)


def distance(printed: Image.Image, reference: Image.Image) -> float:
    """0 for the same picture; about 0.5 and more for another character or a box."""
    width = max(printed.width, reference.width) + 2 * SHIFT
    height = max(printed.height, reference.height) + 2 * SHIFT
    a = Image.new("L", (width, height), 0)
    a.paste(printed, (SHIFT, SHIFT))
    a = a.filter(ImageFilter.GaussianBlur(1.5))
    norm = ImageStat.Stat(a).sum[0]
    best = float("inf")
    for dx in range(2 * SHIFT + 1):
        for dy in range(2 * SHIFT + 1):
            b = Image.new("L", (width, height), 0)
            b.paste(reference, (dx, dy))
            b = b.filter(ImageFilter.GaussianBlur(1.5))
            best = min(best, ImageStat.Stat(ImageChops.difference(a, b)).sum[0])
    return best / norm


def one_glyph_font(source: Path, code_point: int, new_code_point: int, out: Path) -> Path:
    """A TrueType font holding one glyph of ``source`` at ``new_code_point`` (a test 外字 font).

    reportlab's subsetter keeps the glyph and its metrics; the subset's cmap is replaced by a Windows
    Unicode (3, 1) format 4 table, and the name and OS/2 tables are copied from ``source``.
    """
    face = TTFontFace(str(source))
    subset = face.makeSubset([code_point])
    count = struct.unpack_from(">H", subset, 4)[0]
    tables = {}
    for i in range(count):
        tag, _check, offset, length = struct.unpack_from(">4sLLL", subset, 12 + 16 * i)
        tables[tag.decode("latin-1")] = subset[offset : offset + length]
    segments = [(new_code_point, new_code_point, (1 - new_code_point) & 0xFFFF), (0xFFFF, 0xFFFF, 1)]
    seg_x2 = 2 * len(segments)
    body = struct.pack(">HHHHHHH", 4, 16 + 8 * len(segments), 0, seg_x2, 4, 1, 0)
    body += b"".join(struct.pack(">H", end) for _s, end, _d in segments) + b"\0\0"
    body += b"".join(struct.pack(">H", start) for start, _e, _d in segments)
    body += b"".join(struct.pack(">H", delta) for _s, _e, delta in segments)
    body += b"\0\0" * len(segments)
    tables["cmap"] = struct.pack(">HHHHL", 0, 1, 3, 1, 12) + body
    tables["name"] = face.get_table("name")
    tables["OS/2"] = face.get_table("OS/2")
    maker = TTFontMaker()
    for tag, data in sorted(tables.items()):
        maker.add(tag, data)
    out.write_bytes(maker.makeStream())
    return out


def gaiji_folder(fonts: FontSet, tmp_path: Path) -> Path:
    """A municipality's 外字 folder for tests: one glyph (that of 𠮷) registered at U+E001."""
    folder = tmp_path / "gaiji"
    folder.mkdir()
    # A stand-in for a municipality's 外字 font: one glyph (that of 𠮷) at U+E001.
    one_glyph_font(fonts.paths[Face.MJ], 0x20BB7, 0xE001, folder / "gaiji.ttf")
    (folder / "gaiji.yaml").write_text(
        "font: gaiji.ttf\ncharacters:\n  - code: U+E001\n    name: 本市登録外字 0001\n", encoding="utf-8"
    )
    return folder
