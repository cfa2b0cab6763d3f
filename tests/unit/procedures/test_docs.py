"""The examples in docs/visit-format.md and docs/catalog.md are real: they parse and run."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from procedures.catalog import load_catalog
from procedures.conditions import parse_condition
from procedures.engine import guide
from procedures.i18n import TranslationFile
from procedures.schema import CatalogMeta, DeadlineRule, Fact, LegalBasis, OfficeCalendar, OverridesFile
from procedures.towns import TOWNS_FILE, read_towns
from procedures.visit import parse_visit

DOCS = Path(__file__).resolve().parents[3] / "docs"


def blocks(name: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", (DOCS / name).read_text(encoding="utf-8"), re.S)


def test_visit_format_example_runs() -> None:
    [example] = blocks("visit-format.md", "json")
    visit = parse_visit(example)
    guidance = guide(load_catalog(), visit)
    assert visit.members[0].source.value == "card"
    assert ("has_mynumber_card", 0) not in [q.key for q in guidance.questions]  # read from the card
    assert {"tennyu_todoke_tokurei", "inkan_touroku@0", "mynumber_keizoku@0"} <= guidance.procedure_keys()
    assert guidance.ignored_answers == ()


def test_catalog_doc_snippets_are_valid(tmp_path: Path) -> None:
    snippets = blocks("catalog.md", "yaml")
    assert len(snippets) == 10
    translation = TranslationFile.model_validate(yaml.safe_load(snippets.pop(3)))
    (tmp_path / TOWNS_FILE).write_text(snippets.pop(3), encoding="utf-8")  # the 町丁目 list's example
    towns, issues = read_towns(tmp_path)
    assert issues == [] and towns is not None and towns.addresses()[0] == "東京都みどり川区本町一丁目"
    national = load_catalog("national", allow_base=True)
    assert translation.language == "zh-Hans" and set(translation.procedures) <= set(national.procedures)
    assert set(translation.items) <= set(national.items) and set(translation.counters) <= set(
        national.counters
    )
    assert set(translation.questions) <= set(national.questions) and set(translation.events) <= set(
        national.events
    )
    overlay, overrides, basis = (yaml.safe_load(s) for s in snippets[:3])
    assert CatalogMeta.model_validate(overlay).extends == "national"
    assert [o.target for o in OverridesFile.model_validate(overrides).overrides] == [
        ("procedure", "inu_shozaichi_henkou"),
        ("procedure", "kokuho_kanyu"),
    ]
    assert LegalBasis.model_validate(basis["legal_basis"][0]).article == "22条1項"
    assert DeadlineRule.model_validate(basis["deadline"]).basis.startswith("住民基本台帳法22条1項")
    snippets = snippets[3:]
    events, facts, _, calendar, condition = (yaml.safe_load(s) for s in snippets)
    OfficeCalendar.model_validate(calendar["office_calendar"])
    assert events["events"][0]["subjects"]["default"] == "none"
    for fact in facts["facts"]:
        Fact.model_validate(fact)
    for line in snippets[2].splitlines():
        DeadlineRule.model_validate({**yaml.safe_load(line.split("#")[0])["deadline"], "text_en": "x"})
    parse_condition(condition["when"])


def test_catalog_doc_counts_match_the_shipped_catalog() -> None:
    text = (DOCS / "catalog.md").read_text(encoding="utf-8")
    catalog = load_catalog()
    events, questions, procedures = len(catalog.events), len(catalog.questions), len(catalog.procedures)
    assert f"{events} events, {questions} questions, {procedures} procedures" in text
    assert f"across {len(catalog.departments)} departments" in text


def test_catalog_doc_lists_every_national_procedure_with_its_legal_basis() -> None:
    text = (DOCS / "catalog.md").read_text(encoding="utf-8")
    national = load_catalog("national", allow_base=True)
    lines = [line for line in text.splitlines() if line.startswith("| `")]
    rows = {line.split("|")[1].strip().strip("`"): line for line in lines}
    for procedure in national.procedures.values():
        row = rows.get(procedure.id)
        assert row is not None, procedure.id
        assert procedure.name in row
        for basis in procedure.legal_basis:
            assert f"{basis.law} {basis.article}" in row, procedure.id
        if procedure.deadline is not None:
            assert procedure.deadline.basis in row, procedure.id


def test_the_review_table_is_the_catalog_as_it_is() -> None:
    """The table staff review is generated from the base catalog (``python -m procedures.describe``):
    a change to a national procedure that is not carried into docs/catalog.md fails here."""
    from procedures.describe import review_table

    rows = review_table(load_catalog("national", allow_base=True))
    lines = (DOCS / "catalog.md").read_text(encoding="utf-8").splitlines()
    start = lines.index(rows[0])
    assert lines[start : start + len(rows)] == rows
    assert not lines[start + len(rows)].startswith("|")
