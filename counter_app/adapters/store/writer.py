"""Writing records into the main database, idempotently.

:func:`apply_record` inserts a visit (with its procedures, print jobs and stat counts) or an audit
entry inside the caller's transaction. The row is inserted with ``ON CONFLICT DO NOTHING`` on its UUID:
when it is already there (the outbox sent it before but did not hear the commit), nothing else is
written, so a visit is never stored or counted twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Table, insert

from counter_app.adapters.store.engine import dialect_insert
from counter_app.adapters.store.models import AUDIT_EVENTS, PRINT_JOBS, VISIT_PROCEDURES, VISITS
from counter_app.adapters.store.records import AuditRecord, Record, VisitRecord
from counter_app.adapters.store.rollups import Counts, apply_increments, increments


def _insert_ignoring_duplicates(connection: Connection, table: Table, row: dict[str, Any]) -> bool:
    """Insert ``row`` unless its primary key exists; whether it was inserted."""
    statement = dialect_insert(connection, table).values(row).on_conflict_do_nothing(index_elements=["id"])
    return connection.execute(statement.returning(table.c.id)).first() is not None


def _visit_row(record: VisitRecord, now: dt.datetime) -> dict[str, Any]:
    return {
        "id": record.visit_id,
        "counter": record.counter,
        "clerk_id": record.clerk_id,
        "life_event": record.life_event,
        "identified_by": record.identified_by.value,
        "outcome": record.outcome.value,
        "started_at": record.started_at,
        "finished_at": record.finished_at,
        "duration_s": record.duration_s,
        "local_date": record.local_date,
        "local_hour": record.local_hour,
        "app_version": record.app_version,
        "recorded_at": now,
    }


def apply_visit(
    connection: Connection, record: VisitRecord, now: dt.datetime | None = None, counts: Counts | None = None
) -> bool:
    """Store one visit and count it; False (and nothing written) when it was stored before.

    With ``counts`` the visit's increments are added there (to be applied once for a whole batch)
    instead of being applied at once."""
    now = now or dt.datetime.now(dt.UTC)
    if not _insert_ignoring_duplicates(connection, VISITS, _visit_row(record, now)):
        return False
    if record.procedures:
        connection.execute(
            insert(VISIT_PROCEDURES),
            [
                {
                    "visit_id": record.visit_id,
                    "position": position,
                    "procedure_id": choice.procedure_id,
                    "chosen": choice.chosen,
                    "deselect_reason": choice.deselect_reason,
                }
                for position, choice in enumerate(record.procedures)
            ],
        )
    if record.print_jobs:
        connection.execute(
            insert(PRINT_JOBS),
            [
                {
                    "id": job.job_id,
                    "visit_id": record.visit_id,
                    "form_id": job.form_id,
                    "procedure_id": job.procedure_id,
                    "pages": job.pages,
                    "copies": job.copies,
                    "prefilled_chars": job.prefilled_chars,
                    "reprint": job.reprint,
                    "status": job.status.value,
                    "printer": job.printer,
                    "printed_at": job.printed_at,
                }
                for job in record.print_jobs
            ],
        )
    if counts is None:
        apply_increments(connection, increments(record))
    else:
        for key, (n, total) in increments(record).items():
            old_n, old_total = counts.get(key, (0, 0))
            counts[key] = (old_n + n, old_total + total)
    return True


def apply_audit(connection: Connection, record: AuditRecord, now: dt.datetime | None = None) -> bool:
    return _insert_ignoring_duplicates(
        connection,
        AUDIT_EVENTS,
        {
            "id": record.event_id,
            "at": record.at,
            "counter": record.counter,
            "clerk_id": record.clerk_id,
            "kind": record.kind.value,
            "visit_id": record.visit_id,
            "detail": dict(record.detail),
            "received_at": now or dt.datetime.now(dt.UTC),
        },
    )


def apply_record(connection: Connection, record: Record, now: dt.datetime | None = None) -> bool:
    if isinstance(record, VisitRecord):
        return apply_visit(connection, record, now)
    return apply_audit(connection, record, now)


def apply_records(connection: Connection, records: Sequence[Record]) -> list[bool]:
    """Store a batch (in the caller's transaction); the stat counts of all its new visits are merged and
    applied once, in key order. Whether each record was new."""
    counts: Counts = {}
    now = dt.datetime.now(dt.UTC)
    inserted = [
        apply_visit(connection, record, now, counts)
        if isinstance(record, VisitRecord)
        else apply_audit(connection, record, now)
        for record in records
    ]
    apply_increments(connection, counts)
    return inserted
