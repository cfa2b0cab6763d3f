"""Records: validated before they are queued, JSON round trip, audit detail refuses personal data."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from hypothesis import given

from counter_app.adapters.store.errors import RecordError
from counter_app.adapters.store.records import (
    AuditKind,
    AuditRecord,
    PrintJobRecord,
    ProcedureChoice,
    VisitOutcome,
    VisitRecord,
    dump_record,
    load_record,
    record_kind,
)
from tests.unit.store.factories import TOKYO, visit, visits

T0 = dt.datetime(2026, 4, 1, 9, 0, tzinfo=TOKYO)


@given(visits())
def test_visit_json_round_trip(record: VisitRecord) -> None:
    again = load_record(record_kind(record), dump_record(record))
    assert again == record
    assert isinstance(again, VisitRecord) and again.local_date == record.local_date


def test_audit_json_round_trip() -> None:
    record = AuditRecord(uuid.uuid4(), T0, "1番窓口", AuditKind.PIN_REFUSED, detail={"tries_left": 2})
    assert load_record("audit", dump_record(record)) == record


def test_local_day_and_hour_follow_the_counters_zone() -> None:
    utc_start = dt.datetime(2026, 3, 31, 23, 30, tzinfo=dt.UTC)  # 08:30 on 1 April in Tokyo
    record = visit(utc_start).in_zone(TOKYO)
    assert (record.local_date, record.local_hour) == (dt.date(2026, 4, 1), 8)
    again = load_record("visit", dump_record(record))
    assert isinstance(again, VisitRecord) and again.local_hour == 8


@pytest.mark.parametrize(
    "make",
    [
        lambda: visit(T0.replace(tzinfo=None)),
        lambda: visit(T0, minutes=-1),
        lambda: visit(T0, minutes=60 * 24 * 3),
        lambda: visit(T0, counter=""),
        lambda: visit(T0, counter="x" * 65),
        lambda: visit(T0, life_event="move_in\n"),
        lambda: ProcedureChoice("kokuho", chosen=True, deselect_reason="later"),
        lambda: PrintJobRecord(uuid.uuid4(), "form", T0, pages=0),
        lambda: PrintJobRecord(uuid.uuid4(), "form", T0, prefilled_chars=-1),
        lambda: PrintJobRecord(uuid.uuid4(), "form", T0.replace(tzinfo=None)),
    ],
)
def test_invalid_records_are_refused(make: object) -> None:
    with pytest.raises(RecordError):
        make()  # type: ignore[operator]


def test_the_same_print_job_twice_in_a_visit_is_refused() -> None:
    job = PrintJobRecord(uuid.uuid4(), "tennyu_todoke", T0)
    with pytest.raises(RecordError):
        visit(T0, print_jobs=(job, job))


@pytest.mark.parametrize(
    "detail",
    [
        {"name": "黒桐 幹也"},
        {"resident_name": "x"},
        {"address": "東京都"},
        {"birth_date": "1980-02-17"},
        {"pin": "1234"},
        {"my_number": "123456789012"},
        {"furigana": "こくとう"},
        {"note": "x" * 65},  # longer than any technical value
        {"Tries": 2},  # keys are lowercase technical names
        {"nested": {"a": 1}},
        {f"k{i}": i for i in range(17)},
    ],
)
def test_audit_detail_refuses_personal_data(detail: dict[str, Any]) -> None:
    with pytest.raises(RecordError):
        AuditRecord(uuid.uuid4(), T0, "1番窓口", AuditKind.CARD_READ, detail=detail)


def test_audit_detail_keeps_technical_facts() -> None:
    detail: dict[str, Any] = {
        "tries_left": 1,
        "form_id": "tennyu_todoke",
        "printer_name": "LP-S180",
        "setting": "devices.printer",
    }
    record = AuditRecord(uuid.uuid4(), T0, "1番窓口", AuditKind.SETTINGS_CHANGE, detail=detail)
    assert record.detail == detail


def test_duration_rounds_to_seconds() -> None:
    record = visit(T0, minutes=12.5 + 0.4 / 60)
    assert record.duration_s == 750
    assert record.outcome is VisitOutcome.COMPLETED
