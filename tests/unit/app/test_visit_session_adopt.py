"""VisitSession owns its changes: the kiosk hands it a merged visit (adopt) or a new member with the
clerk's edits (add_member) instead of reassigning its fields."""

from __future__ import annotations

import datetime as dt
import json

from counter_app.workflow.visit_session import DetailEdit, VisitSession
from procedures.catalog import load_catalog
from procedures.visit import Visit, parse_visit
from tests.helpers.visits import MEMBERS

CATALOG = load_catalog()
TODAY = dt.date(2026, 12, 4)


def merged(event: str | None, event_date: str | None) -> Visit:
    data: dict[str, object] = {"format": "madoguchi-visit/1", "members": MEMBERS[:2], "answers": {}}
    if event:
        data["event"] = event
    if event_date:
        data["event_date"] = event_date
    return parse_visit(json.dumps(data, ensure_ascii=False))


def test_adopt_moves_the_question_history_with_the_members() -> None:
    session = VisitSession(CATALOG)
    session.members = list(merged(None, None).members)
    session.history = [("has_mynumber_card", 0), ("household_cards", None), ("insurance", 1)]
    session.adopt(merged("tennyu", "2026-12-01"), [1, 0], TODAY)
    assert session.history == [("has_mynumber_card", 1), ("household_cards", None), ("insurance", 0)]
    assert session.event == "tennyu" and session.event_date == dt.date(2026, 12, 1)
    assert [m.name for m in session.members] == [m["name"] for m in MEMBERS[:2]]


def test_adopt_keeps_the_counters_date_and_defaults_to_today() -> None:
    session = VisitSession(CATALOG, event="tennyu", event_date=dt.date(2026, 11, 30))
    session.adopt(merged("tennyu", "2026-12-01"), None, TODAY)
    assert session.event_date == dt.date(2026, 11, 30)
    fresh = VisitSession(CATALOG)
    fresh.adopt(merged("tennyu", None), None, TODAY)
    assert fresh.event_date == TODAY


def test_add_member_records_the_edits_for_the_new_index() -> None:
    session = VisitSession(CATALOG)
    people = list(merged(None, None).members)
    session.add_member(people[0])
    index = session.add_member(people[1], [DetailEdit(-1, "address", "moved")])
    assert index == 1
    assert session.edits == [DetailEdit(1, "address", "moved")]
