"""TrueType subsets as reportlab's ``makeSubset`` builds them, with the per-font parts prepared once.

A form embeds a few subsets of IPAex明朝, IPAexゴシック and IPAmj明朝 per document. reportlab's
``TTFontFile.makeSubset`` re-reads the same tables for every subset (``name``, ``OS/2``, the hinting
programs, ``post``, ``hhea``, ``maxp``, ``head``) through a file-like reader, seeking and reading two
bytes at a time. :class:`SubsetMaker` reads those tables once per font, walks composite glyphs with
``struct.unpack_from`` on the font bytes, and assembles the same file: the output is byte for byte
that of ``makeSubset`` (``tests/unit/forms/test_subset.py`` compares them on random subsets of all
three fonts, with composite glyphs). It holds font data only.
"""

from __future__ import annotations

import contextlib
import re
import struct
import threading
from itertools import repeat
from operator import itemgetter
from typing import Any

from reportlab.lib.rl_accel import add32, calcChecksum

_MORE_COMPONENTS = 1 << 5
_ARGS_ARE_WORDS = 1 << 0
_HAVE_SCALE = 1 << 3
_HAVE_XY_SCALE = 1 << 6
_HAVE_2X2 = 1 << 7
_COPIED = ("name", "OS/2", "cvt ", "fpgm", "prep")


def _set_ushort(data: bytes, offset: int, value: int) -> bytes:
    return data[:offset] + struct.pack(">H", value) + data[offset + 2 :]


class SubsetMaker:
    """Subsets of one font (a reportlab ``TTFontFace``)."""

    def __init__(self, face: Any) -> None:
        self.face = face
        self.data: bytes = face._ttf_data
        self.glyf_start: int = face.get_table_pos("glyf")[0]
        self.glyph_pos: list[int] = face.glyphPos
        self.hmetrics: list[tuple[int, int]] = face.hmetrics
        tables: dict[str, bytes] = {}
        for tag in _COPIED:
            with contextlib.suppress(KeyError):  # cvt, fpgm and prep are optional
                tables[tag] = face.get_table(tag)
        tables["post"] = b"\x00\x03\x00\x00" + face.get_table("post")[4:16] + b"\x00" * 16
        self.constant = tables
        self.hhea: bytes = face.get_table("hhea")
        self.maxp: bytes = face.get_table("maxp")
        head = face.get_table("head")
        self.head: bytes = head[:8] + b"\0\0\0\0" + head[12:]  # checksumAdjustment is set at the end
        self.checksums = {tag: calcChecksum(data) for tag, data in tables.items()}
        self.composite = _composite_glyphs(self.data, self.glyf_start, self.glyph_pos)

    def make(self, subset: list[int]) -> bytes:
        """The TrueType program of ``subset`` (code ``i`` draws the glyph of code point ``subset[i]``)."""
        glyph_map, glyph_set, code_glyphs = self._glyph_map(subset)
        tables = dict(self.constant)
        hmtx, full_metrics = self._hmtx(glyph_map)
        tables["hmtx"] = hmtx
        tables["hhea"] = _set_ushort(self.hhea, 34, full_metrics)
        tables["maxp"] = _set_ushort(self.maxp, 4, len(glyph_map))
        cmap = [0, 1, 1, 0, 0, 12, 6, 10 + len(subset) * 2, 0, 0, len(subset), *code_glyphs]
        tables["cmap"] = struct.pack(f">{len(cmap)}H", *cmap)
        glyf, offsets = self._glyf(glyph_map, glyph_set)
        tables["glyf"] = glyf
        if (offsets[-1] + 1) >> 1 > 0xFFFF:
            long_offsets = 1
            tables["loca"] = struct.pack(f">{len(offsets)}L", *offsets)
        else:
            long_offsets = 0
            tables["loca"] = struct.pack(f">{len(offsets)}H", *(o >> 1 for o in offsets))
        tables["head"] = _set_ushort(self.head, 50, long_offsets)
        return _stream(tables, self.checksums)

    def _glyph_map(self, subset: list[int]) -> tuple[list[int], dict[int, int], list[int]]:
        """New glyph → original glyph, original → new, and the new glyph of each code."""
        originals = list(map(self.face.charToGlyph.get, subset, repeat(0)))
        glyph_map = list(dict.fromkeys([0, *originals]))  # in order of first use, .notdef first
        glyph_set = dict(zip(glyph_map, range(len(glyph_map)), strict=True))
        code_glyphs = list(map(glyph_set.__getitem__, originals))
        composite = self.composite
        if not composite:  # the IPA fonts have none
            return glyph_map, glyph_set, code_glyphs
        data = self.data
        start = self.glyf_start
        glyph_pos = self.glyph_pos
        n = 0
        while n < len(glyph_map):  # the components of composite glyphs join the subset
            original = glyph_map[n]
            n += 1
            if original not in composite:
                continue
            for _, component in _components(data, start + glyph_pos[original]):
                if component not in glyph_set:
                    glyph_set[component] = len(glyph_map)
                    glyph_map.append(component)
        return glyph_map, glyph_set, code_glyphs

    def _hmtx(self, glyph_map: list[int]) -> tuple[bytes, int]:
        """The metrics, trailing equal advances folded (as reportlab does), and the full-pair count."""
        hmetrics = self.hmetrics
        hmtx = [int(v) for original in glyph_map for v in hmetrics[original]]  # aw, lsb, aw, lsb …
        k = len(hmtx) - 2
        while k and hmtx[k] == hmtx[k - 2]:
            k -= 2
        k += 2
        hmtx = hmtx[:k] + hmtx[k + 1 :: 2]
        return struct.pack(f">{len(hmtx)}H", *hmtx), k >> 1

    def _glyf(self, glyph_map: list[int], glyph_set: dict[int, int]) -> tuple[bytes, list[int]]:
        data = self.data
        start = self.glyf_start
        glyph_pos = self.glyph_pos
        composite = self.composite
        glyf: list[bytes] = []
        offsets: list[int] = []
        pos = 0
        for original in glyph_map:
            offsets.append(pos)
            at = start + glyph_pos[original]
            length = start + glyph_pos[original + 1] - at
            glyph = data[at : at + length]
            if original in composite and length > 2:
                renumbered = bytearray(glyph)
                for offset, component in _components(glyph, 0):
                    struct.pack_into(">H", renumbered, offset, glyph_set[component])
                glyph = bytes(renumbered)
            glyf.append(glyph)
            pos += length
            if pos & 3:
                glyf.append(_PADDING[4 - (pos & 3)])
                pos += 4 - (pos & 3)
        offsets.append(pos)
        return b"".join(glyf), offsets


