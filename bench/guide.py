"""Time to compute the full procedure list for a 6-member household, with baselines from the same run.

Prints (median of runs):
* ``guide()`` on a fully answered 6-member 転入 household (three generations, a pupil, a toddler, a dog)
  with the default catalog — the figure the counter waits for after every answer;
* the first ``guide()`` on a freshly loaded catalog (it compiles the catalog's conditions once);
* the whole guided flow: answering the questions one by one, calling ``guide()`` after each, with the
  number of questions the household was asked (26 before issue 13's household-level questions), and
  the same for a family of six as most are (24 before);
* baselines: parsing and validating the same visit JSON (a trivial evaluation of the same data),
  reading and validating the catalog without cross-checks, and the full ``catalog check``
  (which the app does once at start).

Run: ``.venv/bin/python -m bench.guide [--runs N]``. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from typing import Any

from bench.timing import median_ms
from procedures.catalog import Catalog, check_catalog, default_catalog_dir, load_catalog, read_catalog
from procedures.engine import guide
from procedures.visit import JsonAnswer, Visit, parse_visit

EVENT_DATE = "2025-06-02"
HOUSEHOLD: dict[str, Any] = {
    "format": "madoguchi-visit/1",
    "event": "tennyu",
    "event_date": EVENT_DATE,
    "members": [
        {
            "name": "見本　一郎",
            "birth_date": "1982-05-05",
            "sex": "male",
            "relationship": "self",
            "source": "card",
        },
        {
            "name": "見本　花子",
            "birth_date": "1984-08-08",
            "sex": "female",
            "relationship": "spouse",
            "source": "qr",
        },
        {"name": "見本　太郎", "birth_date": "2016-08-15", "sex": "male", "relationship": "child"},
        {"name": "見本　桜", "birth_date": "2022-01-10", "sex": "female", "relationship": "child"},
        {
            "name": "見本　正",
            "birth_date": "1947-03-03",
            "sex": "male",
            "relationship": "parent",
            "source": "card",
        },
        {"name": "見本　春", "birth_date": "1952-06-06", "sex": "female", "relationship": "parent"},
    ],
}
ANSWERS: dict[tuple[str, int | None], JsonAnswer] = {
    # The household's true situation; a question the flow does not need is simply never asked.
    ("arrival", None): "domestic_card",
    ("tokurei_tennyu", None): True,
    ("tenshutsu_yotei", None): "2025-05-31",
    ("new_address", None): "東京都みどり川区若葉町1-2-3",
    ("household_cards", None): "adults",
    ("has_mynumber_card", 1): True,
    ("has_mynumber_card", 2): False,
    ("has_mynumber_card", 3): False,
    ("has_mynumber_card", 5): True,
    ("inkan_who", None): "couple",
    ("inkan_register", 0): True,
    ("inkan_register", 1): True,
    ("inkan_register", 4): False,
    ("inkan_register", 5): False,
    ("household_insurance", None): "kokuho",
    ("insurance", 0): "kokuho",
    ("insurance", 1): "kokuho",
    ("insurance", 2): "kokuho",
    ("insurance", 3): "kokuho",
    ("insurance", 5): "kokuho",
    ("kaigo_2gou_any", None): False,
    ("kaigo_certified", 4): True,
    ("kaigo_certified", 5): False,
    ("civil_servant", None): False,
    ("teate_claimant", None): "householder",
    ("hitorioya", None): False,
    ("ward_school", 2): True,
    ("wants_childcare", None): "both",
    ("techou_or_dog", None): "dog",
    ("techou_holder", None): False,
    ("has_dog", None): True,
    ("dog_count", None): 1,
    ("has_moped", None): False,
}


# A family of six as most are: both parents' cards read, the four children without one, everyone on
# 国民健康保険, nobody registering a seal, no dog, all pupils at ward schools (24 questions before
# issue 13's household-level questions).
UNIFORM: dict[str, Any] = {
    "format": "madoguchi-visit/1",
    "event": "tennyu",
    "event_date": EVENT_DATE,
    "members": [
        {
            "name": "見本　一郎",
            "birth_date": "1982-05-05",
            "sex": "male",
            "relationship": "self",
            "source": "card",
        },
        {
            "name": "見本　花子",
            "birth_date": "1984-08-08",
            "sex": "female",
            "relationship": "spouse",
            "source": "card",
        },
        {"name": "見本　太郎", "birth_date": "2016-08-15", "sex": "male", "relationship": "child"},
        {"name": "見本　次郎", "birth_date": "2012-11-11", "sex": "male", "relationship": "child"},
        {"name": "見本　桜", "birth_date": "2019-01-10", "sex": "female", "relationship": "child"},
        {"name": "見本　葵", "birth_date": "2022-01-10", "sex": "female", "relationship": "child"},
    ],
}
UNIFORM_ANSWERS: dict[tuple[str, int | None], JsonAnswer] = {
    ("arrival", None): "domestic_card",
    ("tokurei_tennyu", None): True,
    ("tenshutsu_yotei", None): "2025-05-31",
    ("new_address", None): "東京都みどり川区若葉町1-2-3",
    ("household_cards", None): "none",
    ("inkan_who", None): "none",
    ("household_insurance", None): "kokuho",
    ("kaigo_2gou_any", None): False,
    ("civil_servant", None): False,
    ("teate_claimant", None): "householder",
    ("techou_or_dog", None): "none",
    ("ward_school_all", None): True,
    ("wants_childcare", None): "none",
}


def full_visit() -> Visit:
    visit = parse_visit(HOUSEHOLD)
    for (question, member), value in ANSWERS.items():
        visit = visit.with_answer(question, value, member)
    return visit


def flow(
    catalog: Catalog,
    household: dict[str, Any] = HOUSEHOLD,
    answers: dict[tuple[str, int | None], JsonAnswer] = ANSWERS,
) -> int:
    """Answer one question at a time until none is left; the number of questions asked."""
    visit = parse_visit(household)
    asked = 0
    guidance = guide(catalog, visit)
    while not guidance.complete:
        pending = guidance.questions[0]
        visit = visit.with_answer(pending.id, answers[pending.key], pending.member)
        guidance = guide(catalog, visit)
        asked += 1
    return asked


def first_guide_ms(visit: Visit, runs: int) -> float:
    """Median time of the first ``guide()`` on a freshly loaded catalog (loading not counted)."""
    times: list[float] = []
    for _ in range(runs):
        fresh = load_catalog()
        start = time.perf_counter()
        guide(fresh, visit)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    runs = args.runs

    catalog = load_catalog()
    visit = full_visit()
    guidance = guide(catalog, visit)
    assert guidance.complete, [q.key for q in guidance.questions]
    visit_json = json.dumps(visit.to_json(), ensure_ascii=False)
    directory = default_catalog_dir()

    guide_ms = median_ms(lambda: guide(catalog, visit), runs)
    first_ms = first_guide_ms(visit, max(3, runs // 40))
    asked = flow(catalog)
    calls = asked + 1
    flow_ms = median_ms(lambda: flow(catalog), max(5, runs // 20))
    parse_ms = median_ms(lambda: parse_visit(visit_json), runs)
    read_ms = median_ms(lambda: read_catalog(directory), max(5, runs // 20))
    check_ms = median_ms(lambda: check_catalog(directory), max(5, runs // 20))

    print("Guided flow on the default catalog (みどり川区): 6-member 転入 household, fully answered")
    print(
        f"  catalog: {len(catalog.events)} events, {len(catalog.questions)} questions, "
        f"{len(catalog.procedures)} procedures; result: {len(guidance.procedures)} procedures"
    )
    print(f"  guide(), full list:                  {guide_ms:8.3f} ms  (median of {runs})")
    print(f"  first guide() on a fresh catalog:    {first_ms:8.3f} ms  (compiles the conditions once)")
    per_answer = flow_ms / calls
    print(
        f"  whole flow, {asked:2d} questions asked ({calls} guide() calls): {flow_ms:8.3f} ms"
        f"  → {per_answer:.3f} ms per answer"
    )
    uniform_asked = flow(catalog, UNIFORM, UNIFORM_ANSWERS)
    uniform_ms = median_ms(lambda: flow(catalog, UNIFORM, UNIFORM_ANSWERS), max(5, runs // 20))
    print(
        f"  6-member family as most are (same insurance, no seals, no cards for the children): "
        f"{uniform_asked} questions asked, whole flow {uniform_ms:8.3f} ms"
    )
    print("Baselines measured in the same run:")
    ratio = guide_ms / parse_ms
    print(f"  parse + validate the visit JSON:     {parse_ms:8.3f} ms  → guide() is {ratio:6.1f}× this")
    print(f"  read + validate the catalog YAML:    {read_ms:8.3f} ms  → {read_ms / guide_ms:6.1f}× guide()")
    print(f"  catalog check (with cross-checks):   {check_ms:8.3f} ms  → {check_ms / guide_ms:6.1f}× guide()")


if __name__ == "__main__":
    main()
