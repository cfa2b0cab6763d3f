"""Text in the residents' languages: fonts per script, shaping, line breaking and ruby (furigana).

The guide sheet is printed in the resident's language beside the Japanese. IPAexゴシック covers
Japanese; the other scripts come from Debian's font packages (found like the IPAex fonts, see
:func:`forms.fonts.find_font`) and are embedded as subsets:

| script | font | Debian package |
|---|---|---|
| Latin (English, Tiếng Việt, Português, Filipino, Bahasa Indonesia) | Noto Sans | fonts-noto-core |
| Devanagari (नेपाली) | Noto Sans Devanagari | fonts-noto-core |
| Hangul (한국어) | Nanum Gothic | fonts-nanum |
| simplified Chinese (中文) | WenQuanYi Micro Hei | fonts-wqy-microhei |

* Each language has a chain of fonts; every character is drawn with the first font of the chain whose
  cmap has it (Japanese kanji and kana — the official names kept in parentheses — with IPAex in every
  language but Chinese), a combining mark with the font of its base. A character no font of the
  chain has is :class:`~forms.errors.GlyphMissingError`, never a blank or a tofu box.
* Devanagari needs shaping (conjuncts, the vowel sign ि drawn before its consonant, marks above and
  below): runs in Noto Sans Devanagari are shaped with HarfBuzz (``uharfbuzz``) and drawn glyph by
  glyph at HarfBuzz's positions; a glyph without a character of its own (a conjunct) is written
  through a private code point of the subset. Every line is a marked-content span with
  ``/ActualText``, so text extraction returns the characters in their logical order.
* Line breaking: Latin, Devanagari and Hangul break at spaces only (no break inside a word, a
  Devanagari cluster or a Korean word); Japanese and Chinese break between characters with 禁則
  (closing punctuation never starts a line, opening brackets never end one; Latin words stay whole).
  Only a single word wider than the line is broken, between grapheme clusters.
* やさしい日本語 carries furigana as ``漢字《かんじ》`` (the kanji run before 《》) or
  ``｜ひらがなを含む語《よみ》``; the ruby is printed above its base at half size and the base and its
  ruby never break apart.
"""

from __future__ import annotations

import hashlib
import re
import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.pdfbase import pdfmetrics

from forms.errors import GlyphMissingError
from forms.fastsubset import share_glyf_table
from forms.fitting import NO_LINE_END, NO_LINE_START
from forms.fonts import Face, FontSet, FontSpec, find_font
from forms.pdfwriter import PdfCanvas
from forms.tounicode import UnicodeSafeTTFont

try:  # HarfBuzz is needed for Devanagari only; its absence is reported when such text is drawn.
    import uharfbuzz as hb
except ImportError:  # pragma: no cover - a dependency of the project
    hb = None


@dataclass(frozen=True, slots=True)
class ScriptFontSpec:
    key: str
    spec: FontSpec
    subfont_index: int = 0
    shaped: bool = False


def _spec(family: str, file_name: str, package: str, package_dir: str) -> FontSpec:
    # FontSpec's face is only used by the IPAex fonts' FontSet; the script fonts are keyed by script.
    return FontSpec(Face.GOTHIC, family, file_name, package, package_dir)


SCRIPT_FONTS: dict[str, ScriptFontSpec] = {
    "latin": ScriptFontSpec(
        "latin",
        _spec("Noto Sans", "NotoSans-Regular.ttf", "fonts-noto-core", "/usr/share/fonts/truetype/noto"),
    ),
    "devanagari": ScriptFontSpec(
        "devanagari",
        _spec(
            "Noto Sans Devanagari",
            "NotoSansDevanagari-Regular.ttf",
            "fonts-noto-core",
            "/usr/share/fonts/truetype/noto",
        ),
        shaped=True,
    ),
    "hangul": ScriptFontSpec(
        "hangul", _spec("Nanum Gothic", "NanumGothic.ttf", "fonts-nanum", "/usr/share/fonts/truetype/nanum")
    ),
    "hans": ScriptFontSpec(
        "hans",
        _spec(
            "WenQuanYi Micro Hei", "wqy-microhei.ttc", "fonts-wqy-microhei", "/usr/share/fonts/truetype/wqy"
        ),
    ),
}
GOTHIC = "gothic"  # IPAexゴシック of the FontSet (with IPAmj明朝 behind it)

