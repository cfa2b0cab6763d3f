"""Issue 14, items 4, 6 and 7 (layout part): values that do not fit, unused rows, column headers.

* A value that does not fit is reported per form and field (with the person's row), never clipped,
  and the clerk may accept a smaller font down to LEGIBLE_MIN_PT (5 pt, ruby size of 10 pt text).
* Unused rows of a repeating group carry 以下余白 and a strike, and no live 有/無 boxes.
* A column header never leaves one character alone on its second line (「マイナンバーカー／ド」).
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from forms import FontSet, FormRenderer, TextDoesNotFitError, load_library
from forms.fitting import LEGIBLE_MIN_PT, fit_text
from forms.fonts import Face
from forms.pages import PT_PER_MM
from forms.samples import MEMBERS, sample_values
from tests.helpers.held import LONG_KANA

# A foreign resident's reading as the resident record writes it: 34 katakana (no spaces).


def _text(pdf: bytes, tmp_path: Path, page: int | None = None) -> str:
    path = tmp_path / "form.pdf"
    path.write_bytes(pdf)
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(
        ["pdftotext", *pages, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _household(kana: str) -> list[dict[str, Any]]:
    members = [dict(m) for m in MEMBERS[:3]]
    members[1]["kana"] = kana
    return members


def test_long_furigana_is_reported_by_form_and_field(renderer: FormRenderer) -> None:
    assert len(LONG_KANA) == 34
    values = {**sample_values("jumin_idou"), "members": _household(LONG_KANA)}
    problems = renderer.overflows("jumin_idou", values)
    assert [p.field for p in problems] == ["members[1].kana"]
    problem = problems[0]
    assert problem.form_id == "jumin_idou" and problem.title == "住民異動届"
    assert problem.label == "フリガナ(2人目)"
    assert problem.fits_at is not None and LEGIBLE_MIN_PT <= problem.fits_at < problem.min_size
    with pytest.raises(TextDoesNotFitError) as raised:
        renderer.render("jumin_idou", values)
    assert raised.value.field == "members[1].kana"
    # The same household with a reading that fits has nothing to report.
    assert renderer.overflows("jumin_idou", {**values, "members": _household("タカサキ　ハナコ")}) == ()


def test_the_clerk_may_accept_a_smaller_font_never_below_the_legible_minimum(
    renderer: FormRenderer, tmp_path: Path
) -> None:
    values = {**sample_values("jumin_idou"), "members": _household(LONG_KANA)}
    form = renderer.render("jumin_idou", values, smaller_font={"members[1].kana"})
    placed = next(p for p in form.placements if p.key == "members[1].kana")
    assert LEGIBLE_MIN_PT <= placed.size < 6.0
    assert placed.text == LONG_KANA  # whole, wrapped, not clipped
    assert LONG_KANA in _text(form.pdf, tmp_path).replace("\n", "")
    assert form.qr_values["members"][1]["kana"] == LONG_KANA
    assert renderer.overflows("jumin_idou", values, smaller_font={"members[1].kana"}) == ()


def test_a_value_that_no_legible_size_fits_offers_only_an_edit(renderer: FormRenderer) -> None:
    values = {**sample_values("jumin_idou"), "members": _household(LONG_KANA * 3)}
    (problem,) = renderer.overflows("jumin_idou", values)
    assert problem.fits_at is None
    with pytest.raises(TextDoesNotFitError):
        renderer.render("jumin_idou", values, smaller_font={"members[1].kana"})


def test_each_form_reports_its_own_box(renderer: FormRenderer) -> None:
    """Each form is judged on its own: a form whose box holds the reading renders."""
    members = _household(LONG_KANA)
    judged = {}
    for form_id in ("jumin_idou", "kokuho_idou", "jumin_copy_request", "mynumber_card_change"):
        values = {**sample_values(form_id), "members": members}
        judged[form_id] = [p.field for p in renderer.overflows(form_id, values)]
        if not judged[form_id]:
            assert renderer.render(form_id, values).page_count >= 1
    assert all(fields == ["members[1].kana"] for fields in judged.values()), judged
    # The applicant's own reading box (74 mm, two lines) holds the 34 characters at the layout minimum.
    applicant = {**sample_values("jumin_idou"), "applicant_kana": LONG_KANA}
    assert renderer.overflows("jumin_idou", applicant) == ()


@pytest.mark.parametrize(
    "form_id",
    [
        "jumin_idou",
        "kokuho_idou",
        "mynumber_card_change",
        "jidou_teate",
        "kodomo_iryou",
        "jumin_copy_request",
    ],
)
def test_unused_rows_are_closed(renderer: FormRenderer, tmp_path: Path, form_id: str) -> None:
    values = {**sample_values(form_id), "members": [dict(m) for m in MEMBERS[:2]]}
    form = renderer.render(form_id, values)
    text = _text(form.pdf, tmp_path, 1)
    assert text.count("以下余白") == 1
    # Only the two used rows have boxes: no check placement (live box) exists for rows 2 and beyond.
    assert not [c for c in form.checks if c.key.startswith(("members[2]", "members[3]"))]
    row_numbers = [line.strip() for line in text.splitlines() if line.strip() in {"1", "2", "3", "4"}]
    assert "3" not in row_numbers and "4" not in row_numbers


def test_jumin_idou_unused_rows_have_no_card_boxes(renderer: FormRenderer, tmp_path: Path) -> None:
    values = {**sample_values("jumin_idou"), "members": [dict(MEMBERS[0])]}
    text = _text(renderer.render("jumin_idou", values).pdf, tmp_path, 1)
    # The マイナンバーカード column prints 有 and 無 once per used row (one row here).
    assert text.count("有") == 1 and text.count("無") == 1


def test_a_full_page_has_no_closing_mark(renderer: FormRenderer, tmp_path: Path) -> None:
    # The first sheet of the 住民異動届 holds 3 people (rows with 本籍 and 在留 details).
    values = {**sample_values("jumin_idou"), "members": [dict(MEMBERS[i % len(MEMBERS)]) for i in range(3)]}
    assert "以下余白" not in _text(renderer.render("jumin_idou", values).pdf, tmp_path)


def test_a_header_never_leaves_one_character_alone(fonts: FontSet) -> None:
    width = 22.0 * PT_PER_MM
    plain = fit_text(
        fonts, "マイナンバーカード", Face.GOTHIC, width, 7.4 * PT_PER_MM, size=7, min_size=5.5, lines=2
    )
    assert plain is not None and plain.lines == ("マイナンバーカー", "ド")  # what the issue saw
    header = fit_text(
        fonts,
        "マイナンバーカード",
        Face.GOTHIC,
        width,
        7.4 * PT_PER_MM,
        size=7,
        min_size=5.5,
        lines=2,
        avoid_orphans=True,
    )
    assert header is not None and header.lines == ("マイナンバーカード",)


def test_the_printed_header_is_whole(renderer: FormRenderer, tmp_path: Path) -> None:
    text = _text(renderer.render("jumin_idou", sample_values("jumin_idou")).pdf, tmp_path, 1)
    assert "マイナンバーカード" in text
    assert "マイナンバーカー\n" not in text


def test_the_layout_check_reports_an_orphaned_header(fonts: FontSet, tmp_path: Path) -> None:
    layout = (Path(__file__).parents[3] / "forms/layouts/jumin_idou.yaml").read_text(encoding="utf-8")
    narrow = layout.replace(
        "{label: マイナンバーカード, size: 7, lines: 2}",
        "{label: マイナンバーカード, size: 7, lines: 2, min_size: 7}",
        1,
    )
    assert narrow != layout
    (tmp_path / "jumin_idou.yaml").write_text(narrow, encoding="utf-8")
    problems = load_library([tmp_path]).check(fonts)
    assert any("1文字だけ次の行に残ります" in p.message for p in problems)
