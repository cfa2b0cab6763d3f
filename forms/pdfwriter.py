"""A small PDF writer for the forms and guide sheets: only what they draw, written directly.

reportlab's canvas and document model spent most of a form's time (about 20 ms a page) formatting
objects through generic classes. The pages need little: filled and stroked rectangles, lines, grey
levels, text in embedded TrueType subsets, inline images and marked-content spans. :class:`PdfCanvas`
offers the part of reportlab's ``Canvas`` interface that :mod:`forms` uses (``rect``, ``line``,
``setFillGray``, ``setLineWidth``, ``beginText``/``drawText``, ``addLiteral``, ``showPage``) and
writes the file itself; the fonts are still reportlab ``TTFont`` objects (registered by
:mod:`forms.fonts` and :mod:`forms.scripts`), and their subsets are built by reportlab's own
``makeSubset`` algorithm (:mod:`forms.subset`, byte for byte), so the embedded programs are those
reportlab embedded.

The file has the structure the readers and the tests rely on: one object per ``N 0 obj`` (no object
streams), simple TrueType fonts of at most 256 codes named ``/F<n>+<subset>`` in the resources,
``BaseFont`` ``<TAG>+<font name>`` unique in the document, a ToUnicode CMap per subset written by
:func:`forms.tounicode.to_unicode_cmap` (UTF-16, so 𠮷 and variation sequences extract correctly),
text shown with ``(…) Tj``.

:class:`Fragment` is a pre-serialised form XObject with its own font subsets: content drawn once
(the static part of a form page: ruled boxes, labels) and placed on any number of pages and documents
with :meth:`PdfCanvas.draw_fragment`. A fragment is only ever built from layout content, never from a
resident's values (see :mod:`forms.static_layer`).
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import repeat
from typing import Any

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import FF_NONSYMBOLIC, FF_SYMBOLIC, SUBSETN

from forms.subset import subset_program
from forms.tounicode import to_unicode_cmap

SUBSET_SIZE = 256  # codes per simple-font subset (code 0 is .notdef)
CONTENT_LEVEL = 6  # zlib level of page content and ToUnicode CMaps (small, compressible)
# Font programs: glyph outlines are nearly incompressible (level 1 saves about 27 % and costs 1–2 ms a
# subset on this machine, the largest single cost of a page). The subsets of a document are stored
# (FlateDecode level 0: framing only); a fragment's, built once, are compressed at the best level.
DOCUMENT_FONT_LEVEL = 0
FRAGMENT_FONT_LEVEL = 9


# reportlab's number formatting (C): the numbers are written as reportlab wrote them.
fmt: Callable[..., str] = fp_str


_ESCAPES = ((b"\\", b"\\\\"), (b"(", b"\\("), (b")", b"\\)"), (b"\r", b"\\r"), (b"\n", b"\\n"))


def literal(data: bytes) -> bytes:
    """``data`` as a PDF literal string body (backslash, parentheses and line ends escaped)."""
    for raw, escaped in _ESCAPES:
        if raw in data:
            data = data.replace(raw, escaped)
    return data


def text_string(text: str) -> str:
    """A text string for the document information (UTF-16BE with byte order mark, in hex)."""
    return "<FEFF" + text.encode("utf-16-be", "surrogatepass").hex().upper() + ">"


# -- fonts -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FrozenSubset:
    """One subset, serialised: the font dictionary's parts and its compressed streams."""

    resource: str  # F3+0
    base_font: str  # AAAAAA+IPAexGothic
    last_char: int
    widths: str
    descriptor: str  # the FontDescriptor's entries, without FontFile2
    font_file: bytes  # zlib-compressed TrueType program
    font_file_length1: int
    to_unicode: bytes  # zlib-compressed CMap


