"""Issue 13: a 6-member 転入 household is asked at most half the questions it was asked before the
household-level questions (26 for bench/guide.py's household, 24 for a family of six as most are).

Issue 14 (item 7) added one question that decides no procedure: who claims the 児童手当 (the parent
with the higher income, 児童手当法4条1項), printed as the 請求者 on the form. It is counted apart: the
questions issue 13 halved stay at most half, and the claimant is asked once."""

from __future__ import annotations

from typing import Any

from bench.guide import ANSWERS, HOUSEHOLD, UNIFORM, UNIFORM_ANSWERS
from procedures import guide, parse_visit
from procedures.catalog import Catalog, load_catalog
from procedures.visit import JsonAnswer

FORM_ONLY = "teate_claimant"


def _asked(
    catalog: Catalog, household: dict[str, Any], answers: dict[tuple[str, int | None], JsonAnswer]
) -> list[str]:
    visit = parse_visit(household)
    asked: list[str] = []
    guidance = guide(catalog, visit)
    while not guidance.complete:
        pending = guidance.questions[0]
        visit = visit.with_answer(pending.id, answers[pending.key], pending.member)
        asked.append(pending.id)
        guidance = guide(catalog, visit)
    return asked


def test_the_bench_households_are_asked_half_as_much() -> None:
    catalog = load_catalog("default")  # the bench's households answer the ward's own questions too
    for household, answers, before in ((HOUSEHOLD, ANSWERS, 26), (UNIFORM, UNIFORM_ANSWERS, 24)):
        asked = _asked(catalog, household, answers)
        assert len([q for q in asked if q != FORM_ONLY]) <= before // 2
        assert asked.count(FORM_ONLY) == 1  # both parents live in the household: asked, once
