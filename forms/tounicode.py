"""A correct ToUnicode CMap for TrueType subsets that hold characters above U+FFFF.

Why this module exists: reportlab embeds a TrueType font as simple-font subsets of up to 256 codes and
writes a ToUnicode CMap for each subset so that text can be extracted. It formats every entry as
``<code> <%04X>``; for a code point above U+FFFF such as 𠮷 (U+20BB7) that yields ``<20BB7>`` — five hex
digits, which a PDF reader takes as U+20BB followed by garbage, so ``pdftotext`` returns "₻" instead of
the resident's name. A ToUnicode destination must be UTF-16BE: 𠮷 is the surrogate pair ``<D842DFB7>``.

The fix is a subclass, not a patch of reportlab: :class:`UnicodeSafeTTFont` lets reportlab build the
font objects as usual, then replaces the content of each subset's ToUnicode stream with the CMap from
:func:`to_unicode_cmap`. reportlab names those streams ``toUnicodeCMap:<BaseFont>`` in the document's
object table; this module relies on that name and on ``TTFont.state[doc].subsets`` (the code → code
point table of each subset), both stable since reportlab 3. A test renders 𠮷 and checks the stream.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence
from typing import Any

from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.ttfonts import SUBSETN, TTFont

# The PDF reference limits one beginbfchar block to 100 entries.
_BFCHAR_BLOCK = 100


def utf16be_hex(code_point: int) -> str:
    """The UTF-16BE code units of ``code_point`` in hex: ``4E00``; ``D842DFB7`` for U+20BB7."""
    if code_point < 0x10000:
        return f"{code_point:04X}"
    v = code_point - 0x10000
    return f"{0xD800 | v >> 10:04X}{0xDC00 | v & 0x3FF:04X}"


_CODES = [f"<{code:02X}> <" for code in range(256)]


def to_unicode_cmap(name: str, subset: Sequence[int], extracts_as: Mapping[int, str] | None = None) -> str:
    """The ToUnicode CMap of one subset: single-byte code ``i`` maps to code point ``subset[i]``.

    ``extracts_as`` gives the text of private code points that stand for a variation sequence
    (base + selector), which a ToUnicode entry may hold as a string of UTF-16 code units.
    """
    extracts_as = extracts_as or {}
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({name})",
        f"/Ordering ({name})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{name} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
    ]

    def destination(cp: int) -> str:
        text = extracts_as.get(cp)
        return utf16be_hex(cp) if text is None else "".join(utf16be_hex(ord(ch)) for ch in text)

    plain = len(subset) <= len(_CODES) and max(subset, default=0) < 0x10000
    if plain and extracts_as.keys().isdisjoint(subset):  # the usual subset: BMP characters, one unit each
        entries = [f"{prefix}{cp:04X}>" for prefix, cp in zip(_CODES, subset, strict=False)]
    else:
        entries = [f"<{code:02X}> <{destination(cp)}>" for code, cp in enumerate(subset)]
    for start in range(0, len(entries), _BFCHAR_BLOCK):
        block = entries[start : start + _BFCHAR_BLOCK]
        lines.append(f"{len(block)} beginbfchar")
        lines.extend(block)
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines)


class _FastFlate(pdfdoc.PDFStreamFilterZCompress):  # type: ignore[misc]  # no type hints
    """FlateDecode at zlib level 1 for the embedded font files: a third of the time of the default
    level for a few percent more bytes (a form's PDF stays around 100 KB)."""

    def encode(self, text: bytes | str) -> bytes:
        data = text.encode("utf8") if isinstance(text, str) else text
        return zlib.compress(data, 1)


FAST_FLATE = _FastFlate()


class UnicodeSafeTTFont(TTFont):  # type: ignore[misc]  # reportlab ships no type hints
    """A reportlab ``TTFont`` whose ToUnicode CMaps are valid for every code point.

    ``extracts_as`` maps private code points (variation sequences, see :mod:`forms.fonts`) to the
    text they stand for.
    """

    def __init__(self, name: str, filename: str, subfont_index: int = 0) -> None:
        super().__init__(name, filename, subfontIndex=subfont_index)
        self.extracts_as: dict[int, str] = {}

    def addObjects(self, doc: Any) -> None:
        state = self.state.get(doc)
        subsets = [list(s) for s in state.subsets] if state is not None else []
        super().addObjects(doc)  # builds the font objects and forgets the document's state
        face = self.face
        for n, subset in enumerate(subsets):
            base_font = b"".join((SUBSETN(n), b"+", face.name, face.subfontNameX)).decode("pdfdoc")
            stream = doc.idToObject.get("toUnicodeCMap:" + base_font)
            if stream is None:  # pragma: no cover - would mean reportlab renamed its objects
                raise RuntimeError(f"reportlab did not register the ToUnicode CMap of {base_font}")
            stream.content = to_unicode_cmap(base_font, subset, self.extracts_as)
            font_file = doc.idToObject.get(f"fontFile:{face.filename}({base_font})")
            if font_file is not None and getattr(font_file, "filters", None):
                font_file.filters = [FAST_FLATE]
