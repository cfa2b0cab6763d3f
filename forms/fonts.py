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
"""

from __future__ import annotations

import enum
import hashlib
import os
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics

from forms.errors import FontMissingError, GlyphMissingError
from forms.fastsubset import share_glyf_table
from forms.tounicode import UnicodeSafeTTFont

FONT_DIR_ENV = "MADOGUCHI_FONT_DIR"


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
    __slots__ = ("_widths_default", "font", "glyphs", "name", "widths")

    def __init__(self, name: str, path: Path) -> None:
        self.name = name
        self.font = UnicodeSafeTTFont(name, str(path))
        share_glyf_table(self.font.face)
        pdfmetrics.registerFont(self.font)
        # reportlab makes a second font of an already registered face (e.g. "IPAmjMincho" registered by
        # other code) an alias of the first one, which would bypass the ToUnicode fix: insist on ours.
        if pdfmetrics.getFont(name) is not self.font:
            pdfmetrics._fonts[name] = self.font
        face = self.font.face
        self.glyphs: dict[int, int] = face.charToGlyph
        self._widths_default = face.defaultWidth
        self.widths: dict[int, float] = face.charWidths

    def has(self, code_point: int) -> bool:
        return bool(self.glyphs.get(code_point))

    def width_units(self, code_point: int) -> float:
        return float(self.widths.get(code_point, self._widths_default))


class FontSet:
    """The three faces, their reportlab names, per-character fallback and text widths."""

    def __init__(self, paths: dict[Face, Path]) -> None:
        self.paths = dict(paths)
        self._lock = threading.Lock()
        self._loaded: dict[Face, _LoadedFont] = {}
        digest = hashlib.sha1(
            "|".join(str(paths[f]) for f in Face).encode(), usedforsecurity=False
        ).hexdigest()[:8]
        self._names = {face: f"Madoguchi-{face.value}-{digest}" for face in Face}

    def _get(self, face: Face) -> _LoadedFont:
        loaded = self._loaded.get(face)
        if loaded is None:
            with self._lock:
                loaded = self._loaded.get(face)
                if loaded is None:
                    loaded = _LoadedFont(self._names[face], self.paths[face])
                    self._loaded[face] = loaded
        return loaded

    def preload(self) -> FontSet:
        """Parse every font now (IPAmj明朝 takes about half a second) instead of on first use."""
        for face in Face:
            self._get(face)
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

    def runs(self, text: str, face: Face) -> list[tuple[str, str]]:
        """``text`` as (reportlab font name, run) pairs, falling back per character to IPAmj明朝."""
        result: list[tuple[str, str]] = []
        current: Face | None = None
        start = 0
        for i, ch in enumerate(text):
            chosen = self.face_for(ord(ch), face)
            if chosen is not current:
                if current is not None:
                    result.append((self._names[current], text[start:i]))
                current, start = chosen, i
        if current is not None:
            result.append((self._names[current], text[start:]))
        return result

    def width(self, text: str, face: Face, size: float) -> float:
        """The advance width of ``text`` in points at ``size``, with the fallback face per character."""
        main = self._get(face)
        total = 0.0
        for ch in text:
            cp = ord(ch)
            font = main if main.has(cp) else self._get(self.face_for(cp, face))
            total += font.width_units(cp)
        return total * size / 1000.0

    def check_text(self, text: str, face: Face = Face.MINCHO) -> None:
        """Raise :class:`GlyphMissingError` for the first character no embedded font can draw."""
        for ch in text:
            self.face_for(ord(ch), face)


_default_lock = threading.Lock()
_default: dict[tuple[Path, ...], FontSet] = {}


def load_fonts(extra_dirs: Iterable[Path] = (), *, system: bool = True) -> FontSet:
    """Find all three fonts (or raise :class:`FontMissingError`) and return the shared :class:`FontSet`.

    ``extra_dirs`` are searched first; ``system=False`` searches only them and ``MADOGUCHI_FONT_DIR``
    (how the installer's bundled fonts and the missing-font test are checked).
    """
    extra = tuple(Path(p) for p in extra_dirs)
    paths = {spec.face: find_font(spec, extra, system=system) for spec in FONT_SPECS}
    key = tuple(paths[f] for f in Face)
    with _default_lock:
        font_set = _default.get(key)
        if font_set is None:
            font_set = _default[key] = FontSet(paths)
    return font_set
