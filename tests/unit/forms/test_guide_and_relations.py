"""Issue 14 item 7: the guide sheet names whom a per-person procedure concerns (one block, not one
identical block per person), and 介護保険 異動届's 被保険者との関係 is the relation to the insured.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from counter_app.workflow.visit_fields import form_jobs, guide_sheet, relation_to
from forms import FontSet, render_guide_sheet
from procedures.catalog import Catalog, load_catalog
from procedures.visit import parse_visit
from tests.helpers.visits import MEMBERS, TODAY, tennyu


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(None)


def test_per_person_procedures_name_the_people_once(catalog: Catalog, fonts: FontSet, tmp_path: Path) -> None:
    visit, guidance = tennyu(catalog)
    sheet = guide_sheet(visit, guidance, catalog, today=TODAY)
    names = [m.name for m in visit.members]
    blocks = [(counter.name, p) for counter in sheet.counters for p in counter.procedures]
    per_member = [n for n in guidance.procedures if n.procedure.scope == "member"]
    assert per_member, "the household needs per-member procedures"
    for needed in per_member:
        entries = [p for _, p in blocks if p.name == needed.procedure.name]
        assert len(entries) == 1  # merged: one block per procedure and reason
        assert visit.members[needed.members[0]].name in entries[0].people
    for _, block in blocks:
        assert all(person in names for person in block.people)
        assert len(set(block.people)) == len(block.people)
    titles = [(counter, p.name, p.reason) for counter, p in blocks]
    assert len(titles) == len(set(titles))  # no two identical blocks at a counter
    path = tmp_path / "guide.pdf"
    path.write_bytes(render_guide_sheet(sheet, fonts).pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    card = next(p for _, p in blocks if len(p.people) > 1)
    assert "対象" in text and card.people[1] in text
    assert text.count(card.name) == 1


def _visit(relations: list[str], sexes: list[str]) -> Any:
    members = [
        {**MEMBERS[i % len(MEMBERS)], "relationship": r, "sex": s}
        for i, (r, s) in enumerate(zip(relations, sexes, strict=True))
    ]
    data = {"format": "madoguchi-visit/1", "event": "tennyu", "event_date": "2025-04-01", "members": members}
    return parse_visit(json.dumps(data, ensure_ascii=False))


@pytest.mark.parametrize(
    ("relations", "sexes", "expected"),
    [
        (["self", "parent"], ["male", "female"], "子"),  # the householder applies for his mother
        (["parent", "self"], ["female", "male"], "母"),  # the mother applies for the householder
        (["spouse", "self"], ["female", "male"], "妻"),
        (["self", "spouse"], ["male", "female"], "夫"),
        (["spouse", "spouse_parent"], ["female", "male"], "子"),  # the wife for her own father
        (["spouse", "parent"], ["female", "male"], "子の配偶者"),  # the wife for her father-in-law
        (["child", "parent"], ["male", "male"], "孫"),
        (["spouse", "child"], ["female", "male"], None),  # maybe a stepchild: left to write
        (["unrelated", "self"], ["male", "male"], None),
    ],
)
def test_relation_to_the_insured(relations: list[str], sexes: list[str], expected: str | None) -> None:
    assert relation_to(_visit(relations, sexes), 0, 1) == expected


def test_kaigo_form_prints_the_relation_to_the_insured(catalog: Catalog) -> None:
    visit, guidance = tennyu(catalog)  # member 0 is the householder, member 3 his father (65+)
    jobs = {job.file_stem: job for job in form_jobs(visit, guidance, today=TODAY)}
    kaigo = jobs["kaigo_idou-4"].values
    assert kaigo["applicant_relationship"] == "子"  # not 世帯主 (his relation to the householder)
