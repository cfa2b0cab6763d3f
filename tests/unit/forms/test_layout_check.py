"""The layout check: the shipped layouts are sound; broken ones are reported with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from forms import FontSet, FormLibrary, LayoutError, load_library
from forms.library import SHIPPED_DIR
from tests.helpers.forms import SHIPPED_FORM_IDS

FORM_IDS = set(SHIPPED_FORM_IDS)


def test_the_ten_shipped_forms_are_sound(library: FormLibrary, fonts: FontSet) -> None:
    assert set(library.ids()) >= FORM_IDS
    assert library.check(fonts) == []
    for layout in library:
        assert layout.sources, f"{layout.id} names no source"


GOOD = """\
id: test_form
title: 試験様式
first:
  elements:
    - {kind: text, x: 10, y: 10, w: 80, h: 10, text: 試験様式}
    - kind: table
      x: 10
      y: 30
      widths: [30, 100]
      rows:
        - h: 10
          cells: [{label: 氏名}, {field: applicant_name}]
    - {kind: qr, x: 150, y: 230, size: 36}
"""


def _check(tmp_path: Path, fonts: FontSet, text: str) -> list[str]:
    (tmp_path / "test_form.yaml").write_text(text, encoding="utf-8")
    try:
        library = load_library([tmp_path], shipped=False)
    except LayoutError as exc:
        return [str(p) for p in exc.problems]
    return [str(p) for p in library.check(fonts)]


def test_a_good_layout_passes(tmp_path: Path, fonts: FontSet) -> None:
    assert _check(tmp_path, fonts, GOOD) == []


@pytest.mark.parametrize(
    ("change", "expected", "line"),
    [
        (
            ("field: applicant_name", "field: applicant_nmae"),
            "項目「applicant_nmae」は項目の語彙にありません",
            12,
        ),
        (("{kind: text, x: 10, y: 10, w: 80", "{kind: text, x: 40, y: 30, w: 80"), "重なっています", 5),
        (("text: 試験様式}", "text: " + "試験様式の説明がとても長い" * 12 + "}"), "収まりません", 5),
        (
            ("    - {kind: qr, x: 150, y: 230, size: 36}\n", ""),
            "処理用QRコード(qr)はページに1つ必要です",
            None,
        ),
        (("{kind: qr, x: 150, y: 230", "{kind: qr, x: 190, y: 230"), "印刷できる範囲", 13),
        (("{kind: text,", "{kind: txet,"), "kind が不明です", 5),
        (("widths: [30, 100]", "widths: [30, 100, 20]"), "列数 3 と違います", 11),
        (("{field: applicant_name}", "{choices: applicant_name}"), "選択・チェックの項目ではありません", 12),
        (
            (
                "{label: 氏名}, {field: applicant_name}",
                "{label: 氏名}, {field: applicant_name, format: wareki}",
            ),
            "format は日付",
            12,
        ),
    ],
)
def test_broken_layouts_are_reported(
    tmp_path: Path, fonts: FontSet, change: tuple[str, str], expected: str, line: int | None
) -> None:
    old, new = change
    assert old in GOOD
    problems = _check(tmp_path, fonts, GOOD.replace(old, new))
    assert any(expected in p for p in problems), problems
    if line is not None:
        assert any(f"test_form.yaml:{line}:" in p for p in problems if expected in p), problems


def test_a_repeat_needs_a_continuation_page(tmp_path: Path, fonts: FontSet) -> None:
    text = GOOD.replace(
        "    - {kind: qr",
        "    - {kind: repeat, group: members, x: 10, y: 60, row_h: 10, rows: 3,"
        " row: [{kind: field, field: name, x: 0, y: 0, w: 60, h: 10, border: true}]}\n    - {kind: qr",
    )
    problems = _check(tmp_path, fonts, text)
    assert any("続紙(continuation)が必要です" in p for p in problems), problems


def test_a_municipality_folder_replaces_a_shipped_form(tmp_path: Path, fonts: FontSet) -> None:
    (tmp_path / "sousaihi.yaml").write_text(GOOD.replace("id: test_form", "id: sousaihi"), encoding="utf-8")
    library = load_library([tmp_path], fonts=fonts)
    assert library.get("sousaihi").title == "試験様式"
    assert library.files["sousaihi"] == tmp_path / "sousaihi.yaml"
    assert library.files["jumin_idou"].parent == SHIPPED_DIR


def test_the_fields_of_a_form(library: FormLibrary, fonts: FontSet) -> None:
    fields = library.fields("jumin_idou", fonts)
    names = {spec.name for spec in fields.scalars}
    assert {"applicant_name", "address", "move_date", "notification_kind", "previous_address"} <= names
    assert {spec.name for spec in fields.groups["members"]} >= {
        "name",
        "kana",
        "birth_date",
        "sex",
        "relationship",
    }


def test_an_a3_landscape_form(tmp_path: Path, fonts: FontSet) -> None:
    text = GOOD.replace("title: 試験様式\n", "title: 試験様式\nsize: A3\norientation: landscape\n").replace(
        "{kind: qr, x: 150, y: 230", "{kind: qr, x: 370, y: 240"
    )
    assert _check(tmp_path, fonts, text) == []
    library = load_library([tmp_path], shipped=False)
    assert library.get("test_form").page_mm == (420.0, 297.0)
    from forms import FormRenderer

    pdf = FormRenderer(library, fonts).render("test_form", {"applicant_name": "髙﨑　𠮷太郎"}).pdf
    assert b"/MediaBox [ 0 0 1190.551 841.8898 ]" in pdf