_PADDING = (b"", b"\0", b"\0\0", b"\0\0\0")


def _composite_glyphs(data: bytes, glyf_start: int, glyph_pos: list[int]) -> frozenset[int]:
    """The glyphs with outlines whose contour count is negative (composites), found once per font."""
    starts = glyph_pos[:-1]
    if not starts:
        return frozenset()
    if glyf_start + max(starts) >= len(data):  # an empty last glyph at the very end of the file
        return frozenset(
            g
            for g in range(len(starts))
            if glyph_pos[g + 1] > glyph_pos[g] and data[glyf_start + glyph_pos[g]] >= 0x80
        )
    # The high byte of each glyph's numberOfContours, read in C; the few negative ones checked here.
    glyf = memoryview(data)[glyf_start:]
    high = bytes(itemgetter(*starts)(glyf)) if len(starts) > 1 else bytes((glyf[starts[0]],))
    return frozenset(
        m.start() for m in _NEGATIVE.finditer(high) if glyph_pos[m.start() + 1] > glyph_pos[m.start()]
    )


_NEGATIVE = re.compile(rb"[\x80-\xff]")


def _components(data: bytes, glyph_at: int) -> list[tuple[int, int]]:
    """(offset of the glyph index, glyph index) of each component of the composite glyph at ``glyph_at``."""
    found = []
    p = glyph_at + 10
    flags = _MORE_COMPONENTS
    while flags & _MORE_COMPONENTS:
        flags, component = struct.unpack_from(">HH", data, p)
        found.append((p + 2, component))
        p += 4
        p += 4 if flags & _ARGS_ARE_WORDS else 2
        if flags & _HAVE_SCALE:
            p += 2
        elif flags & _HAVE_XY_SCALE:
            p += 4
        elif flags & _HAVE_2X2:
            p += 8
    return found


def _stream(tables: dict[str, bytes], checksums: dict[str, int]) -> bytes:
    """The font file: header, table directory (tags sorted), tables padded to 4 bytes, checksum.

    ``checksums`` holds those of the tables every subset of the font copies (computed once)."""
    count = len(tables)
    search = 1
    selector = 0
    while search * 2 <= count:
        search *= 2
        selector += 1
    search *= 16
    parts = [struct.pack(">lHHHH", 0x00010000, count, search, selector, count * 16 - search)]
    offset = 12 + count * 16
    head_at = 0
    items = sorted(tables.items())
    for tag, data in items:
        if tag == "head":
            head_at = offset
        checksum = checksums.get(tag)
        if checksum is None:
            checksum = calcChecksum(data)
        parts.append(tag.encode("latin-1") + struct.pack(">LLL", checksum, offset, len(data)))
        offset += (len(data) + 3) & ~3
    for _, data in items:
        parts.append(data)
        if len(data) % 4:
            parts.append(b"\0" * (4 - len(data) % 4))
    font = bytearray(b"".join(parts))
    struct.pack_into(">L", font, head_at + 8, add32(0xB1B0AFBA, -calcChecksum(bytes(font))))
    return bytes(font)


_makers: dict[int, tuple[Any, SubsetMaker]] = {}
_lock = threading.Lock()


def subset_program(face: Any, subset: list[int]) -> bytes:
    """The subset's TrueType program, with ``face``'s constant tables read once per process."""
    entry = _makers.get(id(face))
    if entry is None or entry[0] is not face:
        maker = SubsetMaker(face)
        with _lock:
            _makers[id(face)] = (face, maker)
    else:
        maker = entry[1]
    return maker.make(subset)
