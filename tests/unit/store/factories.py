"""Visit records for storage tests: hand-made ones and a hypothesis strategy, no personal data."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from counter_app.adapters.store.records import (
    IdentifiedBy,
    PrintJobRecord,
    PrintStatus,
    ProcedureChoice,
    VisitOutcome,
    VisitRecord,
)

TOKYO = ZoneInfo("Asia/Tokyo")
LIFE_EVENTS = ("move_in", "move_out", "birth", "death", "marriage")
PROCEDURES = ("juminhyo", "kokuho", "jidou_teate", "inkan", "kaigo", "nenkin", "suidou")
FORMS = ("tennyu_todoke", "kokuho_kanyu", "jidou_teate_nintei", "inkan_toroku")
REASONS = ("already_done", "later", "not_eligible", "elsewhere")
COUNTERS = ("1番窓口", "2番窓口", "3番窓口")


def visit(
    started_at: dt.datetime,
    minutes: float = 12.0,
    counter: str = "1番窓口",
    life_event: str = "move_in",
    outcome: VisitOutcome = VisitOutcome.COMPLETED,
    procedures: tuple[ProcedureChoice, ...] | None = None,
    print_jobs: tuple[PrintJobRecord, ...] | None = None,
    identified_by: IdentifiedBy = IdentifiedBy.CARD,
) -> VisitRecord:
    if procedures is None:
        procedures = (
            ProcedureChoice("juminhyo"),
            ProcedureChoice("kokuho"),
            ProcedureChoice("jidou_teate", chosen=False, deselect_reason="already_done"),
        )
    if print_jobs is None:
        print_jobs = (
            PrintJobRecord(uuid.uuid4(), "tennyu_todoke", started_at, pages=2, prefilled_chars=180),
            PrintJobRecord(uuid.uuid4(), "kokuho_kanyu", started_at, prefilled_chars=95),
        )
    return VisitRecord(
        visit_id=uuid.uuid4(),
        counter=counter,
        life_event=life_event,
        started_at=started_at,
        finished_at=started_at + dt.timedelta(minutes=minutes),
        outcome=outcome,
        identified_by=identified_by,
        clerk_id="clerk-07",
        procedures=procedures,
        print_jobs=print_jobs,
    )


def random_visit(rng: random.Random, day: dt.date, counter: str) -> VisitRecord:
    """A plausible visit on ``day`` at ``counter`` (for load tests and benchmarks)."""
    start = dt.datetime.combine(day, dt.time(8, 30), tzinfo=TOKYO) + dt.timedelta(
        seconds=rng.randrange(0, 8 * 3600)
    )
    chosen = rng.sample(PROCEDURES, rng.randint(1, 5))
    choices = []
    for procedure in chosen:
        if rng.random() < 0.15:
            choices.append(ProcedureChoice(procedure, chosen=False, deselect_reason=rng.choice(REASONS)))
        else:
            choices.append(ProcedureChoice(procedure))
    jobs = tuple(
        PrintJobRecord(uuid.uuid4(), rng.choice(FORMS), start, prefilled_chars=rng.randint(20, 300))
        for _ in range(rng.randint(0, 3))
    )
    return VisitRecord(
        visit_id=uuid.uuid4(),
        counter=counter,
        life_event=rng.choice(LIFE_EVENTS),
        started_at=start,
        finished_at=start + dt.timedelta(seconds=rng.randint(120, 3600)),
        outcome=rng.choice(list(VisitOutcome)),
        identified_by=rng.choice(list(IdentifiedBy)),
        procedures=tuple(choices),
        print_jobs=jobs,
    )


@st.composite
def procedure_choices(draw: st.DrawFn) -> ProcedureChoice:
    procedure = draw(st.sampled_from(PROCEDURES))
    if draw(st.booleans()):
        return ProcedureChoice(procedure)
    return ProcedureChoice(
        procedure, chosen=False, deselect_reason=draw(st.none() | st.sampled_from(REASONS))
    )


@st.composite
def print_jobs(draw: st.DrawFn, at: dt.datetime, job_id: uuid.UUID) -> PrintJobRecord:
    return PrintJobRecord(
        job_id=job_id,
        form_id=draw(st.sampled_from(FORMS)),
        printed_at=at,
        pages=draw(st.integers(1, 4)),
        copies=draw(st.integers(1, 3)),
        prefilled_chars=draw(st.integers(0, 400)),
        reprint=draw(st.booleans()),
        status=draw(st.sampled_from(list(PrintStatus))),
    )


@st.composite
def visits(draw: st.DrawFn, first_day: dt.date = dt.date(2026, 1, 28), days: int = 70) -> VisitRecord:
    """A visit on one of ``days`` days from ``first_day`` (crossing month ends), any hour."""
    day = first_day + dt.timedelta(days=draw(st.integers(0, days - 1)))
    start = dt.datetime.combine(day, dt.time(0), tzinfo=TOKYO) + dt.timedelta(
        seconds=draw(st.integers(0, 86_399))
    )
    visit_id = uuid.UUID(int=draw(st.integers(0, 2**128 - 1)))
    jobs = [draw(print_jobs(start, uuid.uuid5(visit_id, f"job-{i}"))) for i in range(draw(st.integers(0, 3)))]
    return VisitRecord(
        visit_id=visit_id,
        counter=draw(st.sampled_from(COUNTERS)),
        life_event=draw(st.sampled_from(LIFE_EVENTS)),
        started_at=start,
        finished_at=start + dt.timedelta(seconds=draw(st.integers(0, 7200))),
        outcome=draw(st.sampled_from(list(VisitOutcome))),
        identified_by=draw(st.sampled_from(list(IdentifiedBy))),
        procedures=tuple(draw(st.lists(procedure_choices(), max_size=5))),
        print_jobs=tuple(jobs),
    )
