"""A household whose second member has a 34-character フリガナ: forms that list member 2 are held back.
Shared by tests/unit/app/test_held_forms.py and tests/qt/test_print_page_held.py."""

from __future__ import annotations

from typing import Any

from counter_app.workflow.visit_extras import VisitExtras
from forms.samples import ADDRESS
from procedures.catalog import Catalog
from procedures.engine import Guidance, NeededProcedure
from procedures.visit import JsonAnswer, Visit
from tests.helpers.visits import MEMBERS, answered

LONG_KANA = "ファンデルヴェーケンアレクサンドラマリアルイーズエリザベト"[:34].ljust(34, "ス")


def long_reading_household(catalog: Catalog) -> tuple[Visit, Guidance, dict[str, Any]]:
    members = [dict(m) for m in MEMBERS]
    members[1]["furigana"] = LONG_KANA
    data = {
        "format": "madoguchi-visit/1",
        "event": "tennyu",
        "event_date": "2025-04-01",
        "members": members,
        "answers": {"new_address": ADDRESS},
    }
    answers: dict[tuple[str, int | None], JsonAnswer] = {("has_mynumber_card", 1): True}
    visit, guidance = answered(catalog, data, answers)
    return visit, guidance, data


class FakeSession:
    """What the print presenter reads of a visit session."""

    visit_id = "v1"

    def __init__(self, visit: Visit, guidance: Guidance) -> None:
        self._visit, self._guidance = visit, guidance
        self.extras = VisitExtras()  # no 整理券, 代理人, note or certificate request
        self.deselected: dict[str, str] = {}

    def visit(self) -> Visit:
        return self._visit

    def guidance(self) -> Guidance:
        return self._guidance

    def chosen(self, guidance: Guidance) -> list[NeededProcedure]:
        return list(guidance.procedures)
