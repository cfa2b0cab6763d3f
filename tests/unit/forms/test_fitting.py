"""Fitting: shrink, then wrap (with 禁則), never lose a character."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from forms.fitting import NO_LINE_END, NO_LINE_START, _tokens, block_height, fit_text, wrap
from forms.fonts import Face, FontSet

JAPANESE = st.text(
    alphabet=st.sampled_from("東京都髙﨑𠮷区一二三丁目、。「」（）ーァ 　ABC123-"), max_size=80
)


@settings(max_examples=150, deadline=None)
@given(text=JAPANESE, width=st.floats(min_value=15, max_value=300))
def test_wrapping_keeps_every_character_and_the_rules(fonts: FontSet, text: str, width: float) -> None:
    lines = wrap(text, width, lambda t: fonts.width(t, Face.MINCHO, 10))
    assert "".join(lines) == text
    for i, line in enumerate(lines):
        if i > 0:  # 禁則: no line starts with closing punctuation, none ends with an opening bracket
            assert line[:1] not in NO_LINE_START
            assert lines[i - 1].rstrip()[-1:] not in NO_LINE_END or len(lines[i - 1].rstrip()) == 1
        wide = fonts.width(line.rstrip(), Face.MINCHO, 10) > width + 1e-6
        if wide:  # only a unit that cannot break (Latin run, characters glued by 禁則) may overflow
            assert len(_tokens(line.rstrip())) == 1, line


def test_opening_brackets_never_end_a_line_even_inside_a_broken_unit(fonts: FontSet) -> None:
    # Found by the property test above: a unit wider than the box broken after 「（.
    lines = wrap("「（東京都髙﨑区一二三丁目」", 15.0, lambda t: fonts.width(t, Face.MINCHO, 10))
    assert "".join(lines) == "「（東京都髙﨑区一二三丁目」"
    for line in lines[:-1]:
        assert line.rstrip()[-1:] not in NO_LINE_END


def test_an_opening_bracket_followed_by_a_space_moves_to_the_next_line(fonts: FontSet) -> None:
    # Found by the property test (a random run): the line broke after 「 and the space glued to it.
    text = "1111111「\u30001"
    lines = wrap(text, 17.0, lambda t: fonts.width(t, Face.MINCHO, 10))
    assert "".join(lines) == text
    for line in lines[:-1]:
        assert line.rstrip()[-1:] not in NO_LINE_END


def test_short_text_keeps_its_size(fonts: FontSet) -> None:
    fitted = fit_text(fonts, "髙﨑　𠮷太郎", Face.MINCHO, 200, 20, size=12, min_size=6)
    assert fitted is not None and fitted.size == 12 and fitted.lines == ("髙﨑　𠮷太郎",)


def test_long_text_is_shrunk_before_it_is_wrapped(fonts: FontSet) -> None:
    text = "東京都みどり区𠮷祥寺南町三丁目二十五番十四号"  # 22 characters: 220 pt at 10 pt
    fitted = fit_text(fonts, text, Face.MINCHO, 160, 30, size=10, min_size=6)
    assert fitted is not None and fitted.lines == (text,)
    assert 6 <= fitted.size < 10
    assert fonts.width(text, Face.MINCHO, fitted.size) <= 160


def test_then_wrapped_when_the_minimum_size_is_not_enough(fonts: FontSet) -> None:
    text = "東京都みどり区𠮷祥寺南町三丁目二十五番十四号グランドメゾン髙﨑壱番館"
    fitted = fit_text(fonts, text, Face.MINCHO, 120, 40, size=10, min_size=8)
    assert fitted is not None and len(fitted.lines) > 1
    assert "".join(fitted.lines) == text
    assert block_height(len(fitted.lines), fitted.size) <= 40


def test_a_box_designed_for_two_lines_wraps_at_the_larger_size(fonts: FontSet) -> None:
    text = "東京都みどり区𠮷祥寺南町三丁目二十五番十四号グランドメゾン"
    fitted = fit_text(fonts, text, Face.MINCHO, 200, 30, size=11, min_size=6, lines=2)
    assert fitted is not None and fitted.size == 11 and len(fitted.lines) == 2


def test_what_cannot_fit_is_reported_not_clipped(fonts: FontSet) -> None:
    assert fit_text(fonts, "東京都" * 40, Face.MINCHO, 100, 12, size=10, min_size=7) is None
    assert fit_text(fonts, "東", Face.MINCHO, 100, 4, size=10, min_size=7) is None
