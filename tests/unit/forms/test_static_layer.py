"""The cached static layer of the form pages (forms/static_layer.py): only layout content, keyed by the
layout, never anything of a visit.

Written from the rule the cache must keep (docs/forms.md, "What is drawn once"): a renderer that has
printed household A prints household B exactly as a renderer that never saw A, and a layout edited
and loaded again is printed as edited.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zlib
from pathlib import Path

from forms import FontSet, FormLibrary, FormRenderer, load_library
from forms.library import SHIPPED_DIR
from forms.samples import sample_values

HOUSEHOLD_A = {
    "subject_name": "髙﨑　𠮷太郎",
    "subject_kana": "タカサキ　ヨシタロウ",
    "subject_address": "東京都みどり区青葉台一丁目二番三号　さくら荘一〇一号室",
    "applicant_phone": "090-1234-5678",
}
HOUSEHOLD_B = {
    "subject_name": "山田　花子",
    "subject_kana": "ヤマダ　ハナコ",
    "subject_address": "大阪府なにわ区北町五丁目六番七号",
    "applicant_phone": "06-9876-5432",
}
BIRTH = {"A": ("1980-02-17", "昭和55年2月17日"), "B": ("1992-11-03", "平成4年11月3日")}


def _text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "form.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _values(household: str) -> dict[str, object]:
    values: dict[str, object] = dict(HOUSEHOLD_A if household == "A" else HOUSEHOLD_B)
    values.update(
        notification_date="2025-04-14", subject_birth_date=BIRTH[household][0], applicant_role="本人"
    )
    return values


def _flat(text: str) -> str:
    return text.replace(" ", "").replace("\n", "")


def test_household_b_after_household_a_is_printed_as_if_a_had_never_been(
    library: FormLibrary, fonts: FontSet, tmp_path: Path
) -> None:
    warm = FormRenderer(library, fonts)
    for form_id in library.ids():
        warm.render(form_id, sample_values(form_id))  # every layer cached, with the sample household
    a = warm.render("inkan_touroku", _values("A"))
    b_after_a = warm.render("inkan_touroku", _values("B"))
    b_fresh = FormRenderer(library, fonts).render("inkan_touroku", _values("B"))
    assert b_after_a.pdf == b_fresh.pdf
    text_a = _flat(_text(a.pdf, tmp_path))
    text_b = _flat(_text(b_after_a.pdf, tmp_path))
    for value in [*HOUSEHOLD_A.values(), BIRTH["A"][1]]:
        assert value[:8] in text_a  # A was printed …
        assert value[:8] not in text_b  # … and nothing of it is in B
    for value in [*HOUSEHOLD_B.values(), BIRTH["B"][1]]:
        assert value[:8] in text_b


def test_the_cached_layers_hold_no_character_of_a_value(library: FormLibrary, fonts: FontSet) -> None:
    renderer = FormRenderer(library, fonts)
    renderer.render("inkan_touroku", _values("A"))
    fragments = renderer.layers.fragments()
    assert fragments
    mapped = ""
    for fragment in fragments:
        for font in fragment.fonts:
            cmap = zlib.decompress(font.to_unicode).decode("ascii")
            for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.DOTALL):
                for dest in re.findall(r"<[0-9A-F]{2}> <([0-9A-F]+)>", block):
                    mapped += bytes.fromhex(dest).decode("utf-16-be", "surrogatepass")
    assert set("印鑑登録申請書（あて先）区長") <= set(mapped)  # the labels are there
    for ch in "髙﨑𠮷太郎ヨシタロウ青葉台荘":  # characters of A's values that no label of the form has
        assert ch not in mapped


def test_an_edited_layout_is_drawn_as_edited(fonts: FontSet, tmp_path: Path) -> None:
    folder = tmp_path / "forms"
    folder.mkdir()
    layout = folder / "inkan_touroku.yaml"
    shutil.copy(SHIPPED_DIR / "inkan_touroku.yaml", layout)
    renderer = FormRenderer(load_library([folder], shipped=False, fonts=fonts), fonts)
    before = _text(renderer.render("inkan_touroku", _values("B")).pdf, tmp_path)
    assert "（あて先）区長" in before
    layout.write_text(
        layout.read_text(encoding="utf-8").replace("（あて先）区長", "（あて先）みどり区長"), encoding="utf-8"
    )
    renderer.library = load_library([folder], shipped=False, fonts=fonts)  # the municipality reloads
    after = _text(renderer.render("inkan_touroku", _values("B")).pdf, tmp_path)
    assert "（あて先）みどり区長" in after
    assert "（あて先）区長" not in after