LANGUAGE_FONTS: dict[str, tuple[str, ...]] = {
    "ja": (GOTHIC,),
    "ja-easy": (GOTHIC,),
    "en": ("latin", GOTHIC),
    "vi": ("latin", GOTHIC),
    "pt-BR": ("latin", GOTHIC),
    "fil": ("latin", GOTHIC),
    "id": ("latin", GOTHIC),
    "zh-Hans": ("hans", GOTHIC, "latin"),
    "ko": ("hangul", GOTHIC, "latin"),
    "ne": ("devanagari", "latin", GOTHIC),
}
"""Per language, the fonts tried for each character in order (after the Japanese rule below)."""

# Per language: the chain, and the chain for a Japanese character (IPAex first except in Chinese).
_CHAINS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    language: (
        chain,
        (GOTHIC, *[k for k in chain if k != GOTHIC]) if language != "zh-Hans" and GOTHIC in chain else chain,
    )
    for language, chain in LANGUAGE_FONTS.items()
}

# Lines: leading as a multiple of the size (Devanagari has marks far above and below the line).
LINE_PITCH: dict[str, float] = {"ne": 1.5, "vi": 1.3}
DEFAULT_PITCH = 1.2
RUBY_SCALE = 0.5  # furigana at half the base size (JIS X 4051)

_RUBY = re.compile(r"｜([^｜《》]+)《([^《》]+)》|([\u3400-\u9fff\uf900-\ufaff々〆ヶ]+)《([^《》]+)》")
_VIRAMA = "\u094d"
_JOINERS = "\u200c\u200d"


def is_japanese(ch: str) -> bool:
    """Kanji, kana and the Japanese/CJK punctuation: drawn with IPAex in every language but Chinese."""
    cp = ord(ch)
    return (
        0x3000 <= cp <= 0x30FF
        or 0x3400 <= cp <= 0x9FFF
        or 0xF900 <= cp <= 0xFAFF
        or 0xFF00 <= cp <= 0xFFEF
        or 0x20000 <= cp <= 0x3FFFF
    )


_JAPANESE = re.compile("[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0003ffff]")


def is_cjk(ch: str) -> bool:
    """Characters between which CJK text may break (not Hangul: Korean breaks at spaces)."""
    return is_japanese(ch)


def _combining(ch: str) -> bool:
    if ch < "\u0300":  # no mark, joiner or selector below the combining diacritical marks
        return False
    return unicodedata.category(ch) in ("Mn", "Mc", "Me") or ch in _JOINERS or 0xFE00 <= ord(ch) <= 0xFE0F


# ---------------------------------------------------------------- ruby markup


@dataclass(frozen=True, slots=True)
class Atom:
    """An unbreakable unit of a line: one character, or a base with its ruby."""

    text: str
    ruby: str = ""


def parse_ruby(text: str) -> list[Atom]:
    """``text`` as atoms: every character alone, a base with ruby as one atom."""
    atoms: list[Atom] = []
    position = 0
    for match in _RUBY.finditer(text):
        atoms += [Atom(ch) for ch in text[position : match.start()]]
        base = match.group(1) or match.group(3)
        ruby = match.group(2) or match.group(4)
        atoms.append(Atom(base, ruby))
        position = match.end()
    atoms += [Atom(ch) for ch in text[position:]]
    return atoms


def plain_text(text: str) -> str:
    """The text without its ruby markup (what a reader of the line sees, and what extraction gives)."""
    return "".join(a.text for a in parse_ruby(text))


