"""The fonts embedded in every form: IPAex明朝 / IPAexゴシック for text, IPAmj明朝 for what they lack.

* Found in ``MADOGUCHI_FONT_DIR`` (``os.pathsep``-separated folders; the installer bundles the fonts
  there), then in the folders of the Debian packages ``fonts-ipaexfont-mincho``,
  ``fonts-ipaexfont-gothic`` and ``fonts-ipamj-mincho``, then anywhere under the system font folders.
* :func:`load_fonts` checks that all three files exist before anything is drawn: a missing font is a
  :class:`~forms.errors.FontMissingError` at start, never tofu on paper. Parsing a font (IPAmj明朝 is
  46 MB) happens on first use, or at once with :meth:`FontSet.preload`.
* Per-character fallback: :meth:`FontSet.runs` splits a string into runs of the wanted face and runs of
  IPAmj明朝 (e.g. 𠮷 U+20BB7, which IPAex lacks). A character no font has raises
  :class:`~forms.errors.GlyphMissingError`.
* Fonts are :class:`~forms.tounicode.UnicodeSafeTTFont`, so text above U+FFFF extracts correctly.
* Ideographic variation sequences (a base character followed by a selector U+E0100–U+E01EF, how the
  resident record writes MJ variants such as the 16 forms of 邉) print with the font's own glyph for
  the sequence, read from its cmap format 14 subtable (IPAmj明朝 has 11,474). Each sequence used gets a
  private code point of the embedded subset (U+10F000 upwards) whose ToUnicode entry is the sequence
  itself, so the text extracts as base + selector. A sequence no font has is refused by name.
* A municipality's registered 外字 (:mod:`forms.gaiji`: a font file and the code points it covers)
  is consulted first for those code points.
"""

from __future__ import annotations

import enum
import hashlib
import os
import re
import struct
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics

from forms.errors import FontMissingError, GlyphMissingError
from forms.face_tables import FaceTable, build_face_table
from forms.fastsubset import share_glyf_table
from forms.gaiji import Gaiji
from forms.tounicode import UnicodeSafeTTFont

FONT_DIR_ENV = "MADOGUCHI_FONT_DIR"
SYNTHETIC_FIRST = 0x10F000  # private code points given to the variation sequences in use (plane 16 PUA)
SYNTHETIC_LAST = 0x10FFFD
IGNORABLE_SELECTORS = frozenset({0xFE0E, 0xFE0F})  # text / emoji presentation: the base glyph is printed


_SELECTORS = re.compile("[\ufe00-\ufe0f\U000e0100-\U000e01ef]")


def has_variation_selectors(text: str) -> bool:
    """Whether ``text`` holds a variation selector (VS1–VS256)."""
    return _SELECTORS.search(text) is not None


def is_variation_selector(code_point: int) -> bool:
    """VS1–VS16 (U+FE00–FE0F) and the ideographic selectors VS17–VS256 (U+E0100–E01EF)."""
    return 0xFE00 <= code_point <= 0xFE0F or 0xE0100 <= code_point <= 0xE01EF


def clusters(text: str) -> Iterator[tuple[str, int, int | None]]:
    """``text`` as (characters, base code point, selector or None): a selector stays with its base."""
    i = 0
    n = len(text)
    while i < n:
        base = ord(text[i])
        if i + 1 < n and is_variation_selector(ord(text[i + 1])):
            yield text[i : i + 2], base, ord(text[i + 1])
            i += 2
        else:
            yield text[i], base, None
            i += 1


@dataclass(frozen=True, slots=True)
class VariationSequences:
    """A font's cmap format 14: glyphs of non-default sequences, ranges of default ones, per selector."""

    glyphs: dict[tuple[int, int], int]
    defaults: dict[int, tuple[tuple[int, int], ...]]

    def __len__(self) -> int:
        return len(self.glyphs) + sum(end - start + 1 for r in self.defaults.values() for start, end in r)

    def is_default(self, base: int, selector: int) -> bool:
        return any(start <= base <= end for start, end in self.defaults.get(selector, ()))


def _u24(data: bytes, at: int) -> int:
    return int.from_bytes(data[at : at + 3], "big")


