"""Issue 14 item 5: MJ variants written with an IVS, and a municipality's registered 外字, print with
their own glyph — proven on the image, not only on the extracted text (a tofu box extracts fine).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from forms import FontSet, FormLibrary, FormRenderer, GlyphMissingError, Placement, RenderedForm, load_fonts
from forms.backoffice import decode_payload, encode_payload
from forms.fonts import Face
from forms.gaiji import GaijiError, load_gaiji
from forms.samples import sample_values
from tests.unit.forms.glyph_images import distance, font_glyph, gaiji_folder, printed_glyph, tofu

BASE = "\u9089"  # 邉
VARIANT = BASE + "\U000e0116"  # one of IPAmj明朝's 16 variation sequences of 邉
SAME = 0.1  # the printed glyph against the font's own glyph: 0.06 measured (poppler vs FreeType AA)


def _render(renderer: FormRenderer, name: str, tmp_path: Path) -> tuple[Path, tuple[RenderedForm, Placement]]:
    values = {**sample_values("kaigo_idou"), "subject_name": name}
    form = renderer.render("kaigo_idou", values)
    pdf = tmp_path / "kaigo.pdf"
    pdf.write_bytes(form.pdf)
    (placement,) = [p for p in form.placements if p.key == "subject_name"]
    return pdf, (form, placement)


def test_ipamj_has_the_variation_sequences(fonts: FontSet) -> None:
    sequences = fonts._get(Face.MJ).sequences
    assert len(sequences) == 11474  # as counted in issue 14
    assert len([key for key in sequences.glyphs if key[0] == ord(BASE)]) == 16


def test_an_ivs_prints_the_fonts_own_variant_glyph(
    renderer: FormRenderer, fonts: FontSet, tmp_path: Path
) -> None:
    pdf, (form, placement) = _render(renderer, VARIANT, tmp_path)
    assert placement.text == VARIANT
    printed = printed_glyph(pdf, placement.page, placement.rect)
    mj = fonts.paths[Face.MJ]
    own = distance(printed, font_glyph(mj, VARIANT, placement.size))
    assert own < SAME, own
    # Every other variant, the base glyph and a tofu box are far: the test tells them apart.
    others = [BASE] + [BASE + chr(0xE010F + i) for i in range(17) if chr(0xE010F + i) != VARIANT[1]]
    nearest_other = min(distance(printed, font_glyph(mj, text, placement.size)) for text in others)
    assert own < nearest_other / 2, (own, nearest_other)
    assert distance(printed, tofu(placement.size)) > 3 * SAME
    # The text extracts as base + selector, and the back-office QR carries the sequence.
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert VARIANT in text
    assert decode_payload(encode_payload("kaigo_idou", form.qr_values)).values["subject_name"] == VARIANT


def test_the_comparison_fails_on_a_tofu_box(fonts: FontSet) -> None:
    """The check above is not vacuous: a box where the glyph should be is rejected."""
    reference = font_glyph(fonts.paths[Face.MJ], VARIANT, 13)
    assert distance(tofu(13), reference) > 3 * SAME
    assert distance(font_glyph(fonts.paths[Face.MJ], BASE, 13), reference) > SAME


def test_a_sequence_no_font_has_is_refused_by_name(renderer: FormRenderer) -> None:
    unknown = BASE + "\U000e011e"  # 邉 has no VS31 in IPAmj明朝
    values = {**sample_values("kaigo_idou"), "subject_name": unknown}
    with pytest.raises(GlyphMissingError) as raised:
        renderer.render("kaigo_idou", values)
    assert raised.value.field == "subject_name" and raised.value.code_points == "U+9089 U+E011E"


def test_a_registered_gaiji_prints_with_the_municipalitys_glyph(
    library: FormLibrary, fonts: FontSet, tmp_path: Path
) -> None:
    name = "髙﨑　\ue001子"
    values = {**sample_values("kaigo_idou"), "subject_name": name}
    with pytest.raises(GlyphMissingError) as raised:  # without the registration: refused by name
        FormRenderer(library, fonts).render("kaigo_idou", values)
    assert raised.value.code_point == 0xE001
    folder = gaiji_folder(fonts, tmp_path)
    gaiji = load_gaiji(folder)
    with_gaiji = load_fonts(gaiji=gaiji)
    form = FormRenderer(library, with_gaiji).render("kaigo_idou", {**values, "subject_name": "\ue001"})
    pdf = tmp_path / "gaiji.pdf"
    pdf.write_bytes(form.pdf)
    (placement,) = [p for p in form.placements if p.key == "subject_name"]
    printed = printed_glyph(pdf, placement.page, placement.rect)
    own = distance(printed, font_glyph(folder / "gaiji.ttf", "\ue001", placement.size, raqm=False))
    assert own < SAME, own
    assert distance(printed, tofu(placement.size)) > 3 * SAME
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "\ue001" in text
    full = FormRenderer(library, with_gaiji).render("kaigo_idou", values)
    assert next(p.text for p in full.placements if p.key == "subject_name") == name


def test_the_gaiji_map_is_checked(fonts: FontSet, tmp_path: Path) -> None:
    folder = gaiji_folder(fonts, tmp_path)
    (folder / "gaiji.yaml").write_text(
        "font: gaiji.ttf\ncharacters:\n  - code: U+908A\n  - code: U+E002\n  - code: E003\n", encoding="utf-8"
    )
    with pytest.raises(GaijiError) as raised:
        load_gaiji(folder)
    problems = raised.value.problems
    assert any("U+908A は私用領域ではありません" in p for p in problems)
    assert any("U+E002 の字形がありません" in p for p in problems)
    assert any("U+E001 の形で書いてください" in p for p in problems)
    (folder / "gaiji.yaml").write_text("font: missing.ttf\ncharacters: []\n", encoding="utf-8")
    with pytest.raises(GaijiError) as raised:
        load_gaiji(folder)
    assert len(raised.value.problems) == 2


def test_the_catalog_folder_hook(fonts: FontSet, tmp_path: Path) -> None:
    from counter_app.workflow.visit_fields import municipal_gaiji

    assert municipal_gaiji(tmp_path) is None  # no gaiji/ folder: nothing registered
    gaiji_folder(fonts, tmp_path)
    gaiji = municipal_gaiji(tmp_path)
    assert gaiji is not None and gaiji.codes == {0xE001: 0xE001}
    assert gaiji.names[0xE001] == "本市登録外字 0001"
