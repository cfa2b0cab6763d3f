"""Fitting text into a box: shrink to the minimum size, then wrap; report failure, never clip.

1. Shrink: the largest size from the nominal size down to ``min_size`` (in 0.5 pt steps) at which the
   text takes at most the box's designed number of lines.
2. Wrap: if even ``min_size`` needs more lines, the largest size at which the text, wrapped onto as many
   lines as the box height allows, fits.
3. Otherwise :func:`fit_text` returns ``None`` and the caller raises an error naming form and field.

Lines break between characters with the basic Japanese line-breaking rules (禁則処理): closing
brackets and punctuation never start a line, opening brackets never end one, and runs of Latin
letters and digits (a room number, "1-2-3") stay together unless a run alone is wider than the box.
Concatenating the lines of a paragraph gives the paragraph back exactly (spaces stay at line ends).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from forms.fonts import Face, FontSet, has_variation_selectors, is_variation_selector

# The smallest size the clerk may accept for a value that does not fit at its layout's minimum: 5 pt is
# the ruby (furigana) size of 10 pt body text in Japanese typesetting (JIS X 4051: ruby is half the
# base size), the smallest Japanese print a form reader is expected to read.
LEGIBLE_MIN_PT = 5.0
LEADING = 1.15  # line pitch as a multiple of the font size
STEP = 0.5
ASCENT = 0.88  # IPAex and IPAmj: ascent 880, descent -120 per 1000 units (poppler's text boxes)

NO_LINE_START = set(
    "、。，．,.・：；:;？！?!ー―‐-）)］]｝}〕〉》」』】〙〗ゝゞヽヾ々"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ％%"
)
NO_LINE_END = set("（(［[｛{〔〈《「『【〘〖￥$＃#")
_UNBREAKABLE = re.compile(r"[A-Za-z0-9０-９Ａ-Ｚａ-ｚ][A-Za-z0-9０-９Ａ-Ｚａ-ｚ\-－.@/_'#]*")
_RAW_TOKENS = re.compile(_UNBREAKABLE.pattern + "|.", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Fitted:
    size: float
    lines: tuple[str, ...]

    @property
    def height_pt(self) -> float:
        return block_height(len(self.lines), self.size)


def block_height(lines: int, size: float) -> float:
    """Height of ``lines`` lines at ``size``, from the top of the first em box to the bottom of the last."""
    return size * (1 + (lines - 1) * LEADING)


def _tokens(paragraph: str) -> list[str]:
    """Units that never break inside: Latin/digit runs, and characters glued by 禁則."""
    raw: list[str] = _RAW_TOKENS.findall(paragraph)  # a Latin/digit run, else one character
    tokens: list[str] = []
    glue_next = False
    for token in raw:
        if tokens and (glue_next or token[0] in NO_LINE_START or is_variation_selector(ord(token[0]))):
            tokens[-1] += token
        else:
            tokens.append(token)
        # An opening bracket glues to what follows it, across spaces ("「　1" breaks nowhere inside).
        glue_next = token[-1] in NO_LINE_END or (glue_next and token.isspace())
    return tokens


def wrap(paragraph: str, max_width: float, width: Callable[[str], float]) -> list[str]:
    """Greedy line breaking of one paragraph; ``width`` measures a string in the same unit as max_width."""
    if not paragraph:
        return [""]
    lines: list[str] = []
    line = ""
    line_w = 0.0
    for token in _tokens(paragraph):
        token_w = width(token)
        visible_w = width(token.rstrip()) if token[-1].isspace() else token_w
        if line and line_w + visible_w > max_width:
            lines.append(line)
            line, line_w = "", 0.0
        if not line and visible_w > max_width:
            # A unit wider than the box: break it between characters.
            for ch in token:
                ch_w = width(ch)
                breakable = (
                    not ch.isspace()
                    and ch not in NO_LINE_START
                    and not is_variation_selector(ord(ch))
                    and line.rstrip()[-1:] not in NO_LINE_END
                )
                if line and line_w + ch_w > max_width and breakable:
                    lines.append(line)
                    line, line_w = "", 0.0
                line += ch
                line_w += ch_w
            continue
        line += token
        line_w += token_w
    lines.append(line)
    return lines


# A paragraph whose width is this far below the box's cannot break under :func:`wrap` (whose sums of
# per-unit widths differ from the paragraph's sum by rounding only, many orders of magnitude less).
_SURELY_FITS = 1e-6


def wrap_in_face(fonts: FontSet, paragraph: str, face: Face, size: float, max_width: float) -> list[str]:
    """``wrap(paragraph, max_width, lambda t: fonts.width(t, face, size))``, the same lines, faster.

    The face's advance table is looked up once per paragraph: a paragraph that fits is one line
    without being cut into units, and one that does not is wrapped with the very sums
    :meth:`FontSet.width` computes. Selectors, a registered 外字 or a character no font has take
    :meth:`FontSet.width` itself (which raises :class:`~forms.errors.GlyphMissingError` as before).
    """

    def measured(text: str) -> float:
        return fonts.width(text, face, size)

    advances = fonts.advances(face)
    if advances is None or not paragraph or has_variation_selectors(paragraph):
        return wrap(paragraph, max_width, measured)
    try:
        units = [advances[ord(ch)] for ch in paragraph]
    except KeyError:
        return wrap(paragraph, max_width, measured)
    # With its trailing spaces: wrap() adds a space's advance to the line before it measures the next.
    if sum(units) * size / 1000.0 <= max_width - _SURELY_FITS:
        return [paragraph]

    def width(text: str) -> float:
        return sum([advances[ord(ch)] for ch in text]) * size / 1000.0

    return wrap(paragraph, max_width, width)


def _sizes(size: float, min_size: float) -> list[float]:
    sizes: list[float] = []
    s = size
    while s > min_size + 1e-9:
        sizes.append(round(s, 2))
        s -= STEP
    sizes.append(min_size)
    return sizes


def fit_text(
    fonts: FontSet,
    text: str,
    face: Face,
    width_pt: float,
    height_pt: float,
    *,
    size: float,
    min_size: float,
    lines: int = 1,
    avoid_orphans: bool = False,
) -> Fitted | None:
    """The size and lines that fit ``text`` in a ``width_pt`` x ``height_pt`` box, or ``None``.

    With ``avoid_orphans`` (labels, column headers) a size at which a wrapped paragraph leaves one
    character alone on its last line (「マイナンバーカー／ド」) is passed over for a smaller size that
    does not, down to ``min_size``; only when every size orphans is the first fit taken.
    """
    min_size = min(min_size, size)
    paragraphs = text.split("\n")
    unit = {p: fonts.width(p.rstrip(), face, 1.0) for p in paragraphs}

    def wrapped(s: float) -> list[str]:
        result: list[str] = []
        for p in paragraphs:
            if unit[p] * s <= width_pt:
                result.append(p)
            else:
                result.extend(wrap(p, width_pt, lambda t: fonts.width(t, face, s)))
        return result

    # 1. Shrink: a one-line box is solved directly; a box designed for several lines takes the largest
    #    size at which the wrapped text needs no more than those lines.
    if lines == 1 and len(paragraphs) == 1:
        widest = max(unit.values())
        best = size if widest <= 0 else min(size, width_pt / widest)
        if best >= min_size:
            s = max(min_size, min(size, STEP * int(best / STEP + 1e-9))) if best < size else size
            if block_height(len(paragraphs), s) <= height_pt + 1e-6:
                return Fitted(s, tuple(paragraphs))
    fallback: Fitted | None = None

    def orphaned(result: list[str]) -> bool:
        return (
            avoid_orphans and len(result) > len(paragraphs) and any(len(line.strip()) == 1 for line in result)
        )

    if lines > 1:
        for s in _sizes(size, min_size):
            result = wrapped(s)
            if len(result) <= lines and block_height(len(result), s) <= height_pt + 1e-6:
                if not orphaned(result):
                    return Fitted(s, tuple(result))
                fallback = fallback or Fitted(s, tuple(result))
    # 2. Wrap onto as many lines as the height allows.
    for s in _sizes(size, min_size):
        if block_height(1, s) > height_pt + 1e-6:
            continue
        result = wrapped(s)
        if block_height(len(result), s) <= height_pt + 1e-6:
            if not orphaned(result):
                return Fitted(s, tuple(result))
            fallback = fallback or Fitted(s, tuple(result))
    return fallback
