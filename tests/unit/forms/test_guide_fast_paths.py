"""The short cuts that make the guide sheets fast give what the general code gives, and keep nothing of
a household from one sheet to the next.

* ``wrap_in_face`` (one look-up of the face's advances per paragraph) breaks lines exactly where
  ``wrap`` measuring every unit with ``FontSet.width`` breaks them, also at a box exactly as wide as
  the text, and fails the same way on a character no font has.
* ``ScriptFonts.keys`` and ``runs`` for text wholly in the first font of a language equal the
  per-character rule, and ``ScriptFonts.wrap`` keeps a paragraph that fits whole on the one line its
  loop would give.
* A one-subset font encodes with ``str.translate`` the codes its per-character loop would give.
* The tables read once per font (merged face tables, subset makers) are font data: printing a
  household does not change them, and household B's sheet after A's is the sheet B gets first.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

import pytest

from forms import FontSet, GuideCounter, GuideProcedure, GuideSheet, render_guide_sheet
from forms.errors import GlyphMissingError
from forms.fitting import wrap, wrap_in_face
from forms.fonts import Face
from forms.pdfwriter import SUBSET_SIZE, _SubsetFont
from forms.scripts import LANGUAGE_FONTS, ScriptFonts
from forms.subset import _makers

POOL = (
    "みどり区に引っ越してきたため国民健康保険へ加入する髙﨑𠮷太郎渡邉"
    "、。「」（）【】ー・ 　ABCxyz0123-4567 room 12B #5 ァッ"
)


def _paragraphs(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(POOL) for _ in range(rng.randint(1, 90))) for _ in range(count)]


@pytest.mark.parametrize("face", [Face.GOTHIC, Face.MINCHO])
def test_wrap_in_face_breaks_where_wrap_breaks(fonts: FontSet, face: Face) -> None:
    for n, paragraph in enumerate(_paragraphs(3, 300)):
        size = (12.5, 15.0, 17.0, 11.0)[n % 4]
        exact = fonts.width(paragraph.rstrip(), face, size)

        def measure(text: str, size: float = size) -> float:
            return fonts.width(text, face, size)

        for max_width in (exact, exact + 1e-9, exact - 1e-9, exact + 1e-5, exact * 0.5, exact * 0.2, 30.0):
            expected = wrap(paragraph, max_width, measure)
            assert wrap_in_face(fonts, paragraph, face, size, max_width) == expected, (paragraph, max_width)


def test_wrap_in_face_with_a_selector_or_a_missing_character(fonts: FontSet) -> None:
    with_selector = "渡邉\U000e0116様の住所は青葉台一丁目二番三号です"
    for max_width in (40.0, 80.0, 400.0):
        expected = wrap(with_selector, max_width, lambda t: fonts.width(t, Face.MINCHO, 12.5))
        assert wrap_in_face(fonts, with_selector, Face.MINCHO, 12.5, max_width) == expected
    with pytest.raises(GlyphMissingError) as missing:
        wrap_in_face(fonts, "住所\U0010fffd不明", Face.MINCHO, 12.5, 400.0)
    assert missing.value.code_point == 0x10FFFD


TEXTS = {
    "ja": "みどり区に引っ越してきたため(世帯主が手続き)",
    "en": "You moved in; bring ID (passport) 2x",
    "pt-BR": "Você se mudou — traga documento",
    "vi": "Vì bạn đã chuyển đến quận Midori",
    "ko": "미도리구로 이사했기 때문에 보험에 가입",
    "zh-Hans": "因为搬到了绿区,需要加入国民健康保险",
    "ne": "तपाईं मिदोरी वडामा सर्नुभएकोले",
}


def test_keys_and_runs_of_text_in_one_font_equal_the_per_character_rule(
    fonts: FontSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    scripts = ScriptFonts(fonts)
    texts = [*TEXTS.values(), "転入届 (転出証明書)", " 12 ", "abc 髙﨑"]

    def keys(text: str, language: str) -> tuple[list[str | None], list[tuple[str, str]]] | str:
        try:
            return scripts.keys(text, language), scripts.runs(text, language)
        except GlyphMissingError as exc:
            return exc.code_points  # e.g. Vietnamese in the Japanese column's font

    fast = {(lang, t): keys(t, lang) for lang in LANGUAGE_FONTS for t in texts}
    assert any(isinstance(k, tuple) and len(set(k[0])) == 1 for k in fast.values())  # the short cut …
    assert any(isinstance(k, tuple) and len(set(k[0])) > 1 for k in fast.values())  # … and mixed text
    monkeypatch.setattr(ScriptFonts, "_first_for_all", lambda self, text, language: None)
    for (lang, text), found in fast.items():
        assert keys(text, lang) == found, (lang, text)


def test_a_paragraph_that_fits_whole_is_the_line_the_loop_gives(
    fonts: FontSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    scripts = ScriptFonts(fonts)
    cases = [(lang, text + suffix) for lang, text in TEXTS.items() for suffix in ("", " ", " 転入届 ")]
    found = {}
    for lang, text in cases:
        exact = scripts.width(text.rstrip(), lang, 11.0)
        for max_width in (exact, exact + 1e-6, exact + 2e-6, exact - 1e-5, exact / 2):
            found[lang, text, max_width] = scripts.wrap(text, lang, 11.0, max_width)
    assert sum(len(lines) == 1 for lines in found.values()) > len(cases)  # whole lines at the widths …
    assert any(len(lines) > 1 for lines in found.values())  # … and broken ones below them
    monkeypatch.setattr(ScriptFonts, "_fits_whole", lambda *args: False)
    for (lang, text, max_width), lines in found.items():
        assert scripts.wrap(text, lang, 11.0, max_width) == lines, (lang, text, max_width)


def test_translate_encoding_gives_the_codes_of_the_loop(fonts: FontSet) -> None:
    font = fonts._get(Face.MINCHO).font
    rng = random.Random(5)
    chars = [chr(cp) for cp in sorted(font.face.charToGlyph) if 0x4E00 <= cp <= 0x9FFF][:400]
    texts = [
        "".join(rng.choice(chars[: 30 + 3 * i]) for _ in range(20)) + "\u00a0\U0010fffd" for i in range(100)
    ]
    fast = _SubsetFont(font, 1, 0)
    each = _SubsetFont(font, 1, 0)
    for text in texts:
        assert fast.encode(text) == each.encode_each(text)
    assert fast.subsets == each.subsets
    assert fast.codes == each.codes
    assert len(fast.subsets) > 1 and len(fast.subsets[0]) == SUBSET_SIZE  # the texts crossed a subset


def _sheet(household: str, reason: str, people: tuple[str, ...]) -> GuideSheet:
    procedure = GuideProcedure(
        "国民健康保険 加入", reason, ("本人確認書類",), dt.date(2025, 4, 15), "14日以内", people=people
    )
    return GuideSheet(
        visit_date=dt.date(2025, 4, 14),
        office="みどり区役所",
        household=household,
        counters=(GuideCounter("3番窓口 保険年金課", "本庁舎2階", (procedure,) * 8),),
    )


def test_a_households_sheet_leaves_the_font_tables_as_they_were(fonts: FontSet) -> None:
    b = _sheet("山田　花子", "職場の健康保険をやめたため", ("山田　花子",))
    a = _sheet("髙﨑　𠮷太郎", "青葉台荘から転入したため" * 6, ("髙﨑　𠮷太郎", "渡邉\U000e0116一郎"))
    b_first = render_guide_sheet(b, fonts)
    assert b_first.page_count > 1
    tables = {face: dataclasses.astuple(fonts._table(face)) for face in (Face.GOTHIC, Face.MINCHO)}
    makers = {key: (face, dict(maker.checksums), maker.composite) for key, (face, maker) in _makers.items()}
    a_pdf = render_guide_sheet(a, fonts).pdf
    assert a_pdf != b_first.pdf
    assert render_guide_sheet(b, fonts).pdf == b_first.pdf
    assert {face: dataclasses.astuple(fonts._table(face)) for face in tables} == tables
    after = {key: (face, dict(maker.checksums), maker.composite) for key, (face, maker) in _makers.items()}
    assert {k: v for k, v in after.items() if k in makers} == makers
