"""The pre-fill page in every resident's language, in headless Chromium.

For each language the resident chooses on the page: the page's own words are in that language
(nothing left in Japanese but what the catalog has not translated, and that is marked), a household
typed as on residence cards keeps its names exactly (upper case, order, spaces), and the QR codes
are the same images as in Japanese — they carry ids and values, never words of a language. The codes
of one language are decoded by the counter's decoder and give the household as typed.
"""

from __future__ import annotations

import base64
import io
import json
import re
from collections.abc import Iterator

import pytest
from PIL import Image

from card_reader.qr import decode_image
from procedures.catalog import load_catalog
from procedures.i18n import LANGUAGES
from procedures.prefill import decode_scans
from procedures.prefill.page import build_page
from procedures.prefill.ui_text import TRANSLATIONS, ui_strings
from tests.integration.chromium import Chromium, Page
from tests.integration.test_prefill_browser import FILL, VIOLATIONS

pytestmark = pytest.mark.integration

HOUSEHOLD = [
    {"name": "NGUYEN VAN AN", "birth_date": "1985-03-02", "sex": "male", "relationship": "self",
     "address": "東京都みどり川区若葉町1-2-3"},
    {"name": "TRAN THI  BINH", "birth_date": "1987-07-15", "sex": "female", "relationship": "spouse"},
    {"name": "DA SILVA SANTOS Maria Eduarda", "birth_date": "2012-05-01", "sex": "female",
     "relationship": "child", "furigana": "ダ シルバ サントス マリア エドゥアルダ"},
    {"name": "GURUNG Bishnu Kumari", "birth_date": "1956-01-20", "sex": "female", "relationship": "parent"},
]  # fmt: skip

SET_LANGUAGE = """(function (code) {
  var s = document.getElementById('language'); s.value = code; s.dispatchEvent(new Event('change'));
})"""


@pytest.fixture(scope="module")
def page_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("prefill-languages")
    build_page(load_catalog("default"), out)
    return (out / "index.html").as_uri()


@pytest.fixture(scope="module")
def browser() -> Iterator[Chromium]:
    chromium = Chromium()
    yield chromium
    chromium.close()


def _filled(browser: Chromium, url: str, language: str) -> Page:
    page = browser.page()
    page.add_init_script(VIOLATIONS)
    page.goto(url)
    page.evaluate(FILL)
    page.evaluate(f"{SET_LANGUAGE}({json.dumps(language)})")
    page.evaluate("__fill.event('tennyu', '2026-11-20')")
    for index, member in enumerate(HOUSEHOLD):
        page.evaluate(f"__fill.member({index}, {json.dumps(member, ensure_ascii=False)})")
    return page


def _plain(text: str) -> str:
    """The text as the page shows it: furigana markup becomes ruby (base, then reading)."""
    return re.sub(r"｜?([^｜《》]+?)《([^《》]+)》", r"\1\2", text)


def _qr_images(page: Page) -> list[str]:
    page.evaluate("document.getElementById('make-qr').click()")
    sources: list[str] = page.evaluate(
        "Array.prototype.map.call(document.querySelectorAll('img.qr'), function (i) { return i.src; })"
    )
    return sources


@pytest.fixture(scope="module")
def japanese_codes(browser: Chromium, page_url: str) -> list[str]:
    page = _filled(browser, page_url, "ja")
    codes = _qr_images(page)
    assert codes
    return codes


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_the_page_speaks_the_residents_language_and_the_codes_stay_the_same(
    language: str, browser: Chromium, page_url: str, japanese_codes: list[str]
) -> None:
    page = _filled(browser, page_url, language)
    words = ui_strings(language)
    assert page.evaluate("document.documentElement.lang") == ("ja" if language == "ja-easy" else language)
    assert page.evaluate("document.querySelector('#step-members h2').textContent") == _plain(words["step2"])
    assert page.evaluate("document.getElementById('make-qr').textContent") == _plain(words["make_qr"])
    legend = page.evaluate("document.querySelector('fieldset.member legend').textContent")
    assert legend == _plain(words["member_n"]).replace("{n}", "1")
    sexes = page.evaluate(
        "Array.prototype.map.call(document.querySelectorAll('select[name=sex] option'), function (o) {"
        " return o.textContent; }).slice(1, 3)"
    )
    assert sexes == [words["male"].split("《")[0], words["female"].split("《")[0]]
    event = page.evaluate("document.querySelector('input[name=event][value=tennyu]').parentNode.textContent")
    translated = load_catalog("default").translations.event(language, "tennyu")
    assert translated is not None and _plain(translated.name) in event
    # Each question shown: in the language where the catalog translates it, else the Japanese with the
    # language's note (English: the catalog's own English, always there).
    catalog = load_catalog("default")
    shown = page.evaluate(
        "Array.prototype.map.call(document.querySelectorAll('#questions fieldset.question'), function (q) {"
        " return [q.dataset.question, q.querySelector('legend').textContent]; })"
    )
    assert shown
    untranslated = 0
    for question_id, legend in shown:
        text = catalog.translations.question(language, question_id)
        if text is not None:
            assert _plain(text.text) in legend, (question_id, legend)
        else:
            untranslated += 1
            assert catalog.questions[question_id].text in legend and words["japanese_only"] in legend, legend
    assert language != "en" or untranslated == 0
    if language in TRANSLATIONS and language != "ja-easy":
        # None of the page's own words is left in Japanese.
        static = page.evaluate(
            "Array.prototype.map.call(document.querySelectorAll('[data-i18n]'), function (n) {"
            " return n.getAttribute('data-i18n') + '=' + n.textContent; })"
        )
        for item in static:
            key, _, text = item.partition("=")
            if key != "language":
                assert not any("\u3040" <= ch <= "\u30ff" for ch in text), item
    # Names exactly as typed: upper case, order, double space; the reading only where given.
    members = page.evaluate("MadoguchiPrefill.currentVisit(true).members")
    assert [m["name"] for m in members] == [m["name"] for m in HOUSEHOLD]
    assert [m.get("furigana") for m in members] == [m.get("furigana") for m in HOUSEHOLD]
    # The QR codes are language-neutral: the very same images as on the Japanese page.
    assert _qr_images(page) == japanese_codes
    assert page.evaluate("window.__violations") == []


def test_the_codes_of_a_translated_page_read_back_as_typed(browser: Chromium, page_url: str) -> None:
    page = _filled(browser, page_url, "ne")
    scans = []
    for source in _qr_images(page):
        data = base64.b64decode(source.split(",", 1)[1])
        scans += decode_image(Image.open(io.BytesIO(data)))
    prefill = decode_scans(scans, load_catalog("default"))
    assert [m.name for m in prefill.visit.members] == [m["name"] for m in HOUSEHOLD]
    assert [m.furigana for m in prefill.visit.members] == [m.get("furigana") for m in HOUSEHOLD]


def test_switching_language_keeps_what_was_typed(browser: Chromium, page_url: str) -> None:
    page = _filled(browser, page_url, "vi")
    before = page.evaluate("JSON.stringify(MadoguchiPrefill.currentVisit(false))")
    page.evaluate(f"{SET_LANGUAGE}('ko')")
    assert page.evaluate("JSON.stringify(MadoguchiPrefill.currentVisit(false))") == before
    assert page.evaluate("document.querySelector('input[name=name]').value") == "NGUYEN VAN AN"
