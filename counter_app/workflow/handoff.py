"""From a printed visit to its hand-off payloads, and the visit log that queues them (docs/handoff.md).

:class:`HandoffVisitLog` wraps the kiosk's visit log: when a visit ends *completed* with forms printed,
it builds, for every layout of the catalog, the rows of the procedures the clerk kept whose forms were
printed, writes them as that layout's files (one per kind, plus the list of stopped rows) and queues
them sealed in the hand-off outbox. A failure here is logged (ids only) and never stops the kiosk: the
signed paper is still the back office's copy.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
import uuid
from collections.abc import Callable, Collection, Mapping

from counter_app.adapters.handoff_outbox import HandoffFile, HandoffOutbox, HandoffPayload
from counter_app.workflow.ports import AuditKind, VisitLog, VisitOutcome
from counter_app.workflow.visit_session import VisitSession
from procedures.engine import Guidance, NeededProcedure
from procedures.handoff import (
    HandoffLayout,
    PersonNumbers,
    build_rows,
    file_name,
    problems_file_name,
    write_csv,
    write_problems,
)
from procedures.visit import Visit

log = logging.getLogger(__name__)


def handoff_visit_id(visit_id: uuid.UUID | str, day: dt.date) -> str:
    """The visit's id in the hand-off and on the back-office QR code: short, with the day in it (the
    first 12 hex digits of the visit's UUID, as in the statistics; of a hash for any other id)."""
    try:
        digits = (visit_id if isinstance(visit_id, uuid.UUID) else uuid.UUID(visit_id)).hex[:12]
    except ValueError:
        digits = hashlib.sha256(str(visit_id).encode("utf-8")).hexdigest()[:12]
    return f"V{day.strftime('%Y%m%d')}-{digits}"


def handoff_payloads(
    layouts: Mapping[str, HandoffLayout],
    visit: Visit,
    guidance: Guidance,
    chosen: Collection[NeededProcedure],
    visit_id: str,
    printed_forms: Collection[str],
    day: dt.date,
    numbers: Mapping[int, PersonNumbers] | None = None,
) -> list[HandoffPayload]:
    kept = dataclasses.replace(guidance, procedures=tuple(chosen))
    payloads = []
    for layout in layouts.values():
        rows = build_rows(layout, visit, kept, visit_id, day, printed_forms=printed_forms, numbers=numbers)
        files = [
            HandoffFile(
                kind.kind, file_name(layout, kind, day, visit_id), write_csv(layout, kind.kind, of_kind)
            )
            for kind in layout.layout.kinds
            if (of_kind := rows.of_kind(kind.kind))
        ]
        if rows.problems:
            files.append(
                HandoffFile(
                    "problems", problems_file_name(layout, day, visit_id), write_problems(rows.problems)
                )
            )
        if not files:
            continue
        batches = dict.fromkeys([r.batch_id for r in rows.rows] + [p.batch_id for p in rows.problems])
        payloads.append(
            HandoffPayload(
                visit_id,
                layout.id,
                tuple(files),
                tuple(batches),
                tuple(r.row_id for r in rows.rows),
                len(rows.problems),
            )
        )
    return payloads


class HandoffVisitLog:
    """A visit log that also queues the hand-off of every completed, printed visit."""

    def __init__(
        self,
        inner: VisitLog,
        outbox: HandoffOutbox,
        layouts: Mapping[str, HandoffLayout],
        today: Callable[[], dt.date],
        on_queued: Callable[[], None] | None = None,
    ) -> None:
        self.inner = inner
        self.outbox = outbox
        self.layouts = layouts
        self.today = today
        self.on_queued = on_queued
        # 宛名番号・世帯番号 per member, when the resident registry gave them (presenters.registry)
        self.numbers: Callable[[VisitSession], Mapping[int, PersonNumbers]] | None = None

    def visit_finished(
        self,
        session: VisitSession,
        chosen: list[NeededProcedure],
        outcome: VisitOutcome,
        printed: list[tuple[str, int, int]],
    ) -> None:
        self.inner.visit_finished(session, chosen, outcome, printed)
        if outcome != VisitOutcome.COMPLETED or not printed or not self.layouts:
            return
        try:
            day = self.today()
            visit_id = handoff_visit_id(session.visit_id, day)
            payloads = handoff_payloads(
                self.layouts,
                session.visit(),
                session.guidance(),
                chosen,
                visit_id,
                {form_id for form_id, _pages, _chars in printed},
                day,
                self.numbers(session) if self.numbers is not None else None,
            )
            for payload in payloads:
                self.outbox.enqueue(payload, day)
        except Exception as exc:  # the kiosk goes on; the paper is the back office's copy
            # the type only: a message could quote a value of the visit
            log.error("hand-off of visit %s not queued: %s", session.visit_id, type(exc).__name__)
            return
        if payloads and self.on_queued is not None:
            self.on_queued()

    def audit(self, kind: AuditKind, visit_id: str | None, reason: str = "") -> None:
        self.inner.audit(kind, visit_id, reason)
