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
import logging
import uuid
from collections.abc import Callable, Collection, Mapping
from typing import Protocol

from counter_app.adapters.handoff_outbox import HandoffFile, HandoffOutbox, HandoffPayload
from counter_app.workflow.visit_session import VisitSession
from procedures.engine import Guidance, NeededProcedure
from procedures.handoff import (
    HandoffLayout,
    build_rows,
    file_name,
    problems_file_name,
    write_csv,
    write_problems,
)
from procedures.visit import Visit

log = logging.getLogger(__name__)


def handoff_visit_id(visit_uuid: uuid.UUID, day: dt.date) -> str:
    """The visit's id in the hand-off and on the back-office QR code: short, with the day in it."""
    return f"V{day.strftime('%Y%m%d')}-{visit_uuid.hex[:8]}"


def handoff_payloads(
    layouts: Mapping[str, HandoffLayout],
    visit: Visit,
    guidance: Guidance,
    chosen: Collection[NeededProcedure],
    visit_id: str,
    printed_forms: Collection[str],
    day: dt.date,
) -> list[HandoffPayload]:
    kept = dataclasses.replace(guidance, procedures=tuple(chosen))
    payloads = []
    for layout in layouts.values():
        rows = build_rows(layout, visit, kept, visit_id, day, printed_forms=printed_forms)
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


class VisitLog(Protocol):
    def visit_finished(
        self,
        session: VisitSession,
        chosen: list[NeededProcedure],
        outcome: str,
        printed: list[tuple[str, int, int]],
    ) -> None: ...

    def audit(self, event: str, visit_id: str | None, detail: str = "") -> None: ...


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

    def visit_finished(
        self,
        session: VisitSession,
        chosen: list[NeededProcedure],
        outcome: str,
        printed: list[tuple[str, int, int]],
    ) -> None:
        self.inner.visit_finished(session, chosen, outcome, printed)
        if outcome != "completed" or not printed or not self.layouts:
            return
        try:
            day = self.today()
            visit_id = handoff_visit_id(uuid.UUID(session.visit_id), day)
            payloads = handoff_payloads(
                self.layouts,
                session.visit(),
                session.guidance(),
                chosen,
                visit_id,
                {form_id for form_id, _pages, _chars in printed},
                day,
            )
            for payload in payloads:
                self.outbox.enqueue(payload, day)
        except Exception:  # the kiosk goes on; the paper is the back office's copy
            log.exception("hand-off of visit %s not queued", session.visit_id)
            return
        if payloads and self.on_queued is not None:
            self.on_queued()

    def audit(self, event: str, visit_id: str | None, detail: str = "") -> None:
        self.inner.audit(event, visit_id, detail)