class _SubsetFont:
    """The codes given to the characters of one font in one document (or fragment)."""

    __slots__ = ("codes", "face", "first", "first_chars", "font", "glyphs", "number", "subsets", "tag_base")

    def __init__(self, font: Any, number: int, tag_base: int) -> None:
        self.font = font
        self.face = font.face
        self.glyphs: dict[int, int] = self.face.charToGlyph
        self.number = number
        self.tag_base = tag_base
        self.subsets: list[list[int]] = [[0]]
        self.codes: dict[int, tuple[int, int]] = {}
        # While the font has one subset: code point → code, and the characters given one, so that
        # text whose characters all have a code is encoded by str.translate.
        self.first: dict[int, int] = {}
        self.first_chars: set[str] = set()

    def encode(self, text: str) -> list[tuple[int, bytes]]:
        """``text`` as runs of (subset, codes); a character the font lacks is code 0 (.notdef)."""
        if text and len(self.subsets) == 1:
            chars = self.first_chars
            if not chars.issuperset(text):
                # Codes in order of first appearance, as encode_each gives them.
                for ch in dict.fromkeys(text):
                    if ch not in chars and ord(ch) not in self.codes:
                        self._assign(ord(ch))
            if len(self.subsets) == 1:
                return [(0, text.translate(self.first).encode("latin-1"))]
        return self.encode_each(text)

    def encode_each(self, text: str) -> list[tuple[int, bytes]]:
        """:meth:`encode` one character at a time (any number of subsets)."""
        out: list[tuple[int, bytes]] = []
        current = -1
        buffer = bytearray()
        codes = self.codes
        for ch in text:
            cp = ord(ch)
            found = codes.get(cp)
            if found is None:
                found = self._assign(cp)
            subset, code = found
            if subset != current:
                if buffer:
                    out.append((current, bytes(buffer)))
                    buffer = bytearray()
                current = subset
            buffer.append(code)
        if buffer:
            out.append((current, bytes(buffer)))
        return out

    def _assign(self, cp: int) -> tuple[int, int]:
        if cp == 0xA0:  # no-break space prints as a space (as reportlab does)
            found = self.codes.get(32) or self._assign(32)
        elif cp not in self.glyphs:
            found = (0, 0)
        else:
            last = self.subsets[-1]
            if len(last) >= SUBSET_SIZE:
                last = [0]
                self.subsets.append(last)
            found = (len(self.subsets) - 1, len(last))
            last.append(cp)
        self.codes[cp] = found
        if found[0] == 0:
            self.first[cp] = found[1]
            self.first_chars.add(chr(cp))
        return found

    def freeze(self, level: int) -> list[FrozenSubset]:
        face = self.face
        flags = (face.flags & ~FF_NONSYMBOLIC) | FF_SYMBOLIC
        bbox = " ".join(fmt(v) for v in face.bbox)
        name = (face.name + face.subfontNameX).decode("latin-1")
        extracts_as = getattr(self.font, "extracts_as", None)
        frozen = []
        for n, subset in enumerate(self.subsets):
            if n > 0 and len(subset) == 1:
                continue
            base_font = f"{SUBSETN(self.tag_base + n).decode('ascii')}+{name}"
            program = subset_program(face, subset)
            descriptor = (
                f"/Type /FontDescriptor /Ascent {fmt(face.ascent)} /CapHeight {fmt(face.capHeight)} "
                f"/Descent {fmt(face.descent)} /Flags {flags} /FontBBox [{bbox}] /FontName /{base_font} "
                f"/ItalicAngle {fmt(face.italicAngle)} /StemV {fmt(face.stemV)} "
                f"/MissingWidth {fmt(face.defaultWidth)}"
            )
            cmap = to_unicode_cmap(base_font, subset, extracts_as)
            frozen.append(
                FrozenSubset(
                    f"F{self.number}+{n}",
                    base_font,
                    len(subset) - 1,
                    fmt(*map(face.charWidths.get, subset, repeat(face.defaultWidth))),  # = joined
                    descriptor,
                    zlib.compress(program, level),
                    len(program),
                    zlib.compress(cmap.encode("ascii"), CONTENT_LEVEL),
                )
            )
        return frozen


@dataclass(frozen=True, slots=True, eq=False)
class Fragment:
    """A form XObject drawn once: compressed content, its bounding box and its own font subsets.

    ``codes`` (font name → font number, code point → (subset, code)) lets a page that places the
    fragment write text whose characters are all in the fragment's subsets with those subsets.
    """

    name: str  # X100
    bbox: tuple[float, float]
    content: bytes  # zlib-compressed
    fonts: tuple[FrozenSubset, ...]
    codes: dict[str, tuple[int, dict[int, tuple[int, int]]]]


