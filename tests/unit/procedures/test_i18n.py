"""Residents' languages in the catalog: per-language files of the base, the municipality's on top,
an untranslated entry counted per language by ``catalog check`` and never filled in silently."""

from __future__ import annotations

from pathlib import Path

import pytest

from procedures.catalog import check_catalog, load_catalog
from procedures.errors import Severity
from procedures.i18n import LANGUAGES
from tests.helpers.catalogs import without_translation
from tests.unit.procedures.test_overlay import (
    BASE_EVENTS,
    BASE_META,
    BASE_PROCEDURES,
    BASE_QUESTIONS,
    town,
    write,
)

BASE_ZH = """\
language: zh-Hans
procedures:
  tennyu_todoke: {name: 迁入申报(転入届), reason: 您迁入了, deadline: 开始居住之日起14天内}
  inu_jusho: {name: 狗的所在地变更, reason: 养狗的人迁入了}
"""


@pytest.fixture
def base(tmp_path: Path) -> Path:
    return write(
        tmp_path / "kuni",
        {
            "catalog.yaml": BASE_META,
            "events.yaml": BASE_EVENTS,
            "questions.yaml": BASE_QUESTIONS,
            "procedures/10-kumin.yaml": BASE_PROCEDURES,
            "i18n/zh-Hans.yaml": BASE_ZH,
        },
    )


def warnings(folder: Path) -> list[str]:
    return [i.message for i in check_catalog(folder).issues if i.severity is Severity.WARNING]


def test_the_base_translations_are_inherited_and_the_rest_is_counted(base: Path, tmp_path: Path) -> None:
    folder = town(tmp_path)
    catalog = load_catalog(folder)
    text = catalog.translations.procedure("zh-Hans", "tennyu_todoke")
    assert text is not None and text.name == "迁入申报(転入届)" and text.deadline == "开始居住之日起14天内"
    # The base's kokugai_tennyu and the town's suidou_kaishi have no Chinese: missing, not Japanese.
    assert catalog.translations.procedure("zh-Hans", "kokugai_tennyu") is None
    assert catalog.translations.procedure("zh-Hans", "suidou_kaishi") is None
    zh = [w for w in warnings(folder) if "(zh-Hans)" in w]
    assert len(zh) == 1 and "手続2件" in zh[0], zh
    # A language without any file: every procedure (4) is counted.
    ko = [w for w in warnings(folder) if "(ko)" in w]
    assert len(ko) == 1 and "手続4件" in ko[0], ko
    # What the pre-fill page shows is counted too: every question (the base's two and the town's),
    # the kind of event, and the counters the procedures name.
    assert "質問3件" in ko[0] and "窓口3件" in ko[0] and "質問3件" in zh[0], (ko, zh)
    missing = catalog.translations.missing("ko")
    assert set(missing.questions) == set(catalog.questions) and {"has_dog", "from_abroad"} <= set(
        missing.questions
    )
    assert set(missing.counters) == {p.counter for p in catalog.procedures.values()}
    # English is the catalog's own _en twins, complete here.
    assert not [w for w in warnings(folder) if "(en)" in w]
    assert catalog.translations.procedure("en", "suidou_kaishi") is not None


def test_the_municipality_translates_its_own_programmes_and_may_reword_the_base(
    base: Path, tmp_path: Path
) -> None:
    folder = town(tmp_path)
    write(
        folder,
        {
            "i18n/zh-Hans.yaml": (
                "language: zh-Hans\nprocedures:\n"
                "  suidou_kaishi: {name: 开始使用自来水, reason: 您开始使用自来水}\n"
                "  tennyu_todoke: {name: 迁入申报(転入届), reason: 您迁入了本町}\n"
            )
        },
    )
    catalog = load_catalog(folder)
    own = catalog.translations.procedure("zh-Hans", "suidou_kaishi")
    assert own is not None and own.name == "开始使用自来水"
    reworded = catalog.translations.procedure("zh-Hans", "tennyu_todoke")
    assert reworded is not None and reworded.reason == "您迁入了本町"
    zh = [w for w in warnings(folder) if "(zh-Hans)" in w]
    assert len(zh) == 1 and "手続1件" in zh[0] and "kokugai_tennyu" in zh[0], zh


def test_a_base_translation_of_a_text_the_municipality_changed_is_not_used(
    base: Path, tmp_path: Path
) -> None:
    overrides = (
        "overrides:\n  - procedure: inu_jusho\n    set: {reason: 犬の登録は町の環境課で受け付けるため}\n"
        "    reason: 町の窓口を案内するため\n"
    )
    catalog = load_catalog(town(tmp_path, **{"overrides.yaml": overrides}))
    # The Chinese reason says something else than the town's Japanese: treated as untranslated.
    assert catalog.translations.procedure("zh-Hans", "inu_jusho") is None
    assert catalog.translations.procedure("zh-Hans", "tennyu_todoke") is not None