def parse_variation_sequences(cmap: bytes) -> VariationSequences:
    """The format 14 subtable (platform 0, encoding 5) of a ``cmap`` table; empty when there is none."""
    glyphs: dict[tuple[int, int], int] = {}
    defaults: dict[int, tuple[tuple[int, int], ...]] = {}
    (count,) = struct.unpack_from(">H", cmap, 2)
    for r in range(count):
        platform, encoding, offset = struct.unpack_from(">HHL", cmap, 4 + 8 * r)
        if (platform, encoding) != (0, 5) or struct.unpack_from(">H", cmap, offset)[0] != 14:
            continue
        (records,) = struct.unpack_from(">L", cmap, offset + 6)
        for k in range(records):
            at = offset + 10 + 11 * k
            selector = _u24(cmap, at)
            default_at, non_default_at = struct.unpack_from(">LL", cmap, at + 3)
            if default_at:
                base_at = offset + default_at
                (ranges,) = struct.unpack_from(">L", cmap, base_at)
                defaults[selector] = tuple(
                    (
                        _u24(cmap, base_at + 4 + 4 * j),
                        _u24(cmap, base_at + 4 + 4 * j) + cmap[base_at + 7 + 4 * j],
                    )
                    for j in range(ranges)
                )
            if non_default_at:
                base_at = offset + non_default_at
                (mappings,) = struct.unpack_from(">L", cmap, base_at)
                for j in range(mappings):
                    entry = base_at + 4 + 5 * j
                    (glyph,) = struct.unpack_from(">H", cmap, entry + 3)
                    glyphs[(_u24(cmap, entry), selector)] = glyph
        break
    return VariationSequences(glyphs, defaults)


class Face(enum.StrEnum):
    """The faces a layout can ask for."""

    MINCHO = "mincho"  # IPAex明朝: values written on the form
    GOTHIC = "gothic"  # IPAexゴシック: labels, headings, the guide sheet
    MJ = "mj"  # IPAmj明朝: fallback for characters of the resident-record standard IPAex lacks


@dataclass(frozen=True, slots=True)
class FontSpec:
    face: Face
    family: str  # as a clerk knows it
    file_name: str
    package: str  # the Debian package that ships it
    package_dir: str


FONT_SPECS: tuple[FontSpec, ...] = (
    FontSpec(
        Face.MINCHO,
        "IPAex明朝",
        "ipaexm.ttf",
        "fonts-ipaexfont-mincho",
        "/usr/share/fonts/opentype/ipaexfont-mincho",
    ),
    FontSpec(
        Face.GOTHIC,
        "IPAexゴシック",
        "ipaexg.ttf",
        "fonts-ipaexfont-gothic",
        "/usr/share/fonts/opentype/ipaexfont-gothic",
    ),
    FontSpec(Face.MJ, "IPAmj明朝", "ipamjm.ttf", "fonts-ipamj-mincho", "/usr/share/fonts/truetype/ipamj"),
)
SYSTEM_FONT_ROOTS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))


def _search_dirs(extra: Sequence[Path]) -> list[Path]:
    dirs = list(extra)
    env = os.environ.get(FONT_DIR_ENV, "")
    dirs += [Path(p) for p in env.split(os.pathsep) if p]
    return dirs


def find_font(spec: FontSpec, extra_dirs: Sequence[Path] = (), *, system: bool = True) -> Path:
    """The path of ``spec``'s file, or :class:`FontMissingError` naming every folder searched."""
    searched: list[Path] = []
    for directory in [*_search_dirs(extra_dirs), *([Path(spec.package_dir)] if system else [])]:
        searched.append(directory)
        candidate = directory / spec.file_name
        if candidate.is_file():
            return candidate
    if system:
        for root in SYSTEM_FONT_ROOTS:
            searched.append(root)
            if root.is_dir():
                for candidate in sorted(root.rglob(spec.file_name)):
                    if candidate.is_file():
                        return candidate
    raise FontMissingError(spec.family, spec.file_name, searched, spec.package)