# -- drawing ---------------------------------------------------------------------------------------


class TextObject:
    """``BT … ET`` with per-subset font switches (reportlab's ``PDFTextObject``, the part used)."""

    __slots__ = ("_canvas", "_font", "_parts", "_shown", "_size")

    def __init__(self, canvas: PdfCanvas, x: float, y: float) -> None:
        self._canvas = canvas
        self._parts: list[bytes] = [f"BT 1 0 0 1 {fmt(x, y)} Tm".encode()]
        self._font: _SubsetFont | None = None
        self._size = 0.0
        self._shown: tuple[int, int, float] | None = None

    def setFont(self, name: str, size: float) -> None:
        self._font = self._canvas._font(name)
        self._size = size

    def setTextOrigin(self, x: float, y: float) -> None:
        self._parts.append(f"1 0 0 1 {fmt(x, y)} Tm".encode())

    def textOut(self, text: str) -> None:
        font = self._font
        if font is None:
            raise ValueError("setFont before textOut")
        parts = self._parts
        for subset, codes in font.encode(text):
            key = (font.number, subset, self._size)
            if key != self._shown:
                parts.append(f"/F{font.number}+{subset} {fmt(self._size)} Tf".encode())
                self._shown = key
            parts.append(b"(" + literal(codes) + b") Tj")

    def code(self) -> bytes:
        return b" ".join(self._parts) + b" ET"


@dataclass(slots=True)
class _Page:
    content: bytes
    fragments: tuple[Fragment, ...]
    borrowed: bool  # the page's own text uses the fragments' subsets too


