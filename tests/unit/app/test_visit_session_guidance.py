"""The session computes the engine's guidance once per state of the visit: asked again without a change
it is the same guidance (no second run of the engine), and after any change — an answer, Backspace, a
member added, changed or removed, the event date — it is the engine's guidance for the new visit, never
the remembered one."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from counter_app.workflow.visit_session import VisitSession
from procedures import engine
from procedures.catalog import load_catalog
from procedures.engine import Guidance, guide
from procedures.visit import parse_visit
from tests.helpers.visits import MEMBERS
from tests.unit.procedures.flow import any_answer

CATALOG = load_catalog()


def session_of_two() -> VisitSession:
    visit = parse_visit(
        json.dumps({"format": "madoguchi-visit/1", "members": MEMBERS[:2]}, ensure_ascii=False)
    )
    session = VisitSession(CATALOG, members=list(visit.members))
    session.set_event("tennyu", dt.date(2026, 11, 20))
    return session


def fresh(session: VisitSession) -> Guidance:
    return guide(CATALOG, session.visit())


def test_the_same_visit_is_guided_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []

    def counted(catalog: object, visit: object) -> Guidance:
        calls.append(visit)
        return guide(CATALOG, session.visit())

    session = session_of_two()
    monkeypatch.setattr(engine, "guide", counted)  # (the session imports it when first asked)
    first = session.guidance()
    assert session.guidance() is first and session.chosen(session.guidance()) == session.chosen(first)
    assert len(calls) == 1


def test_every_change_gives_the_guidance_of_the_changed_visit() -> None:
    session = session_of_two()
    before = session.guidance()
    pending = before.next_question
    assert pending is not None
    after = session.answer(pending, any_answer(pending.question))
    assert after == fresh(session) and after != before
    assert session.back() is not None
    assert session.guidance() == before  # Backspace: the guidance of the visit as it was

    # A member changed in place (the household step's 対象 toggle writes the list item).
    session.members[1] = session.members[1].model_copy(update={"subject": False})
    assert session.guidance() == fresh(session) and session.guidance() != before
    session.members[1] = session.members[1].model_copy(update={"subject": True})

    session.remove_member(1)
    assert session.guidance() == fresh(session) and session.guidance().subjects == (0,)

    session.set_event("tennyu", dt.date(2026, 11, 1))  # same event, another date
    assert session.guidance().event_date == dt.date(2026, 11, 1)


def test_a_cleared_session_forgets_the_guidance() -> None:
    session = session_of_two()
    session.guidance()
    session.clear()
    assert session._guided is None  # nothing of the household stays in memory through the cache