# ---------------------------------------------------------------- fonts


class _ScriptFont:
    """One embedded script font: cmap, widths, and (for shaped scripts) HarfBuzz and private codes."""

    PRIVATE_FIRST = 0x100000  # plane 16: one private code point per glyph without a character

    def __init__(self, name: str, path: Path, spec: ScriptFontSpec) -> None:
        self.name = name
        self.spec = spec
        self.font = UnicodeSafeTTFont(name, str(path), subfont_index=spec.subfont_index)
        share_glyf_table(self.font.face)
        pdfmetrics.registerFont(self.font)
        if pdfmetrics.getFont(name) is not self.font:
            pdfmetrics._fonts[name] = self.font
        face = self.font.face
        self.glyphs: dict[int, int] = face.charToGlyph
        self.widths: dict[int, float] = face.charWidths
        self.default_width = float(face.defaultWidth)
        self.upem = float(face.unitsPerEm)
        self._lock = threading.Lock()
        self._glyph_codes: dict[int, int] = {}
        for cp, gid in sorted(self.glyphs.items(), reverse=True):
            self._glyph_codes[gid] = cp  # the lowest code point of each glyph (reverse cmap)
        self._hb_font: Any = None
        if spec.shaped:
            if hb is None:  # pragma: no cover
                raise GlyphMissingError(0x094D)
            blob = hb.Blob.from_file_path(str(path))
            self._hb_font = hb.Font(hb.Face(blob, spec.subfont_index))

    def has(self, cp: int) -> bool:
        return bool(self.glyphs.get(cp))

    def width_units(self, cp: int) -> float:
        return float(self.widths.get(cp, self.default_width))

    def code_for_glyph(self, gid: int) -> int:
        """A code point of the subset that draws glyph ``gid`` (a private one for a conjunct …)."""
        code = self._glyph_codes.get(gid)
        if code is not None:
            return code
        with self._lock:
            code = self._glyph_codes.get(gid)
            if code is None:
                code = self.PRIVATE_FIRST + gid
                face = self.font.face
                advance = face.hmetrics[gid][0] if gid < len(face.hmetrics) else face.hmetrics[-1][0]
                self.widths[code] = advance * 1000.0 / face.unitsPerEm
                self.glyphs[code] = gid
                self._glyph_codes[gid] = code
        return code

    def shape(self, text: str) -> list[tuple[int, float, float, float]]:
        """(code point to write, x advance, x offset, y offset) per glyph, in 1/1000 em."""
        buf = hb.Buffer()
        buf.add_str(text)
        buf.guess_segment_properties()
        hb.shape(self._hb_font, buf, {"kern": True, "liga": True})
        scale = 1000.0 / self.upem
        out = []
        for info, pos in zip(buf.glyph_infos, buf.glyph_positions, strict=True):
            if info.codepoint == 0:
                raise GlyphMissingError(ord(text[info.cluster]))
            out.append(
                (
                    self.code_for_glyph(info.codepoint),
                    pos.x_advance * scale,
                    pos.x_offset * scale,
                    pos.y_offset * scale,
                )
            )
        return out


