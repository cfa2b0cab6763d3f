"""The printed forms, checked with the tools a ward office would use: poppler and a QR scanner.

For a household whose names contain 髙 (U+9AD9), 﨑 (U+FA11) and 𠮷 (U+20BB7) and whose address is 60
characters long, every one of the ten forms and the guide sheet:

* embeds every font it uses (``pdffonts``), IPAmj明朝 among them for 𠮷;
* gives back every value exactly (``pdftotext``), each word inside its layout box (± 1 mm), compared
  as text positions, never pixels;
* carries on every page a back-office QR code that, rendered by ``pdftoppm`` and decoded by
  ``card_reader.qr``, yields the form id and exactly the values printed.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from card_reader.qr import decode_file
from forms import (
    FormRenderer,
    GuideCounter,
    GuideProcedure,
    GuideSheet,
    RenderedForm,
    decode_payload,
    load_fonts,
    load_library,
    render_guide_sheet,
)
from forms.pages import PT_PER_MM, PageCompiler, Rect
from forms.samples import ADDRESS, HOUSEHOLDER, MEMBERS, PREVIOUS_ADDRESS, sample_values
from tests.helpers.forms import SHIPPED_FORM_IDS

pytestmark = pytest.mark.integration

FORM_IDS = list(SHIPPED_FORM_IDS)
TOLERANCE_MM = 1.0


@dataclass(frozen=True)
class Word:
    page: int
    text: str
    box: Rect  # mm, top-left origin


@dataclass(frozen=True)
class Printed:
    form: RenderedForm
    path: Path


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Printed]:
    out = tmp_path_factory.mktemp("forms")
    fonts = load_fonts()
    renderer = FormRenderer(load_library(fonts=fonts), fonts)
    result = {}
    for form_id in FORM_IDS:
        form = renderer.render(form_id, sample_values(form_id))
        path = out / f"{form_id}.pdf"
        path.write_bytes(form.pdf)
        result[form_id] = Printed(form, path)
    return result


def _words(path: Path) -> list[Word]:
    xhtml = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    words: list[Word] = []
    for page_no, page in enumerate(re.split(r"<page ", xhtml)[1:], start=1):
        for x0, y0, x1, y1, text in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', page
        ):
            box = Rect(
                float(x0) / PT_PER_MM,
                float(y0) / PT_PER_MM,
                (float(x1) - float(x0)) / PT_PER_MM,
                (float(y1) - float(y0)) / PT_PER_MM,
            )
            words.append(Word(page_no, html.unescape(text), box))
    return words


def _grown(rect: Rect, by: float) -> Rect:
    return Rect(rect.x - by, rect.y - by, rect.w + 2 * by, rect.h + 2 * by)


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_every_font_is_embedded(printed: dict[str, Printed], form_id: str) -> None:
    listing = subprocess.run(
        ["pdffonts", str(printed[form_id].path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert listing, "no fonts at all"
    names = set()
    for line in listing:
        name, kind, *_ = line.split()
        emb, sub, uni = line.split()[-5:-2]
        assert (emb, sub, uni) == ("yes", "yes", "yes"), line
        assert kind == "TrueType", line
        names.add(name.split("+", 1)[1])
    assert {"IPAexMincho", "IPAexGothic", "IPAmjMincho"} <= names  # 𠮷 comes from IPAmj明朝


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_every_value_comes_back_exactly_inside_its_box(printed: dict[str, Printed], form_id: str) -> None:
    form = printed[form_id].form
    words = _words(printed[form_id].path)
    assert form.placements
    for placement in form.placements:
        area = _grown(placement.rect, TOLERANCE_MM)
        inside = [
            w
            for w in words
            if w.page == placement.page
            and area.x <= w.box.x + w.box.w / 2 <= area.right
            and area.y <= w.box.y + w.box.h / 2 <= area.bottom
        ]
        assert inside, f"{placement.key}: nothing printed in its box"
        for word in inside:
            assert word.box.inside(area), f"{placement.key}: {word.box} leaves {placement.rect}"
        inside.sort(key=lambda w: (round(w.box.y, 1), w.box.x))
        assert "".join(w.text for w in inside) == placement.text, placement.key


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_the_signature_box_is_left_empty(printed: dict[str, Printed], form_id: str) -> None:
    fonts = load_fonts()
    layout = load_library().get(form_id)
    page = PageCompiler(layout, fonts).compile(layout.first, "first")
    assert page.signatures, f"{form_id} has no 署名欄"
    words = [w for w in _words(printed[form_id].path) if w.page == 1]
    for signature in page.signatures:
        inside = [w.text for w in words if w.box.overlap(signature.rect)]
        assert "".join(inside) in {signature.label + signature.note, signature.note + signature.label}, inside


def test_the_household_comes_back_character_for_character(printed: dict[str, Printed]) -> None:
    form = printed["jumin_idou"].form
    text = {p.key: p.text for p in form.placements}
    assert text["applicant_name"] == HOUSEHOLDER == "髙﨑　𠮷太郎"
    assert text["address"] == ADDRESS and len(ADDRESS) == 60
    assert text["previous_address"] == PREVIOUS_ADDRESS
    assert [text[f"members[{i}].name"] for i in range(len(MEMBERS))] == [m["name"] for m in MEMBERS]
    assert text["members[0].birth_date"] == "昭和55年2月17日"
    words = {w.text for w in _words(printed["jumin_idou"].path)}
    assert {"髙﨑　𠮷太郎", "髙﨑　𠮷", "昭和55年2月17日", "令和元年5月1日"} <= words


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_the_qr_code_on_every_page_decodes_to_the_form_and_its_values(
    printed: dict[str, Printed], form_id: str, tmp_path: Path
) -> None:
    item = printed[form_id]
    subprocess.run(
        ["pdftoppm", "-r", "200", "-gray", "-png", str(item.path), str(tmp_path / "page")], check=True
    )
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == item.form.page_count
    for number, png in enumerate(pages, start=1):
        payloads = decode_file(png)
        assert len(payloads) == 1, f"page {number}: {len(payloads)} QR codes"
        record = decode_payload(payloads[0])
        assert (record.form_id, record.page, record.pages) == (form_id, number, item.form.page_count)
        assert record.values == item.form.qr_values
    assert (
        item.form.qr_values["applicant_name" if form_id != "inkan_touroku" else "subject_name"] == HOUSEHOLDER
    )


def test_the_guide_sheet_embeds_its_fonts_and_gives_back_the_name(tmp_path: Path) -> None:
    fonts = load_fonts()
    sheet = GuideSheet(
        visit_date=dt.date(2025, 4, 14),
        office="みどり区役所",
        household=HOUSEHOLDER,
        counters=(
            GuideCounter(
                "1番窓口 市民課",
                "本庁舎1階",
                (
                    GuideProcedure(
                        "転入届", "みどり区に引っ越してきたため", ("本人確認書類",), dt.date(2025, 4, 15)
                    ),
                ),
            ),
        ),
    )
    path = tmp_path / "guide.pdf"
    path.write_bytes(render_guide_sheet(sheet, fonts).pdf)
    listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = listing.splitlines()[2:]
    assert rows and all(row.split()[-5] == "yes" for row in rows)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert f"{HOUSEHOLDER} 様" in text