class _LoadedFont:
    __slots__ = ("_lock", "_sequences", "_synthetic", "_widths_default", "font", "glyphs", "name", "widths")

    def __init__(self, name: str, path: Path, aliases: Mapping[int, int] | None = None) -> None:
        self.name = name
        self.font = UnicodeSafeTTFont(name, str(path))
        share_glyf_table(self.font.face)
        pdfmetrics.registerFont(self.font)
        # reportlab makes a second font of an already registered face (e.g. "IPAmjMincho" registered by
        # other code) an alias of the first one, which would bypass the ToUnicode fix: insist on ours.
        if pdfmetrics.getFont(name) is not self.font:
            pdfmetrics._fonts[name] = self.font
        face = self.font.face
        if aliases is not None:
            # A municipality's font may carry any internal name, even IPAmj明朝's: give it its own, or
            # its PDF objects would clash with those of the font it copied the name from.
            face.name = b"MadoguchiGaiji"
        self.glyphs: dict[int, int] = face.charToGlyph
        self._widths_default = face.defaultWidth
        self.widths: dict[int, float] = face.charWidths
        self._lock = threading.Lock()
        self._sequences: VariationSequences | None = None
        self._synthetic: dict[tuple[int, int], int] = {}
        for code_point, target in (aliases or {}).items():  # 外字: the record's code point → the font's
            glyph = self.glyphs.get(target)
            if glyph:
                self.glyphs[code_point] = glyph
                self.widths[code_point] = self.widths.get(target, self._widths_default)

    def has(self, code_point: int) -> bool:
        return bool(self.glyphs.get(code_point))

    def width_units(self, code_point: int) -> float:
        return float(self.widths.get(code_point, self._widths_default))

    @property
    def sequences(self) -> VariationSequences:
        if self._sequences is None:
            self._sequences = parse_variation_sequences(self.font.face.get_table("cmap"))
        return self._sequences

    def sequence_glyph(self, base: int, selector: int) -> int | None:
        """The glyph of base + selector in this font's cmap format 14, or ``None``."""
        glyph = self.sequences.glyphs.get((base, selector))
        if glyph is None and self.sequences.is_default(base, selector):
            glyph = self.glyphs.get(base) or None
        return glyph

    def sequence_code(self, base: int, selector: int) -> int | None:
        """The private code point standing for base + selector in this font (allocated on first use)."""
        key = (base, selector)
        code = self._synthetic.get(key)
        if code is not None:
            return code
        glyph = self.sequence_glyph(base, selector)
        if glyph is None:
            return None
        with self._lock:
            code = self._synthetic.get(key)
            if code is None:
                code = SYNTHETIC_FIRST + len(self._synthetic)
                if code > SYNTHETIC_LAST:
                    return None
                face = self.font.face
                advance = face.hmetrics[glyph][0] if glyph < len(face.hmetrics) else face.hmetrics[-1][0]
                self.widths[code] = advance * 1000.0 / face.unitsPerEm
                self.glyphs[code] = glyph
                self.font.extracts_as[code] = chr(base) + chr(selector)
                self._synthetic[key] = code
        return code