class ScriptFonts:
    """The fonts of every resident's language over a :class:`FontSet`; each is parsed on first use.

    :meth:`check_available` finds every file at once (``FontMissingError`` names the Debian package).
    """

    def __init__(self, fonts: FontSet, extra_dirs: Sequence[Path] = (), *, system: bool = True) -> None:
        self.fonts = fonts
        self.extra_dirs = tuple(extra_dirs)
        self.system = system
        self._lock = threading.Lock()
        self._loaded: dict[str, _ScriptFont] = {}
        self._paths: dict[str, Path] = {}

    def path(self, key: str) -> Path:
        path = self._paths.get(key)
        if path is None:
            path = self._paths[key] = find_font(SCRIPT_FONTS[key].spec, self.extra_dirs, system=self.system)
        return path

    def check_available(self, languages: Sequence[str] | None = None) -> None:
        keys = {k for lang in (languages or LANGUAGE_FONTS) for k in LANGUAGE_FONTS[lang] if k != GOTHIC}
        for key in sorted(keys):
            self.path(key)

    def font(self, key: str) -> _ScriptFont:
        loaded = self._loaded.get(key)
        if loaded is None:
            with self._lock:
                loaded = self._loaded.get(key)
                if loaded is None:
                    path = self.path(key)
                    digest = hashlib.sha1(str(path).encode(), usedforsecurity=False).hexdigest()[:8]
                    loaded = _ScriptFont(f"Madoguchi-{key}-{digest}", path, SCRIPT_FONTS[key])
                    self._loaded[key] = loaded
        return loaded

    def embedded_files(self) -> dict[str, Path]:
        """reportlab name → file of every script font used so far (for tests and the installer)."""
        return {f.name: self._paths[k] for k, f in self._loaded.items()}

    # -- choosing a font per character

    def _chain(self, language: str, ch: str) -> tuple[str, ...]:
        chain, japanese = _CHAINS.get(language, _CHAINS["en"])
        return japanese if is_japanese(ch) else chain

    def _has(self, key: str, cp: int) -> bool:
        if key == GOTHIC:
            advances = self.fonts.advances(Face.GOTHIC)
            if advances is not None and cp in advances:  # IPAexゴシック or IPAmj明朝 draws it
                return True
            try:
                self.fonts.face_for(cp, Face.GOTHIC)
            except GlyphMissingError:
                return False
            return True
        return self.font(key).has(cp)

    def keys(self, text: str, language: str) -> list[str | None]:
        """The font key of each character of ``text`` (``None``: not printed); a combining mark and a
        space take the key of the character before them. A character's key depends only on the text
        before it, so the keys of a line are those of its paragraph (see :meth:`wrap`)."""
        first = self._first_for_all(text, language)
        if first is not None:
            return [first] * len(text)
        keys: list[str | None] = []
        current: str | None = None
        chosen: dict[str, str] = {}  # per call: the fonts of characters already seen in this text
        for ch in text:
            if current is not None and (_combining(ch) or ch == " "):
                if _combining(ch) and not self._has(current, ord(ch)) and not ch.isspace():
                    if 0xFE00 <= ord(ch) <= 0xFE0F:
                        keys.append(None)  # a presentation selector: the base glyph is printed
                        continue
                    raise GlyphMissingError(ord(ch))
                keys.append(current)
                continue
            key = chosen.get(ch)
            if key is None:
                for key in self._chain(language, ch):
                    if self._has(key, ord(ch)):
                        break
                else:
                    raise GlyphMissingError(ord(ch))
                chosen[ch] = key
            keys.append(key)
            current = key
        return keys

    def _first_for_all(self, text: str, language: str) -> str | None:
        """The first font of the language's chain when it is every character's font in :meth:`keys`:
        it has them all and none is a Japanese character that another font comes first for."""
        if not text:
            return None
        chain, japanese = _CHAINS.get(language, _CHAINS["en"])
        first = chain[0]
        if japanese[0] != first and _JAPANESE.search(text):
            return None
        if first == GOTHIC:
            advances = self.fonts.advances(Face.GOTHIC)
            return first if advances is not None and all(map(advances.__contains__, map(ord, text))) else None
        return first if all(map(self.font(first).glyphs.get, map(ord, text))) else None

    def runs(self, text: str, language: str) -> list[tuple[str, str]]:
        """``text`` as (font key, run) pairs; a combining mark stays in the run of its base."""
        first = self._first_for_all(text, language)
        if first is not None:
            return [(first, text)]  # every character's key (see keys)
        return _grouped(text, self.keys(text, language))

    # -- measuring and drawing

    def _run_width(self, key: str, run: str, size: float) -> float:
        if key == GOTHIC:
            return self.fonts.width(run, Face.GOTHIC, size)
        font = self.font(key)
        if font.spec.shaped:
            return sum(g[1] for g in font.shape(run)) * size / 1000.0
        return sum(map(font.width_units, map(ord, run))) * size / 1000.0

    def width(self, text: str, language: str, size: float) -> float:
        """Width in points of plain text (no ruby markup)."""
        return sum(self._run_width(key, run, size) for key, run in self.runs(text, language))

    def _keyed_width(self, text: str, keys: Sequence[str | None], size: float) -> float:
        """:meth:`width` of ``text`` whose :meth:`keys` are known (the same runs, the same sums)."""
        return 0.0 + sum(self._run_width(key, run, size) for key, run in _grouped(text, keys))

    def atoms_width(self, atoms: Sequence[Atom], language: str, size: float) -> float:
        total = 0.0
        plain: list[str] = []
        for atom in atoms:
            if atom.ruby:
                if plain:
                    total += self.width("".join(plain), language, size)
                    plain = []
                total += max(
                    self.width(atom.text, language, size),
                    self.width(atom.ruby, language, size * RUBY_SCALE),
                )
            else:
                plain.append(atom.text)
        if plain:
            total += self.width("".join(plain), language, size)
        return total

    def draw_text(
        self, canvas: PdfCanvas, x: float, baseline: float, text: str, language: str, size: float
    ) -> float:
        """Plain text at a baseline (points, from the bottom); returns the advance."""
        for key, run in self.runs(text, language):
            if key == GOTHIC:
                t = canvas.beginText(x, baseline)
                for font_name, piece in self.fonts.runs(run, Face.GOTHIC):
                    t.setFont(font_name, size)
                    t.textOut(piece)
                canvas.drawText(t)
                x += self.fonts.width(run, Face.GOTHIC, size)
                continue
            font = self.font(key)
            t = canvas.beginText(x, baseline)
            t.setFont(font.name, size)
            if font.spec.shaped:
                pen = x
                for code, advance, x_off, y_off in font.shape(run):
                    t.setTextOrigin(pen + x_off * size / 1000.0, baseline + y_off * size / 1000.0)
                    t.textOut(chr(code))
                    pen += advance * size / 1000.0
                canvas.drawText(t)
                x = pen
            else:
                t.textOut(run)
                canvas.drawText(t)
                x += sum(font.width_units(ord(ch)) for ch in run) * size / 1000.0
        return x

    def draw_line(
        self, canvas: PdfCanvas, x: float, baseline: float, atoms: Sequence[Atom], language: str, size: float
    ) -> None:
        """One line of atoms (ruby above its base), as one span whose ActualText is the plain text."""
        text = "".join(a.text for a in atoms).rstrip()
        utf16 = text.encode("utf-16-be", "surrogatepass").hex().upper()
        canvas.addLiteral(f"/Span <</ActualText <FEFF{utf16}>>> BDC")
        plain: list[str] = []

        def flush(x: float) -> float:
            if plain:
                x = self.draw_text(canvas, x, baseline, "".join(plain), language, size)
                plain.clear()
            return x

        for atom in atoms:
            if not atom.ruby:
                plain.append(atom.text)
                continue
            x = flush(x)
            base_w = self.width(atom.text, language, size)
            ruby_size = size * RUBY_SCALE
            ruby_w = self.width(atom.ruby, language, ruby_size)
            unit = max(base_w, ruby_w)
            self.draw_text(canvas, x + (unit - base_w) / 2, baseline, atom.text, language, size)
            self.draw_text(
                canvas, x + (unit - ruby_w) / 2, baseline + size * 0.95, atom.ruby, language, ruby_size
            )
            x += unit
        flush(x)
        canvas.addLiteral("EMC")

    # -- line breaking

    def wrap(self, text: str, language: str, size: float, max_width: float) -> list[list[Atom]]:
        """Lines of one paragraph (each a list of atoms) no wider than ``max_width`` points."""
        atoms = parse_ruby(text) if language == "ja-easy" else [Atom(ch) for ch in text]
        n = len(atoms)
        # Atoms of one character each (every language but やさしい日本語): the fonts are chosen once
        # for the paragraph instead of once per candidate line (a line never starts with a space or
        # a mark, so its characters take the same fonts as in the paragraph).
        keys = self.keys(text, language) if language != "ja-easy" else None
        if keys is not None and n and self._fits_whole(atoms, text, keys, size, max_width):
            return [atoms]
        allowed = [False] + [_may_break(atoms[i - 1], atoms[i]) for i in range(1, n)] + [True]
        measure: _LineMeasure | _AtomMeasure | None = None

        def fits(start: int, end: int) -> bool:
            nonlocal measure
            while end > start and atoms[end - 1].text == " ":
                end -= 1
            if measure is None or measure.start != start or end < measure.pos:
                measure = (
                    _AtomMeasure(self, atoms, language, size, start)
                    if keys is None
                    else _LineMeasure(self, text, keys, size, start)
                )
            return measure.width(end) <= max_width + 1e-6

        lines: list[list[Atom]] = []
        start = 0
        while start < n:
            best: int | None = None
            for end in range(start + 1, n + 1):
                if not allowed[end]:
                    continue
                if fits(start, end):
                    best = end
                else:
                    break
            if best is None:  # one word is wider than the line: break it between clusters
                best = start + 1
                for end in range(start + 2, n + 1):
                    if _cluster_boundary(atoms, end) and fits(start, end):
                        best = end
                    elif not fits(start, end):
                        break
                while best < n and not _cluster_boundary(atoms, best):
                    best += 1
            lines.append(atoms[start:best])
            start = best
            while start < n and atoms[start].text == " ":
                start += 1
        return lines or [[]]

    def _fits_whole(
        self, atoms: Sequence[Atom], text: str, keys: Sequence[str | None], size: float, max_width: float
    ) -> bool:
        """Whether :meth:`wrap` keeps the paragraph on one line, decided by measuring it once: without
        shaping a longer line is never narrower, so when the whole fits, every shorter line the loop
        tries fits too and it ends with the whole, measured the same way."""
        if any(k != GOTHIC and self.font(k).spec.shaped for k in set(keys) if k):
            return False
        end = len(atoms)
        while end and atoms[end - 1].text == " ":
            end -= 1
        return _LineMeasure(self, text, keys, size, 0).width(end) <= max_width + 1e-6

    def _fits(self, atoms: Sequence[Atom], language: str, size: float, max_width: float) -> bool:
        end = len(atoms)
        while end and atoms[end - 1].text == " ":
            end -= 1
        return self.atoms_width(atoms[:end], language, size) <= max_width + 1e-6

    def line_pitch(self, language: str, size: float) -> float:
        """Distance between baselines, in points (with room for ruby in やさしい日本語)."""
        pitch = size * LINE_PITCH.get(language, DEFAULT_PITCH)
        return pitch + (size * RUBY_SCALE if language == "ja-easy" else 0.0)


