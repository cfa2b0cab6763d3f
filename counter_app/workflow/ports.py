"""The ports of a visit: what the kiosk's presenters and the workflow need from outside, as Protocols.

The adapters and the workflow's own classes satisfy them structurally (``EncryptedDrafts`` and
``RecorderLog`` in :mod:`counter_app.workflow.kiosk_records`, ``HandoffVisitLog`` in
:mod:`counter_app.workflow.handoff`); tests pass in-memory ones. Events and outcomes travel as
:class:`AuditKind` and :class:`VisitOutcome` members, never as free strings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from counter_app.adapters.store.records import AuditKind, VisitOutcome
from counter_app.workflow.visit_session import VisitSession

if TYPE_CHECKING:
    from procedures.engine import NeededProcedure

__all__ = ["AuditKind", "DraftSink", "VisitLog", "VisitOutcome"]


class DraftSink(Protocol):
    """Where the visit in progress is kept (encrypted) so that a crash or a pause loses nothing."""

    def save(self, visit_id: str, data: dict[str, Any]) -> None: ...

    def delete(self, visit_id: str) -> None: ...

    def load_all(self) -> list[tuple[str, dict[str, Any]]]: ...


class VisitLog(Protocol):
    """Where a visit's end and its audit events are recorded (no personal data)."""

    def visit_finished(
        self,
        session: VisitSession,
        chosen: list[NeededProcedure],
        outcome: VisitOutcome,
        printed: list[tuple[str, int, int]],
    ) -> None: ...

    def audit(self, kind: AuditKind, visit_id: str | None, reason: str = "") -> None: ...
