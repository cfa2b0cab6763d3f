"""Issue 13: a 6-member 転入 household is asked at most half the questions it was asked before the
household-level questions (26 for bench/guide.py's household, 24 for a family of six as most are)."""

from __future__ import annotations

from bench.guide import ANSWERS, HOUSEHOLD, UNIFORM, UNIFORM_ANSWERS, flow
from procedures.catalog import load_catalog


def test_the_bench_households_are_asked_half_as_much() -> None:
    catalog = load_catalog("default")  # the bench's households answer the ward's own questions too
    assert flow(catalog, HOUSEHOLD, ANSWERS) <= 26 // 2
    assert flow(catalog, UNIFORM, UNIFORM_ANSWERS) <= 24 // 2
