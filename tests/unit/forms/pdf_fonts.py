"""Reading back what a PDF embeds: its font programs and their cmaps (for the glyph-by-glyph checks).

Standard library only: objects are found by their ``N 0 obj`` headers (reportlab writes no object
streams), streams inflated, the embedded TrueType programs' ``cmap`` tables parsed (formats 0, 4, 6).
"""

from __future__ import annotations

import base64
import re
import struct
import zlib
from dataclasses import dataclass

_OBJ = re.compile(rb"(\d+) 0 obj\s*(.*?)endobj", re.DOTALL)


@dataclass(frozen=True)
class EmbeddedFont:
    base_font: str
    cmap: dict[int, int]  # code in the subset → glyph id
    glyph_count: int
    outlines: tuple[bytes, ...] = ()  # the glyf data of every glyph (b"" for an empty glyph)

    def draws_notdef(self, code: int) -> bool:
        """Whether ``code`` shows the missing-glyph box: glyph 0, or a copy of it (reportlab copies
        glyph 0 into the subset for a character its font lacks)."""
        gid = self.cmap.get(code, 0)
        if gid == 0 or gid >= len(self.outlines):
            return True
        return bool(self.outlines[0]) and self.outlines[gid] == self.outlines[0]


def objects(pdf: bytes) -> dict[int, tuple[bytes, bytes | None]]:
    """Object number → (dictionary text, inflated stream or None)."""
    found: dict[int, tuple[bytes, bytes | None]] = {}
    for match in _OBJ.finditer(pdf):
        body = match.group(2)
        stream: bytes | None = None
        at = body.find(b"stream")
        if at >= 0:
            head = body[:at]
            data = body[at + len(b"stream") :].lstrip(b"\r").removeprefix(b"\n")
            length = re.search(rb"/Length (\d+)", head)
            if length:
                data = data[: int(length.group(1))]
            if b"/ASCII85Decode" in head:
                data = base64.a85decode(data.strip().removesuffix(b"~>").removeprefix(b"<~"))
            if b"/FlateDecode" in head:
                data = zlib.decompress(data)
            stream = data
            body = head
        found[int(match.group(1))] = (body, stream)
    return found


def _outlines(font: bytes, tables: dict[bytes, tuple[int, int]], glyphs: int) -> tuple[bytes, ...]:
    (long_offsets,) = struct.unpack_from(">h", font, tables[b"head"][0] + 50)
    loca, glyf = tables[b"loca"][0], tables[b"glyf"][0]
    if long_offsets:
        offsets = struct.unpack_from(f">{glyphs + 1}L", font, loca)
    else:
        offsets = tuple(2 * o for o in struct.unpack_from(f">{glyphs + 1}H", font, loca))
    return tuple(font[glyf + offsets[g] : glyf + offsets[g + 1]] for g in range(glyphs))