def test_problems_in_a_translation_file_name_the_line(base: Path, tmp_path: Path) -> None:
    folder = town(tmp_path)
    write(
        folder,
        {
            "i18n/vi.yaml": (
                "language: vi\nprocedures:\n"
                "  tenyu_todoke: {name: Thông báo chuyển đến, reason: Bạn đã chuyển đến}\n"
                "  inu_jusho: {name: Chó, reason: '{dogs} con chó'}\n"
            ),
            "i18n/xx.yaml": "language: xx\n",
        },
    )
    report = check_catalog(folder)
    lines = [str(i) for i in report.issues]
    assert any("vi.yaml:3: 警告: 翻訳の手続「tenyu_todoke」はカタログにありません" in s for s in lines), lines
    assert any("vi.yaml:4: 翻訳の理由にある「{dogs}」は日本語の理由にありません" in s for s in lines), lines
    assert any("xx.yaml: 警告: 言語「xx」の翻訳ファイルは読み込まれません" in s for s in lines), lines
    assert not report.ok


@pytest.mark.parametrize("catalog_name", ["default", "sazanami"])
def test_the_shipped_catalogs_check_clean_and_translate_the_move_in_procedures(catalog_name: str) -> None:
    report = check_catalog(catalog_name)
    assert report.ok, [str(i) for i in report.errors]
    catalog = report.catalog
    assert catalog is not None
    move_in = ["tennyu_todoke", "kokugai_tennyu", "zairyu_card_jusho", "kokuho_kanyu", "nenkin_kanyu_kokugai"]
    for code in LANGUAGES:
        for pid in move_in:
            text = catalog.translations.procedure(code, pid)
            assert text is not None and text.name and text.reason and text.deadline, (code, pid)
            # Staff can still find the official name: it stays in Japanese in parentheses.
            if code not in ("en", "ja-easy"):
                assert catalog.procedures[pid].name.split("(")[0] in text.name, (code, pid, text.name)


@pytest.mark.parametrize("catalog_name", ["default", "sazanami"])
@pytest.mark.parametrize("code", list(LANGUAGES))
def test_the_shipped_catalogs_translate_everything_a_resident_reads(catalog_name: str, code: str) -> None:
    """Issue 21: every national procedure (and the shipped wards' own) in every language — names,
    reasons, deadlines, notes, things to bring, counters, kinds of events, questions and their help."""
    catalog = load_catalog(catalog_name)
    missing = catalog.translations.missing(code)
    assert not missing.counts(), (missing.counts(), missing.examples(10))
    for pid, procedure in catalog.procedures.items():
        text = catalog.translations.procedure(code, pid)
        assert text is not None
        assert bool(text.deadline) == bool(procedure.deadline and procedure.deadline.text), (code, pid)
        assert bool(text.note) == bool(procedure.note), (code, pid)


def test_question_translations_for_the_prefill_page(base: Path, tmp_path: Path) -> None:
    folder = town(tmp_path)
    write(
        folder,
        {
            "i18n/ko.yaml": (
                "language: ko\nquestions:\n"
                '  has_dog: {text: "개를 기르고 있습니까?"}\n'
                "  wants_water:\n"
                '    text: "수도를 사용하기 시작합니까?"\n'
                "    choices:\n"
                "      maybe: 아마도\n"
            )
        },
    )
    report = check_catalog(folder)
    catalog = report.catalog
    assert catalog is not None
    text = catalog.translations.question("ko", "has_dog")
    assert text is not None and text.text == "개를 기르고 있습니까?"
    assert catalog.translations.question("ko", "from_abroad") is None
    english = catalog.translations.question("en", "from_abroad")
    assert english is not None and english.text == "Moving in from abroad?"
    lines = [str(i) for i in report.issues]
    warning = "ko.yaml:7: 警告: 翻訳の質問「wants_water」の選択肢「maybe」はカタログにありません"
    assert any(warning in s for s in lines), lines


def test_the_ward_translates_its_own_programmes_in_its_folder(tmp_path: Path) -> None:
    ward = load_catalog("default")
    town = load_catalog("sazanami")
    assert "kodomo_iryou" in town.procedures and "kodomo_iryou_tennyu" not in town.procedures
    for code in LANGUAGES:
        # The ward's 子ども医療証 (its own programme) is translated in procedures/catalogs/default/i18n/.
        assert ward.translations.procedure(code, "kodomo_iryou_tennyu") is not None, code
    # The ward's files are not the town's: take the town's own translation of its 子ども医療費助成 out of
    # a copy of its folder, and nothing else fills it in (counted by catalog check, printed in Japanese
    # with the note).
    bare = load_catalog(without_translation("sazanami", tmp_path, "procedures", "kodomo_iryou"))
    for code in LANGUAGES:
        if code != "en":
            assert bare.translations.procedure(code, "kodomo_iryou") is None, code
            assert "kodomo_iryou" in bare.translations.missing(code).procedures