class PdfCanvas:
    """Pages in points from the bottom-left corner; :meth:`save` returns the PDF bytes.

    ``number_base`` numbers this canvas's fonts (``F<base+1>`` …) and subset tags apart from those
    of the fragments placed on it (a fragment is drawn on a canvas with its own base).
    """

    def __init__(self, pagesize: tuple[float, float], *, number_base: int = 0) -> None:
        self.width, self.height = pagesize
        self._number_base = number_base
        self._ops: list[bytes] = []
        self._fragments: list[Fragment] = []
        self._pages: list[_Page] = []
        self._fonts: dict[str, _SubsetFont] = {}
        self._info: dict[str, str] = {}
        self._borrowable: dict[str, tuple[int, dict[int, tuple[int, int]]]] = {}
        self._borrowed = False

    # -- document information
    def setTitle(self, title: str) -> None:
        self._info["Title"] = title

    def setSubject(self, subject: str) -> None:
        self._info["Subject"] = subject

    def setCreator(self, creator: str) -> None:
        self._info["Creator"] = creator

    def setAuthor(self, author: str) -> None:
        self._info["Author"] = author

    # -- drawing
    def _font(self, name: str) -> _SubsetFont:
        font = self._fonts.get(name)
        if font is None:
            number = self._number_base + len(self._fonts) + 1
            font = _SubsetFont(pdfmetrics.getFont(name), number, self._number_base * 100)
            self._fonts[name] = font
        return font

    def setFillGray(self, gray: float) -> None:
        self._ops.append(f"{fmt(gray)} g".encode())

    def setLineWidth(self, width: float) -> None:
        self._ops.append(f"{fmt(width)} w".encode())

    def rect(self, x: float, y: float, width: float, height: float, stroke: int = 1, fill: int = 0) -> None:
        op = ("B" if fill else "S") if stroke else ("f" if fill else "n")
        self._ops.append(f"{fmt(x, y, width, height)} re {op}".encode())

    def line(self, x1: float, y1: float, x2: float, y2: float) -> None:
        self._ops.append(f"{fmt(x1, y1)} m {fmt(x2, y2)} l S".encode())

    def addLiteral(self, code: str) -> None:
        self._ops.append(code.encode("latin-1"))

    def beginText(self, x: float = 0.0, y: float = 0.0) -> TextObject:
        return TextObject(self, x, y)

    def drawText(self, text: TextObject) -> None:
        self._ops.append(text.code())

    def show_text(
        self, x: float, y: float, runs: Iterable[tuple[str, str]], size: float, actual_text: str | None = None
    ) -> None:
        """One line of text at (x, y): runs of (font name, text), in one text object; with
        ``actual_text``, inside a marked-content span whose ``/ActualText`` is that text."""
        parts: list[bytes] = []
        if actual_text is not None:
            utf16 = actual_text.encode("utf-16-be", "surrogatepass").hex().upper()
            parts.append(f"/Span <</ActualText <FEFF{utf16}>>> BDC".encode())
        parts.append(f"BT 1 0 0 1 {fmt(x, y)} Tm".encode())
        size_text = fmt(size)
        shown: tuple[int, int] | None = None
        for name, run in runs:
            for number, subset, codes in self._encode(name, run):
                if (number, subset) != shown:
                    parts.append(f"/F{number}+{subset} {size_text} Tf".encode())
                    shown = (number, subset)
                parts.append(b"(" + literal(codes) + b") Tj")
        parts.append(b"ET")
        if actual_text is not None:
            parts.append(b"EMC")
        self._ops.append(b" ".join(parts))

    def _encode(self, name: str, run: str) -> list[tuple[int, int, bytes]]:
        """(font number, subset, codes) of a run: with a placed fragment's subsets when they hold
        every character of it, else with this document's own."""
        borrowable = self._borrowable.get(name)
        if borrowable is not None:
            number, table = borrowable
            found = [table.get(ord(ch)) for ch in run]
            if None not in found:
                self._borrowed = True
                out: list[tuple[int, int, bytes]] = []
                for subset, code in found:  # type: ignore[misc]  # None was ruled out above
                    if out and out[-1][1] == subset:
                        out[-1] = (number, subset, out[-1][2] + bytes((code,)))
                    else:
                        out.append((number, subset, bytes((code,))))
                return out
        font = self._fonts.get(name) or self._font(name)
        return [(font.number, subset, codes) for subset, codes in font.encode(run)]

    def reserve(self, name: str, text: str) -> None:
        """Give the characters of ``text`` codes in this canvas's subsets without drawing them."""
        (self._fonts.get(name) or self._font(name)).encode(text)

    def draw_fragment(self, fragment: Fragment) -> None:
        """Place a pre-drawn form XObject (same coordinates as the page)."""
        self._fragments.append(fragment)
        self._borrowable.update(fragment.codes)
        self._ops.append(f"q /{fragment.name} Do Q".encode())

    def showPage(self) -> None:
        content = zlib.compress(b"\n".join(self._ops), CONTENT_LEVEL)
        self._pages.append(_Page(content, tuple(dict.fromkeys(self._fragments)), self._borrowed))
        self._ops = []
        self._fragments = []
        self._borrowable = {}
        self._borrowed = False

    @property
    def page_count(self) -> int:
        return len(self._pages) + (1 if self._ops else 0)

    # -- output
    def fragment(self, name: str) -> Fragment:
        """What was drawn since the last page break, as a form XObject with its own fonts."""
        fonts = tuple(s for f in self._fonts.values() for s in f.freeze(FRAGMENT_FONT_LEVEL))
        content = zlib.compress(b"\n".join(self._ops), 9)
        codes = {name: (f.number, dict(f.codes)) for name, f in self._fonts.items()}
        return Fragment(name, (self.width, self.height), content, fonts, codes)

    def save(self) -> bytes:
        """The PDF file (a page with content not yet shown is shown first)."""
        if self._ops:
            self.showPage()
        writer = _Writer()
        catalog = writer.reserve()
        pages_ref = writer.reserve()
        info = writer.reserve()
        fonts = [s for f in self._fonts.values() for s in f.freeze(DOCUMENT_FONT_LEVEL)]
        font_refs = writer.fonts(fonts)
        fragments: dict[int, tuple[int, str]] = {}
        kids = []
        for page in self._pages:
            for fragment in page.fragments:
                if id(fragment) not in fragments:
                    fragments[id(fragment)] = writer.fragment(fragment)
            content = writer.stream(b"", page.content)
            xobjects = " ".join(f"/{f.name} {fragments[id(f)][0]} 0 R" for f in page.fragments)
            page_fonts = font_refs
            if page.borrowed:
                page_fonts = " ".join([font_refs, *(fragments[id(f)][1] for f in page.fragments)])
            kids.append(
                writer.add(
                    f"<< /Type /Page /Parent {pages_ref} 0 R /MediaBox [ 0 0 {fmt(self.width, self.height)} ]"
                    f" /Resources << /Font << {page_fonts} >> /XObject << {xobjects} >> "
                    f"/ProcSet [/PDF /Text /ImageB] >> /Contents {content} 0 R >>".encode()
                )
            )
        writer.put(
            pages_ref, f"<< /Type /Pages /Count {len(kids)} /Kids [{' '.join(f'{k} 0 R' for k in kids)}] >>"
        )
        writer.put(catalog, f"<< /Type /Catalog /Pages {pages_ref} 0 R >>")
        entries = " ".join(f"/{key} {text_string(value)}" for key, value in self._info.items())
        writer.put(info, f"<< {entries} /Producer (Madoguchi) >>")
        return writer.finish(catalog, info)