def _cmap(font: bytes) -> tuple[dict[int, int], int, tuple[bytes, ...]]:
    (num_tables,) = struct.unpack_from(">H", font, 4)
    tables = {}
    for i in range(num_tables):
        tag, _checksum, offset, length = struct.unpack_from(">4sLLL", font, 12 + 16 * i)
        tables[tag] = (offset, length)
    (glyphs,) = struct.unpack_from(">H", font, tables[b"maxp"][0] + 4)
    base = tables[b"cmap"][0]
    (count,) = struct.unpack_from(">H", font, base + 2)
    mapping: dict[int, int] = {}
    for i in range(count):
        _platform, _encoding, offset = struct.unpack_from(">HHL", font, base + 4 + 8 * i)
        at = base + offset
        (fmt,) = struct.unpack_from(">H", font, at)
        if fmt == 0:
            for code in range(256):
                mapping.setdefault(code, font[at + 6 + code])
        elif fmt == 6:
            first, entries = struct.unpack_from(">HH", font, at + 6)
            for k in range(entries):
                mapping.setdefault(first + k, struct.unpack_from(">H", font, at + 10 + 2 * k)[0])
        elif fmt == 4:
            (seg_x2,) = struct.unpack_from(">H", font, at + 6)
            ends = at + 14
            starts = ends + seg_x2 + 2
            deltas = starts + seg_x2
            ranges = deltas + seg_x2
            for s in range(seg_x2 // 2):
                (end,) = struct.unpack_from(">H", font, ends + 2 * s)
                (start,) = struct.unpack_from(">H", font, starts + 2 * s)
                (delta,) = struct.unpack_from(">h", font, deltas + 2 * s)
                (range_offset,) = struct.unpack_from(">H", font, ranges + 2 * s)
                for code in range(start, end + 1):
                    if code == 0xFFFF:
                        continue
                    if range_offset == 0:
                        gid = (code + delta) & 0xFFFF
                    else:
                        where = ranges + 2 * s + range_offset + 2 * (code - start)
                        (gid,) = struct.unpack_from(">H", font, where)
                        gid = (gid + delta) & 0xFFFF if gid else 0
                    mapping.setdefault(code, gid)
    return mapping, glyphs, _outlines(font, tables, glyphs)


def embedded_fonts(pdf: bytes) -> list[EmbeddedFont]:
    objs = objects(pdf)
    fonts = []
    for body, _stream in objs.values():
        ref = re.search(rb"/FontFile2 (\d+) 0 R", body)
        name = re.search(rb"/FontName /(\S+?)[\s/>]", body)
        if ref is None or name is None:
            continue
        program = objs[int(ref.group(1))][1]
        assert program is not None
        cmap, glyphs, outlines = _cmap(program)
        fonts.append(EmbeddedFont(name.group(1).decode(), cmap, glyphs, outlines))
    return fonts


def used_codes(pdf: bytes) -> dict[str, set[int]]:
    """Per font resource name (``F1+0`` …), the byte codes shown with it in the content streams."""
    objs = objects(pdf)
    used: dict[str, set[int]] = {}
    for _body, stream in objs.values():
        if stream is None or b" Tf" not in stream:
            continue
        current = ""
        for token in re.finditer(
            rb"/(\S+) [\d.]+ Tf|\(((?:\\.|[^\\)])*)\) Tj|\[(.*?)\] TJ", stream, re.DOTALL
        ):
            if token.group(1):
                current = token.group(1).decode()
                continue
            strings = (
                [token.group(2)]
                if token.group(2) is not None
                else re.findall(rb"\(((?:\\.|[^\\)])*)\)", token.group(3))
            )
            for raw in strings:
                used.setdefault(current, set()).update(_unescape(raw))
    return used


def _unescape(raw: bytes) -> bytes:
    out = bytearray()
    i = 0
    while i < len(raw):
        c = raw[i]
        if c == 0x5C:  # backslash
            n = raw[i + 1]
            if 0x30 <= n <= 0x37:
                j = i + 1
                digits = b""
                while j < len(raw) and len(digits) < 3 and 0x30 <= raw[j] <= 0x37:
                    digits += bytes([raw[j]])
                    j += 1
                out.append(int(digits, 8))
                i = j
                continue
            out.append({ord("n"): 10, ord("r"): 13, ord("t"): 9, ord("b"): 8, ord("f"): 12}.get(n, n))
            i += 2
            continue
        out.append(c)
        i += 1
    return bytes(out)


def font_resources(pdf: bytes) -> dict[str, str]:
    """Font resource name (``F1+0``) → embedded BaseFont name, from the page resources."""
    objs = objects(pdf)
    names: dict[int, str] = {}
    for number, (body, _stream) in objs.items():
        base = re.search(rb"/BaseFont /(\S+?)[\s/>]", body)
        if base and b"/Type /Font" in body:
            names[number] = base.group(1).decode()
    resources: dict[str, str] = {}
    for body, _stream in objs.values():
        for match in re.finditer(rb"/(F\d+\+\d+) (\d+) 0 R", body):
            if int(match.group(2)) in names:
                resources[match.group(1).decode()] = names[int(match.group(2))]
    return resources


def _to_unicode(cmap: bytes) -> dict[int, str]:
    mapping: dict[int, str] = {}
    text = cmap.decode("latin-1")
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.DOTALL):
        for code, dest in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            mapping[int(code, 16)] = bytes.fromhex(dest).decode("utf-16-be", "surrogatepass")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.DOTALL):
        for lo, hi, dest in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            start = int(dest, 16)
            for k, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                mapping[code] = chr(start + k)
    return mapping


def missing_glyphs(pdf: bytes) -> list[tuple[str, int, str]]:
    """Every (font, code, text) shown in the content streams that the embedded font cannot draw:
    a code outside its cmap, glyph 0 or a copy of it, or an empty glyph for a character that is not
    a space (reportlab shows a character its font lacks as code 0, an empty glyph)."""
    objs = objects(pdf)
    by_resource: dict[str, tuple[EmbeddedFont, dict[int, str]]] = {}
    fonts = {f.base_font: f for f in embedded_fonts(pdf)}
    font_dicts: dict[int, tuple[str, dict[int, str]]] = {}
    for number, (body, _stream) in objs.items():
        base = re.search(rb"/BaseFont /(\S+?)[\s/>]", body)
        reference = re.search(rb"/ToUnicode (\d+) 0 R", body)
        if base and b"/Type /Font" in body and reference:
            stream = objs[int(reference.group(1))][1] or b""
            font_dicts[number] = (base.group(1).decode(), _to_unicode(stream))
    for body, _stream in objs.values():
        for match in re.finditer(rb"/(F\d+\+\d+) (\d+) 0 R", body):
            entry = font_dicts.get(int(match.group(2)))
            if entry is not None and entry[0] in fonts:
                by_resource[match.group(1).decode()] = (fonts[entry[0]], entry[1])
    problems = []
    for resource, codes in used_codes(pdf).items():
        font, unicode_of = by_resource[resource]
        for code in sorted(codes):
            text = unicode_of.get(code, "")
            empty = font.cmap.get(code, 0) < len(font.outlines) and not font.outlines[font.cmap.get(code, 0)]
            # A glyph HarfBuzz chose through the font's own substitutions (a conjunct; the empty
            # "dummymark" some fonts insert before a mark) is written through a private code point.
            shaped = len(text) == 1 and ord(text) >= 0x100000
            if (
                font.draws_notdef(code)
                or text in ("", "\x00")
                or (empty and not text.isspace() and not shaped)
            ):
                problems.append((font.base_font, code, text))
    return problems