class _LineMeasure:
    """Widths of ``text[start:end]`` for growing ``end``, each equal to ``ScriptFonts.width`` of it.

    The runs before the last are summed once; the last run is measured again only when its font is
    shaped (HarfBuzz) or the IPAex face; for other fonts its advance units are added up as they come,
    in the same order as :meth:`ScriptFonts._run_width` adds them.
    """

    def __init__(self, scripts: ScriptFonts, text: str, keys: Sequence[str | None], size: float, start: int):
        self.scripts = scripts
        self.text = text
        self.keys = keys
        self.size = size
        self.start = start
        self.pos = start
        self.closed: float = 0
        self.key: str | None = None
        self.run: list[str] = []
        self.units: float = 0
        self.additive = False
        self.font: _ScriptFont | None = None  # the last run's font when its advances are added up

    def _last(self) -> float:
        if self.key is None:
            return 0.0
        if self.additive:
            return self.units * self.size / 1000.0
        return self.scripts._run_width(self.key, "".join(self.run), self.size)

    def width(self, end: int) -> float:
        scripts = self.scripts
        for i in range(self.pos, end):
            key = self.keys[i]
            if key is None:
                continue
            ch = self.text[i]
            if key != self.key:
                if self.key is not None:
                    self.closed += self._last()
                self.key = key
                self.run = []
                self.units = 0
                self.additive = key != GOTHIC and not scripts.font(key).spec.shaped
                self.font = scripts.font(key) if self.additive else None
            self.run.append(ch)
            if self.font is not None:
                self.units += self.font.width_units(ord(ch))
        self.pos = end
        return 0.0 + (self.closed + self._last() if self.key is not None else self.closed)