class _Writer:
    """Numbered objects, then the cross-reference table and trailer."""

    def __init__(self) -> None:
        self.objects: list[bytes | None] = []

    def reserve(self) -> int:
        self.objects.append(None)
        return len(self.objects)

    def put(self, number: int, body: str) -> None:
        self.objects[number - 1] = body.encode("latin-1")

    def add(self, body: bytes) -> int:
        self.objects.append(body)
        return len(self.objects)

    def stream(self, entries: bytes, compressed: bytes) -> int:
        return self.add(
            b"<< /Length %d /Filter /FlateDecode %s>>\nstream\n%s\nendstream"
            % (len(compressed), entries, compressed)
        )

    def fonts(self, subsets: Iterable[FrozenSubset]) -> str:
        """The font objects; returns the entries of a /Font resource dictionary."""
        refs = []
        for s in subsets:
            program = self.stream(b"/Length1 %d " % s.font_file_length1, s.font_file)
            descriptor = self.add(f"<< {s.descriptor} /FontFile2 {program} 0 R >>".encode("latin-1"))
            cmap = self.stream(b"", s.to_unicode)
            font = self.add(
                f"<< /Type /Font /Subtype /TrueType /Name /{s.resource} /BaseFont /{s.base_font} "
                f"/FirstChar 0 /LastChar {s.last_char} /Widths [{s.widths}] /ToUnicode {cmap} 0 R "
                f"/FontDescriptor {descriptor} 0 R >>".encode("latin-1")
            )
            refs.append(f"/{s.resource} {font} 0 R")
        return " ".join(refs)

    def fragment(self, fragment: Fragment) -> tuple[int, str]:
        """The form XObject and its fonts; returns its number and its /Font entries."""
        fonts = self.fonts(fragment.fonts)
        w, h = fragment.bbox
        entries = (
            f"/Type /XObject /Subtype /Form /BBox [ 0 0 {fmt(w, h)} ] "
            f"/Resources << /Font << {fonts} >> /ProcSet [/PDF /Text /ImageB] >> "
        ).encode("latin-1")
        return self.stream(entries, fragment.content), fonts

    def finish(self, root: int, info: int) -> bytes:
        out = [b"%PDF-1.4\n%\x93\x8c\x8b\x9e\n"]
        at = len(out[0])
        offsets = []
        for number, body in enumerate(self.objects, start=1):
            assert body is not None
            chunk = b"%d 0 obj\n%s\nendobj\n" % (number, body)
            offsets.append(at)
            out.append(chunk)
            at += len(chunk)
        xref = [b"xref\n0 %d\n0000000000 65535 f \n" % (len(self.objects) + 1)]
        xref += [b"%010d 00000 n \n" % offset for offset in offsets]
        out += xref
        out.append(
            b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(self.objects) + 1, root, info, at)
        )
        return b"".join(out)
