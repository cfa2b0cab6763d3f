"""A municipality's registered 外字: a font file and the code points it draws, in its catalog folder.

The resident record (and the My Number card's text) can carry characters a municipality registered
itself, at private-use code points. To print them, the municipality puts in its catalog folder::

    gaiji/
      gaiji.yaml          # this map
      gaiji.ttf           # its 外字 font (TrueType)

``gaiji.yaml``::

    font: gaiji.ttf
    characters:
      - code: U+E001            # the code point the record carries (private use area)
        glyph: U+E001           # the font's code point for it (default: the same)
        name: 邉の異体字(登録番号0001)   # what it is, for the listing of ``catalog check``

:func:`load_gaiji` reads and checks the map (every problem as a Japanese sentence, in
:class:`GaijiError`); :func:`forms.load_fonts` takes the result (``gaiji=``), after which those code
points print with the municipality's glyphs and extract as the record's code points. Nothing else
changes: a code point not in the map that no font has is still refused by name.

Hook for the catalog tools: ``load_gaiji(catalog_dir / GAIJI_DIR)`` when that folder exists
(``madoguchi forms render`` and the kiosk print with it; ``madoguchi catalog check`` checks it and
lists the registered characters, each problem as ``gaiji/gaiji.yaml:line: message``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from reportlab.pdfbase.ttfonts import TTFError, TTFontFile

from forms.errors import FormsError

GAIJI_DIR = "gaiji"
GAIJI_MAP = "gaiji.yaml"
_CODE = re.compile(r"^U\+([0-9A-Fa-f]{4,6})$")
# Private use areas a 外字 may use; U+10F000–U+10FFFD is kept for the variation sequences of forms.fonts.
PRIVATE_USE = ((0xE000, 0xF8FF), (0xF0000, 0xFFFFD), (0x100000, 0x10EFFF))


class GaijiError(FormsError):
    """The municipality's 外字 folder is not usable; ``problems`` are Japanese sentences, ``lines`` the
    line of ``gaiji.yaml`` each is about (0 when it is about the folder or the whole file)."""

    def __init__(self, folder: Path, problems: list[str], lines: list[int] | None = None) -> None:
        self.folder = folder
        self.problems = tuple(problems)
        self.lines = tuple(lines) if lines is not None else (0,) * len(self.problems)
        super().__init__(f"{folder}: " + "; ".join(self.problems))


@dataclass(frozen=True)
class Gaiji:
    font: Path
    codes: dict[int, int]  # the record's code point → the font's code point
    names: dict[int, str] = field(default_factory=dict)


def _lines(text: str) -> tuple[int, list[int]]:
    """The line of the ``font`` key and of each ``characters`` entry (1-based; 0 when not found)."""
    try:
        root = yaml.compose(text)
    except yaml.YAMLError:
        return 0, []
    font_line, entries = 0, []
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if key.value == "font":
                font_line = key.start_mark.line + 1
            elif key.value == "characters" and isinstance(value, yaml.SequenceNode):
                entries = [item.start_mark.line + 1 for item in value.value]
    return font_line, entries


def _code(value: object) -> int | None:
    match = _CODE.match(str(value)) if isinstance(value, str) else None
    return int(match.group(1), 16) if match else None


def _font(folder: Path, name: object) -> tuple[Path, dict[int, int], str]:
    """The font file, its character map, and a problem (or "")."""
    font = folder / str(name or "")
    if not name or not font.is_file():
        return font, {}, f"外字のフォントファイル「{name or ''}」が {folder} にありません"
    try:
        return font, TTFontFile(str(font)).charToGlyph, ""
    except (TTFError, OSError, ValueError):
        return font, {}, f"外字のフォントファイル「{font.name}」を TrueType フォントとして読めません"


def load_gaiji(folder: Path) -> Gaiji:
    """Read ``folder/gaiji.yaml`` and its font; :class:`GaijiError` lists every problem found."""
    map_file = folder / GAIJI_MAP
    if not map_file.is_file():
        raise GaijiError(folder, [f"{GAIJI_MAP} がありません"])
    try:
        data = yaml.safe_load(map_file.read_text(encoding="utf-8"))
    except yaml.YAMLError:
        raise GaijiError(folder, [f"{GAIJI_MAP} の YAML の書式が正しくありません"]) from None
    if not isinstance(data, dict):
        raise GaijiError(folder, [f"{GAIJI_MAP} は font と characters のマッピングにしてください"])
    problems: list[str] = []
    lines: list[int] = []
    font_line, entry_lines = _lines(map_file.read_text(encoding="utf-8"))

    def problem(message: str, line: int = 0) -> None:
        problems.append(message)
        lines.append(line)

    font, cmap, font_problem = _font(folder, data.get("font"))
    if font_problem:
        problem(font_problem, font_line)
    entries = data.get("characters")
    if not isinstance(entries, list) or not entries:
        problem("characters に外字を1つ以上書いてください")
        entries = []
    codes: dict[int, int] = {}
    names: dict[int, str] = {}
    for n, entry in enumerate(entries, start=1):
        line = entry_lines[n - 1] if n <= len(entry_lines) else 0
        if not isinstance(entry, dict):
            problem(f"characters の {n} 番目が code と name のマッピングではありません", line)
            continue
        code = _code(entry.get("code"))
        glyph = _code(entry.get("glyph", entry.get("code")))
        if code is None or glyph is None:
            problem(f"characters の {n} 番目: code・glyph は U+E001 の形で書いてください", line)
            continue
        if not any(start <= code <= end for start, end in PRIVATE_USE):
            problem(
                f"characters の {n} 番目: U+{code:04X} は私用領域ではありません"
                "(外字は U+E000–U+F8FF、U+F0000–U+10EFFF に登録してください)",
                line,
            )
            continue
        if code in codes:
            problem(f"characters の {n} 番目: U+{code:04X} が2回登録されています", line)
            continue
        if cmap and not cmap.get(glyph):
            problem(
                f"characters の {n} 番目: フォント「{font.name}」に U+{glyph:04X} の字形がありません",
                line,
            )
            continue
        codes[code] = glyph
        names[code] = str(entry.get("name", ""))
    if problems:
        raise GaijiError(folder, problems, lines)
    return Gaiji(font, codes, names)
