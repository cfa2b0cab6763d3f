"""Per face, the font and advance width of every character, merged once from the fonts' own tables.

Measuring and splitting text is the inner loop of fitting and drawing: for each character, "does the
face have it, else IPAmj明朝" and its width. :class:`FaceTable` answers both with one dictionary
look-up. It is built once per face from the cmaps and ``hmtx`` widths of the face and of its fallback
(all their characters, not the characters seen), so it holds font data only — nothing a visit
printed — and is the same for every visit. Variation sequences and a municipality's 外字 keep the
per-character path of :mod:`forms.fonts`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FaceTable:
    """Code point → advance width (1/1000 em) and → the reportlab name of the font that draws it.

    ``main_name`` and ``main_chars`` (every character the face itself draws) let a line drawn wholly in
    the face be recognised with one set operation instead of a look-up per character.
    """

    widths: dict[int, float]
    names: dict[int, str]
    main_name: str = ""
    main_chars: frozenset[str] = frozenset()


def build_face_table(
    main_name: str,
    main_glyphs: Mapping[int, int],
    main_width: Mapping[int, float],
    fallback: tuple[str, Mapping[int, int], Mapping[int, float]] | None,
    default_widths: tuple[float, float],
) -> FaceTable:
    """The merged table: the face's characters, and the fallback's for what the face lacks.

    A character mapped to glyph 0 counts as missing (as :meth:`forms.fonts.FontSet.face_for` does).
    """
    widths: dict[int, float] = {}
    names: dict[int, str] = {}
    if fallback is not None:
        name, glyphs, font_widths = fallback
        default = default_widths[1]
        for cp, glyph in glyphs.items():
            if glyph:
                widths[cp] = float(font_widths.get(cp, default))
                names[cp] = name
    default = default_widths[0]
    main_chars: list[str] = []
    for cp, glyph in main_glyphs.items():
        if glyph:
            widths[cp] = float(main_width.get(cp, default))
            names[cp] = main_name
            main_chars.append(chr(cp))
    return FaceTable(widths, names, main_name, frozenset(main_chars))
