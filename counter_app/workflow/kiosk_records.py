"""The kiosk's drafts and records on the counter's storage (``counter_app.adapters.storage``).

Drafts are the visit in progress, encrypted (AES-GCM, key in the OS key store); records carry no
personal data: ids of the life event, procedures, forms and reason codes, times and counts.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import Any

from counter_app.adapters.drafts import DraftStore
from counter_app.adapters.recording import Recorder
from counter_app.adapters.store.records import (
    AuditKind,
    IdentifiedBy,
    PrintJobRecord,
    ProcedureChoice,
    VisitOutcome,
    VisitRecord,
)
from counter_app.workflow.visit_session import VisitSession
from procedures.engine import NeededProcedure
from procedures.visit import Source

log = logging.getLogger(__name__)

DESELECT_REASONS = {
    "already_done": "既に手続済み",
    "later_visit": "後日あらためて来庁",
    "other_person": "別の方が手続する",
    "not_wanted": "本人が希望しない",
    "not_applicable": "対象外と確認した",
    "other": "その他",
}


class EncryptedDrafts:
    """:class:`~counter_app.workflow.ports.DraftSink` on the encrypted draft store."""

    def __init__(self, store: DraftStore) -> None:
        self.store = store

    def save(self, visit_id: str, data: dict[str, Any]) -> None:
        self.store.save_draft(uuid.UUID(visit_id), data)

    def delete(self, visit_id: str) -> None:
        self.store.delete_draft(uuid.UUID(visit_id))

    def load_all(self) -> list[tuple[str, dict[str, Any]]]:
        found = []
        for draft in self.store.load_drafts():
            try:
                found.append((draft.visit_id.hex, draft.json()))
            except Exception:
                log.warning("draft %s cannot be read back", draft.visit_id)
        return found


def _identified_by(session: VisitSession) -> IdentifiedBy:
    if not session.members:
        return IdentifiedBy.NONE
    return {Source.CARD: IdentifiedBy.CARD, Source.QR: IdentifiedBy.QR}.get(
        session.members[0].source, IdentifiedBy.MANUAL
    )


class RecorderLog:
    """:class:`~counter_app.workflow.ports.VisitLog` on the storage recorder (no personal data)."""

    def __init__(self, recorder: Recorder, clerk_id: str = "", printer: str = "") -> None:
        self.recorder = recorder
        self.clerk_id = clerk_id
        self.printer = printer

    def visit_finished(
        self,
        session: VisitSession,
        chosen: list[NeededProcedure],
        outcome: VisitOutcome,
        printed: list[tuple[str, int, int]],
    ) -> None:
        now = self.recorder.now()
        kind = outcome
        if kind is VisitOutcome.COMPLETED and not chosen:
            kind = VisitOutcome.NOTHING_NEEDED
        listed: list[ProcedureChoice] = []
        seen: set[str] = set()
        for procedure in chosen:
            if procedure.id not in seen:
                seen.add(procedure.id)
                listed.append(ProcedureChoice(procedure.id))
        for key, reason in session.deselected.items():
            procedure_id = key.split("@", 1)[0]
            if procedure_id not in seen:
                seen.add(procedure_id)
                listed.append(ProcedureChoice(procedure_id, chosen=False, deselect_reason=reason))
        jobs = tuple(
            PrintJobRecord(
                uuid.uuid4(), form_id, now, pages=pages, prefilled_chars=chars, printer=self.printer
            )
            for form_id, pages, chars in printed
        )
        started = session.started_at.astimezone(now.tzinfo) if now.tzinfo else session.started_at
        record = VisitRecord(
            visit_id=uuid.UUID(session.visit_id),
            counter=self.recorder.counter,
            life_event=session.event or "none",
            started_at=min(started, now),
            finished_at=now,
            outcome=kind,
            identified_by=_identified_by(session),
            clerk_id=self.clerk_id,
            procedures=tuple(listed),
            print_jobs=jobs,
        )
        self.recorder.record_visit(record)

    def audit(self, kind: AuditKind, visit_id: str | None, reason: str = "") -> None:
        self.recorder.audit(
            kind,
            visit_id=uuid.UUID(visit_id) if visit_id else None,
            clerk_id=self.clerk_id,
            detail={"reason": reason} if reason else None,
        )


def today_in(zone: dt.tzinfo) -> dt.date:
    return dt.datetime.now(zone).date()
