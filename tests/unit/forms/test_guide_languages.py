"""The guide sheet in every resident's language beside the Japanese, for a six-member household.

Checked from the outside: the PDF's embedded font programs (every code shown maps to a real glyph in
the embedded subset's cmap — no .notdef), the text poppler extracts from each column, and the
recorded line boxes (nothing wider than its column, nothing below the bottom margin, no two lines on
top of each other). Line breaking per script is checked on the wrapped lines themselves.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import unicodedata
from itertools import pairwise
from pathlib import Path

import pytest
from click.testing import CliRunner
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from counter_app.cli import cli
from counter_app.workflow.resident_guide import bilingual_guide
from forms import FontSet
from forms.errors import GlyphMissingError
from forms.guide import GuideCounter, GuideProcedure, GuideSheet
from forms.guide_bilingual import (
    CAPTIONS,
    COLUMN_W,
    GAP,
    MARGIN_BOTTOM,
    MARGIN_X,
    PAGE_H,
    RenderedBilingualGuide,
    ResidentGuide,
    render_bilingual_guide,
)
from forms.scripts import SCRIPT_FONTS, ScriptFonts, plain_text
from procedures.catalog import Catalog, load_catalog
from procedures.engine import Guidance, guide
from procedures.i18n import LANGUAGES
from procedures.visit import Visit
from tests.helpers.catalogs import without_translation
from tests.unit.forms.pdf_fonts import embedded_fonts, missing_glyphs, used_codes
from tests.unit.procedures.flow import any_answer, member, visit

TODAY = dt.date(2026, 11, 25)
ALL = tuple(LANGUAGES)  # ja-easy, en, zh-Hans, ko, vi, pt-BR, ne, fil, id


@pytest.fixture(scope="module")
def scripts(fonts: FontSet) -> ScriptFonts:
    return ScriptFonts(fonts)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog("default")


@pytest.fixture(scope="module")
def household(catalog: Catalog) -> tuple[Visit, Guidance]:
    """Six people moving in from abroad, names as on their residence cards."""
    v = visit(
        "tennyu",
        "2026-11-20",
        member("self", "1985-03-02", "male", name="NGUYEN VAN AN"),
        member("spouse", "1987-07-15", "female", name="TRAN THI BINH"),
        member("child", "2012-05-01", "male", name="NGUYEN VAN CUONG"),
        member("child", "2016-09-09", "female", name="NGUYEN THI DUNG"),
        member("parent", "1955-01-20", "male", name="NGUYEN VAN EM"),
        member("parent", "1958-11-30", "female", name="LE THI PHUONG"),
    )
    preferred = {"arrival": "abroad_foreign", "household_insurance": "kokuho"}
    for _ in range(100):
        guidance = guide(catalog, v)
        pending = guidance.next_question
        if pending is None:
            break
        question = catalog.questions[pending.id]
        answer = preferred.get(pending.id, any_answer(question))
        v = v.with_answer(pending.id, answer, pending.member)
    assert guidance.complete
    return v, guidance


@pytest.fixture(scope="module")
def rendered(
    household: tuple[Visit, Guidance], catalog: Catalog, fonts: FontSet, scripts: ScriptFonts
) -> dict[str, tuple[RenderedBilingualGuide, ResidentGuide]]:
    v, guidance = household
    out = {}
    for language in ALL:
        japanese, resident = bilingual_guide(v, guidance, catalog, language, today=TODAY)
        out[language] = (render_bilingual_guide(japanese, resident, fonts, scripts), resident)
    return out


def _column_text(pdf: bytes, tmp_path: Path, page: int, right: bool) -> str:
    path = tmp_path / "sheet.pdf"
    path.write_bytes(pdf)
    x_mm = MARGIN_X + COLUMN_W + GAP / 2 if right else 0
    width_mm = COLUMN_W + GAP / 2 + MARGIN_X if right else MARGIN_X + COLUMN_W + GAP / 2
    px = 72 / 25.4  # pdftotext crops in points at its default 72 dpi
    result = subprocess.run(
        [
            *("pdftotext", "-f", str(page), "-l", str(page), "-x", str(int(x_mm * px)), "-y", "0"),
            *("-W", str(int(width_mm * px)), "-H", str(int(PAGE_H * px)), str(path), "-"),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


def test_the_six_member_household_needs_the_move_in_procedures(household: tuple[Visit, Guidance]) -> None:
    _, guidance = household
    keys = {p.id for p in guidance.procedures}
    assert {"kokugai_tennyu", "zairyu_card_jusho", "kokuho_kanyu", "nenkin_kanyu_kokugai"} <= keys
    assert {"kaigo_tennyu", "jidou_teate_kokugai"} <= keys


@pytest.mark.parametrize("language", ALL)
def test_every_glyph_shown_is_in_the_embedded_font(
    language: str, rendered: dict[str, tuple[RenderedBilingualGuide, ResidentGuide]]
) -> None:
    sheet, _ = rendered[language]
    assert used_codes(sheet.pdf), "no text found in the PDF"
    assert missing_glyphs(sheet.pdf) == [], language
    fonts = {f.base_font: f for f in embedded_fonts(sheet.pdf)}
    names = " ".join(fonts)
    expected = {
        "zh-Hans": "WenQuanYiMicroHei",
        "ko": "NanumGothic",
        "ne": "NotoSansDevanagari",
        "vi": "NotoSans-Regular",
        "en": "NotoSans-Regular",
    }.get(language, "IPAexGothic")
    assert expected in names, names


def test_the_glyph_check_fails_on_a_tofu_box(tmp_path: Path, scripts: ScriptFonts) -> None:
    """Stock reportlab draws a character its font lacks as .notdef: the check above sees it."""
    path = scripts.path("latin")
    font = TTFont("CheckNotoSans", str(path))
    pdfmetrics.registerFont(font)
    out = tmp_path / "tofu.pdf"
    canvas = Canvas(str(out), invariant=True)
    canvas.setFont("CheckNotoSans", 12)
    canvas.drawString(50, 700, "Aé한")  # Noto Sans has no Hangul
    canvas.save()
    assert missing_glyphs(out.read_bytes()), "the missing glyph went unnoticed"
    # Madoguchi's own drawing refuses instead.
    with pytest.raises(GlyphMissingError):
        scripts.runs("한", "en")


@pytest.mark.parametrize("language", ALL)
def test_nothing_overflows_its_column_or_the_page(
    language: str, rendered: dict[str, tuple[RenderedBilingualGuide, ResidentGuide]]
) -> None:
    sheet, _ = rendered[language]
    assert sheet.lines and sheet.page_count >= 1
    by_column: dict[tuple[int, float], list[tuple[float, float]]] = {}
    for line in sheet.lines:
        assert line.x + line.width <= line.column_right + 0.01, (language, line.text, line.width)
        assert line.bottom <= PAGE_H - 5, (language, line.text)  # the footer, inside the printable area
        if line.top < PAGE_H - MARGIN_BOTTOM:
            assert line.bottom <= PAGE_H - MARGIN_BOTTOM + 0.01, (language, line.text, line.bottom)
        by_column.setdefault((line.page, round(line.x)), []).append((line.top, line.bottom))
    for boxes in by_column.values():
        boxes.sort()
        for (_, bottom), (top, _) in pairwise(boxes):
            assert top >= bottom - 0.01, (language, boxes)


@pytest.mark.parametrize("language", ALL)
def test_the_resident_column_reads_in_its_language_and_the_japanese_beside_it(
    language: str,
    rendered: dict[str, tuple[RenderedBilingualGuide, ResidentGuide]],
    catalog: Catalog,
    tmp_path: Path,
) -> None:
    sheet, _ = rendered[language]
    right = _squeeze(
        "".join(_column_text(sheet.pdf, tmp_path, p, True) for p in range(1, sheet.page_count + 1))
    )
    left = _squeeze(
        "".join(_column_text(sheet.pdf, tmp_path, p, False) for p in range(1, sheet.page_count + 1))
    )
    assert _squeeze(plain_text(CAPTIONS[language]["title"])) in right
    assert "窓口案内シート" in left
    text = catalog.translations.procedure(language, "zairyu_card_jusho")
    assert text is not None
    assert _squeeze(plain_text(text.name)) in right, (language, right[:400])
    assert _squeeze(plain_text(text.deadline)) in right
    assert "在留カードの住居地の届出(転入届・転居届と同時)" in left
    # The reason of 国保 with its count in the resident's language (the placeholder filled).
    kokuho = catalog.translations.procedure(language, "kokuho_kanyu")
    assert kokuho is not None
    assert _squeeze(plain_text(kokuho.reason.replace("{count}", "6"))) in right, (language, kokuho.reason)
    # Names stay exactly as on the residence card.
    assert "NGUYENVANAN" in right and "NGUYENVANAN" in left


@pytest.mark.parametrize("language", [lang for lang in ALL if lang != "en"])
def test_a_missing_translation_prints_the_japanese_with_a_note_never_an_empty_line(
    language: str,
    household: tuple[Visit, Guidance],
    fonts: FontSet,
    scripts: ScriptFonts,
    tmp_path: Path,
) -> None:
    # The ward's waterworks programme, its translation taken out of a copy of the ward's folder.
    catalog = load_catalog(without_translation("default", tmp_path, "procedures", "suidou_kaishi"))
    assert catalog.translations.procedure(language, "suidou_kaishi") is None
    v, guidance = household
    japanese, resident = bilingual_guide(v, guidance, catalog, language, today=TODAY)
    sheet = render_bilingual_guide(japanese, resident, fonts, scripts)
    entries = [p for c in resident.counters for p in c.procedures]
    water = [p for p in entries if p.name == catalog.procedures["suidou_kaishi"].name]
    assert len(water) == 1 and water[0].untranslated and water[0].reason
    assert not [p for p in entries if p.untranslated and p is not water[0]]
    right = _squeeze(
        "".join(_column_text(sheet.pdf, tmp_path, p, True) for p in range(1, sheet.page_count + 1))
    )
    assert _squeeze(catalog.procedures["suidou_kaishi"].name) in right
    assert _squeeze(catalog.procedures["suidou_kaishi"].reason) in right
    assert _squeeze(plain_text(CAPTIONS[language]["untranslated"])) in right
    # No line of the sheet is empty.
    assert all(line.text.strip() for line in sheet.lines)


# A counter whose name wraps to several lines in a long script (Nepali here), after as many short
# procedures as it takes for the heading to reach every position near the foot of a page.
LONG_COUNTER = {
    "ja": "住民記録係・マイナンバーカード係・国民健康保険係・国民年金係・介護保険係・児童手当係の合同窓口",
    "ne": "बासिन्दा अभिलेख शाखा, माइनम्बर कार्ड शाखा, राष्ट्रिय स्वास्थ्य बीमा शाखा, राष्ट्रिय निवृत्तिभरण "
    "शाखा, दीर्घकालीन हेरचाह बीमा शाखा र बाल भत्ता शाखाको संयुक्त काउन्टर",
}


def _sheet_with_long_heading(fillers: int) -> tuple[GuideSheet, ResidentGuide]:
    def procedures(language: str, count: int, first: int = 0) -> tuple[GuideProcedure, ...]:
        word, reason = ("手続", "理由") if language == "ja" else ("प्रक्रिया ", "कारण")
        return tuple(GuideProcedure(name=f"{word}{first + i}", reason=reason) for i in range(count))

    japanese = GuideSheet(
        TODAY,
        (
            GuideCounter("1番窓口", procedures=procedures("ja", fillers)),
            GuideCounter(LONG_COUNTER["ja"], "本庁舎1階", procedures("ja", 2, 100)),
        ),
    )
    resident = ResidentGuide(
        "ne",
        (
            GuideCounter("काउन्टर 1", procedures=procedures("ne", fillers)),
            GuideCounter(LONG_COUNTER["ne"], "मुख्य भवन 1F", procedures("ne", 2, 100)),
        ),
    )
    return japanese, resident


def test_a_counter_heading_never_ends_a_page(fonts: FontSet, scripts: ScriptFonts) -> None:
    pages_seen = set()
    for fillers in range(8, 40):
        japanese, resident = _sheet_with_long_heading(fillers)
        sheet = render_bilingual_guide(japanese, resident, fonts, scripts)
        body = [line for line in sheet.lines if line.top < PAGE_H - MARGIN_BOTTOM]  # not the footer
        headings = [line for line in body if line.text.startswith("②")]
        first = [line for line in body if line.text.startswith("□") and "100" in line.text]
        assert len(headings) == 2 and len(first) == 2, (fillers, headings, first)  # both columns
        assert {h.page for h in headings} == {f.page for f in first}, (fillers, headings, first)
        assert all(f.top > h.bottom for f in first for h in headings)
        pages_seen.add(headings[0].page)
    assert len(pages_seen) >= 2  # the heading did cross a page break within the sweep


# ---------------------------------------------------------------- line breaking per script


def _lines(scripts: ScriptFonts, text: str, language: str, width_pt: float) -> list[str]:
    return ["".join(a.text for a in line) for line in scripts.wrap(text, language, 11, width_pt)]


def test_latin_breaks_only_between_words(scripts: ScriptFonts) -> None:
    text = "Trong vòng 14 ngày kể từ ngày bắt đầu sống tại đây; Thông báo chuyển đến"
    lines = _lines(scripts, text, "vi", 120)
    assert len(lines) > 2
    words = set(text.split())
    for line in lines:
        assert all(w in words for w in line.split()), line
    assert " ".join(line.strip() for line in lines) == text


def test_devanagari_keeps_clusters_and_words(scripts: ScriptFonts) -> None:
    text = "विदेशबाट सरेर आएका २० वर्षदेखि ६० वर्षमुनिका व्यक्ति राष्ट्रिय पेन्सनको पहिलो श्रेणीको बीमित हुने भएकोले"
    lines = _lines(scripts, text, "ne", 110)
    assert len(lines) > 2
    for line in lines:
        assert not unicodedata.category(line.strip()[0]).startswith("M"), line
        assert all(w in text.split() for w in line.split()), line
    # A word wider than the line is broken, but never after a virama or before a vowel sign.
    long_word = "प्रमाणपत्रप्रमाणपत्रप्रमाणपत्रप्रमाणपत्र"
    pieces = _lines(scripts, long_word, "ne", 40)
    assert len(pieces) > 1 and "".join(pieces) == long_word
    for a, b in pairwise(pieces):
        assert a[-1] != "\u094d" and not unicodedata.category(b[0]).startswith("M"), (a, b)


def test_devanagari_is_shaped(scripts: ScriptFonts) -> None:
    """क्ष is one conjunct glyph, which has no character of its own: a private code of the subset."""
    font = scripts.font("devanagari")
    shaped = font.shape("क्ष")
    assert len(shaped) == 1 and shaped[0][0] >= 0x100000
    # The vowel sign ि is drawn before its consonant (reordered), as in सि.
    si = font.shape("सि")
    assert len(si) == 2 and si[1][0] == ord("स") and si[0][0] != ord("स")


def test_chinese_and_japanese_break_per_character_with_kinsoku(scripts: ScriptFonts) -> None:
    text = "需要加入国民健康保险的人(3人)迁入了。迁入申报(転入届)。在留卡住居地申报,开始居住之日起14天内。"
    for width in (60, 75, 90, 110):
        lines = _lines(scripts, text, "zh-Hans", width)
        assert "".join(lines) == text
        for line in lines[1:]:
            assert line[0] not in "。,、)」", (width, lines)
        for line in lines[:-1]:
            assert line[-1] not in "(「", (width, lines)
        assert not any(line.endswith("1") and nxt.startswith("4") for line, nxt in pairwise(lines))


def test_korean_breaks_at_spaces(scripts: ScriptFonts) -> None:
    text = "국민건강보험에 가입하는 분(6명)이 전입했기 때문입니다"
    lines = _lines(scripts, text, "ko", 90)
    assert len(lines) > 1
    for line in lines:
        assert all(w in text.split() for w in line.split()), lines


def test_furigana_stays_with_its_kanji(scripts: ScriptFonts) -> None:
    text = (
        "国民健康保険《こくみんけんこうほけん》に入《はい》る人《ひと》(6人《にん》)が"
        "引《ひ》っ越《こ》してきました。"
    )
    for width in (50, 70, 90):
        lines = scripts.wrap(text, "ja-easy", 11, width)
        atoms = [a for line in lines for a in line]
        assert any(a.text == "国民健康保険" and a.ruby == "こくみんけんこうほけん" for a in atoms)
        assert "".join(a.text for a in atoms) == plain_text(text)
    assert plain_text(text) == "国民健康保険に入る人(6人)が引っ越してきました。"


def test_the_script_fonts_come_from_their_debian_packages(scripts: ScriptFonts) -> None:
    scripts.check_available()
    for key, spec in SCRIPT_FONTS.items():
        assert scripts.path(key).name == spec.spec.file_name


def test_forms_render_writes_the_sheet_in_the_residents_language(
    household: tuple[Visit, Guidance], tmp_path: Path
) -> None:
    v, _ = household
    visit_file = tmp_path / "visit.json"
    visit_file.write_text(json.dumps(v.to_json(), ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out"
    args = ["forms", "render", "--visit", str(visit_file), "--out", str(out), "--language", "ko"]
    result = CliRunner().invoke(cli, [*args, "--date", TODAY.isoformat()])
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    sheets = [d for d in manifest["documents"] if d["kind"] == "guide_sheet"]
    assert [d["language"] for d in sheets] == ["ko"]
    pdf = Path(sheets[0]["path"]).read_bytes()
    right = _squeeze(_column_text(pdf, tmp_path, 1, True))
    assert "창구안내" in right and "국외에서의전입신고" in right
    assert missing_glyphs(pdf) == []