class _AtomMeasure:
    """:meth:`ScriptFonts.atoms_width` of ``atoms[start:end]`` for growing ``end`` (やさしい日本語:
    atoms with ruby among single characters), with the same additions in the same order: the text
    between two ruby atoms is one segment measured as :meth:`ScriptFonts.width` measures it."""

    def __init__(self, scripts: ScriptFonts, atoms: Sequence[Atom], language: str, size: float, start: int):
        self.scripts = scripts
        self.atoms = atoms
        self.language = language
        self.size = size
        self.start = start
        self.pos = start
        self.total = 0.0  # everything before the open segment
        self.segment: _LineMeasure | None = None
        self.segment_start = start

    def _open_segment(self, at: int) -> _LineMeasure:
        end = at
        while end < len(self.atoms) and not self.atoms[end].ruby:
            end += 1
        text = "".join(a.text for a in self.atoms[at:end])
        keys = self.scripts.keys(text, self.language)
        return _LineMeasure(self.scripts, text, keys, self.size, 0)

    def width(self, end: int) -> float:
        s = self.scripts
        for i in range(self.pos, end):
            atom = self.atoms[i]
            if atom.ruby:
                if self.segment is not None:
                    self.total += self.segment.width(i - self.segment_start)
                    self.segment = None
                self.total += max(
                    s.width(atom.text, self.language, self.size),
                    s.width(atom.ruby, self.language, self.size * RUBY_SCALE),
                )
            elif self.segment is None:
                self.segment = self._open_segment(i)
                self.segment_start = i
        self.pos = end
        if self.segment is None:
            return self.total
        return self.total + self.segment.width(end - self.segment_start)