class FontSet:
    """The three faces (and a municipality's 外字), reportlab names, fallback per character, widths."""

    def __init__(self, paths: dict[Face, Path], gaiji: Gaiji | None = None) -> None:
        self.paths = dict(paths)
        self.gaiji = gaiji
        self._lock = threading.Lock()
        self._loaded: dict[Face, _LoadedFont] = {}
        self._gaiji_font: _LoadedFont | None = None
        self._tables: dict[Face, FaceTable] = {}
        key = "|".join(str(paths[f]) for f in Face) + (
            f"|{gaiji.font}|{sorted(gaiji.codes.items())}" if gaiji else ""
        )
        digest = hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()[:8]
        self._names = {face: f"Madoguchi-{face.value}-{digest}" for face in Face}
        self._gaiji_name = f"Madoguchi-gaiji-{digest}"

    def _get(self, face: Face) -> _LoadedFont:
        loaded = self._loaded.get(face)
        if loaded is None:
            with self._lock:
                loaded = self._loaded.get(face)
                if loaded is None:
                    loaded = _LoadedFont(self._names[face], self.paths[face])
                    self._loaded[face] = loaded
        return loaded

    def _get_gaiji(self) -> _LoadedFont | None:
        if self.gaiji is None:
            return None
        if self._gaiji_font is None:
            with self._lock:
                if self._gaiji_font is None:
                    self._gaiji_font = _LoadedFont(self._gaiji_name, self.gaiji.font, self.gaiji.codes)
        return self._gaiji_font

    def _table(self, face: Face) -> FaceTable:
        """The merged widths and fonts of ``face`` (its characters, then IPAmj明朝's), built once."""
        table = self._tables.get(face)
        if table is None:
            main = self._get(face)
            fallback = None if face is Face.MJ else self._get(Face.MJ)
            table = build_face_table(
                main.name,
                main.glyphs,
                main.widths,
                None if fallback is None else (fallback.name, fallback.glyphs, fallback.widths),
                (main.width_units(-1), fallback.width_units(-1) if fallback else 0.0),
            )
            with self._lock:
                self._tables[face] = table
        return table

    def preload(self) -> FontSet:
        """Parse every font now (IPAmj明朝 takes about half a second) instead of on first use."""
        for face in Face:
            self._get(face)
        self._get_gaiji()
        return self

    def reportlab_name(self, face: Face) -> str:
        """The name registered with reportlab (the font is parsed and registered if needed)."""
        return self._get(face).name

    def face_for(self, code_point: int, face: Face) -> Face:
        """``face`` if it has the character, else IPAmj明朝, else :class:`GlyphMissingError`."""
        if self._get(face).has(code_point):
            return face
        if face is not Face.MJ and self._get(Face.MJ).has(code_point):
            return Face.MJ
        raise GlyphMissingError(code_point)

    def _glyph_of(self, base: int, selector: int | None, face: Face) -> tuple[_LoadedFont, int]:
        """The font and the code point to write for one cluster (a character, or base + selector)."""
        gaiji = self._get_gaiji()
        registered = gaiji is not None and self.gaiji is not None and base in self.gaiji.codes
        if registered and selector is None and gaiji is not None and gaiji.has(base):
            return gaiji, base
        if selector is None or selector in IGNORABLE_SELECTORS:
            font = self._get(face)
            if font.has(base):
                return font, base
            chosen = self.face_for(base, face)
            return self._get(chosen), base
        for candidate in (face, Face.MJ) if face is not Face.MJ else (Face.MJ,):
            font = self._get(candidate)
            code = font.sequence_code(base, selector)
            if code is not None:
                return font, code
        raise GlyphMissingError(base, selector=selector)

    def runs(self, text: str, face: Face) -> list[tuple[str, str]]:
        """``text`` as (reportlab font name, run) pairs, falling back per character to IPAmj明朝.

        A variation sequence becomes the private code point of its glyph; a registered 外字 is written
        with the municipality's font.
        """
        if self.gaiji is None and not _SELECTORS.search(text):
            return self._plain_runs(text, face)
        result: list[tuple[str, str]] = []
        current: str | None = None
        run: list[str] = []
        for _, base, selector in clusters(text):
            font, code = self._glyph_of(base, selector, face)
            if font.name != current:
                if current is not None:
                    result.append((current, "".join(run)))
                current, run = font.name, []
            run.append(chr(code))
        if current is not None:
            result.append((current, "".join(run)))
        return result

    def _plain_runs(self, text: str, face: Face) -> list[tuple[str, str]]:
        """:meth:`runs` for text without selectors and no 外字 registered: one code point at a time."""
        table = self._table(face)
        if text and table.main_chars.issuperset(text):
            return [(table.main_name, text)]  # the usual line: every character in the face itself
        result: list[tuple[str, str]] = []
        names = table.names
        current: str | None = None
        start = 0
        for i, ch in enumerate(text):
            name = names.get(ord(ch))
            if name is None:
                raise GlyphMissingError(ord(ch))
            if name != current:
                if current is not None:
                    result.append((current, text[start:i]))
                current, start = name, i
        if current is not None:
            result.append((current, text[start:]))
        return result

    def advances(self, face: Face) -> Mapping[int, float] | None:
        """Code point → advance (1/1000 em) of ``face`` with its fallback, as :meth:`width` sums them for
        text without variation selectors; ``None`` when a 外字 font is registered (its code points
        are measured per character). Font data only, the same for every visit."""
        return None if self.gaiji is not None else self._table(face).widths

    def width(self, text: str, face: Face, size: float) -> float:
        """The advance width of ``text`` in points at ``size``, with the fallback face per character."""
        if self.gaiji is None and not _SELECTORS.search(text):
            widths = self._table(face).widths
            try:
                return sum([widths[ord(ch)] for ch in text]) * size / 1000.0
            except KeyError:
                for ch in text:
                    self.face_for(ord(ch), face)  # raises GlyphMissingError for the character
                raise
        main = self._get(face)
        total = 0.0
        for chars, base, selector in clusters(text):
            if selector is None and main.has(base) and (self.gaiji is None or base not in self.gaiji.codes):
                total += main.width_units(base)
                continue
            if len(chars) == 1 and is_variation_selector(base):
                raise GlyphMissingError(base)  # a selector with no base character
            font, code = self._glyph_of(base, selector, face)
            total += font.width_units(code)
        return total * size / 1000.0

    def check_text(self, text: str, face: Face = Face.MINCHO) -> None:
        """Raise :class:`GlyphMissingError` for the first character no embedded font can draw."""
        for _, base, selector in clusters(text):
            self._glyph_of(base, selector, face)


_default_lock = threading.Lock()
_default: dict[tuple[object, ...], FontSet] = {}


def load_fonts(
    extra_dirs: Iterable[Path] = (), *, system: bool = True, gaiji: Gaiji | None = None
) -> FontSet:
    """Find all three fonts (or raise :class:`FontMissingError`) and return the shared :class:`FontSet`.

    ``extra_dirs`` are searched first; ``system=False`` searches only them and ``MADOGUCHI_FONT_DIR``
    (how the installer's bundled fonts and the missing-font test are checked). ``gaiji`` is the
    municipality's registered 外字 (:func:`forms.gaiji.load_gaiji` on its catalog folder).
    """
    extra = tuple(Path(p) for p in extra_dirs)
    paths = {spec.face: find_font(spec, extra, system=system) for spec in FONT_SPECS}
    key: tuple[object, ...] = tuple(paths[f] for f in Face)
    if gaiji is not None:
        key += (gaiji.font, tuple(sorted(gaiji.codes.items())))
    with _default_lock:
        font_set = _default.get(key)
        if font_set is None:
            font_set = _default[key] = FontSet(paths, gaiji)
    return font_set