def _grouped(text: str, keys: Sequence[str | None]) -> list[tuple[str, str]]:
    """Consecutive characters with the same key as one run; characters without a key left out."""
    result: list[tuple[str, str]] = []
    for ch, key in zip(text, keys, strict=True):
        if key is None:
            continue
        if result and result[-1][0] == key:
            result[-1] = (key, result[-1][1] + ch)
        else:
            result.append((key, ch))
    return result


_NO_START = NO_LINE_START | set("”’》〉」』】〕）")
_NO_END = NO_LINE_END | set("“‘《〈「『【〔（")


def _may_break(before: Atom, after: Atom) -> bool:
    """Whether a line may end between two atoms."""
    a = before.text[-1]
    b = after.text[0]
    if b == " " or _combining(b) or a == _VIRAMA or a in _JOINERS:
        return False
    if a == " ":
        return b not in _NO_START
    if before.ruby or after.ruby or is_cjk(a) or is_cjk(b):
        if b in _NO_START or a in _NO_END:
            return False
        return not (a.isascii() and a.isalnum() and b.isascii() and b.isalnum())
    return False


def _cluster_boundary(atoms: Sequence[Atom], index: int) -> bool:
    """Whether ``index`` is between two grapheme clusters (a conjunct or a mark is never split)."""
    if index <= 0 or index >= len(atoms):
        return True
    a = atoms[index - 1].text[-1]
    b = atoms[index].text[0]
    return not (_combining(b) or a == _VIRAMA or a in _JOINERS)
