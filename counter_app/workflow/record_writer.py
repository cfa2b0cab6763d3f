"""Recording a visit's end and its audit events off the GUI thread, in the order they happened.

Each record is a commit to the local store (SQLite, ``synchronous=FULL``): an fsync that a busy disk can
stretch to tens of milliseconds, which the clerk would feel as a frozen screen. :class:`BackgroundLog`
hands every write to one worker at a time, first in first out; the visit is copied when it ends, so the
kiosk can clear it at once. A write that fails is reported through ``on_error`` (the kiosk shows the
clerk's line, as when it was written in place); the storage keeps such a record in memory until the
disk takes it (``Recorder``). A crash loses at most the records not yet written — a few milliseconds'
worth; the visit itself is in its (encrypted) draft. The queue and the one drain at a time are
:class:`~counter_app.workflow.serial_drain.SerialDrain`'s.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from counter_app.workflow.ports import AuditKind, VisitLog, VisitOutcome
from counter_app.workflow.serial_drain import SerialDrain
from counter_app.workflow.tasks import TaskRunner
from counter_app.workflow.visit_session import VisitSession

if TYPE_CHECKING:  # the engine loads after the window shows (docs/architecture.md, start-up order)
    from procedures.engine import NeededProcedure

log = logging.getLogger(__name__)

RecordFailed = Callable[[BaseException], None]


def _log_only(exc: BaseException) -> None:
    log.warning("record not written now: %s", type(exc).__name__)


def _call(write: Callable[[], None]) -> None:
    write()


class BackgroundLog:
    """A :class:`VisitLog` that writes through ``inner`` on the task runner, one write after another."""

    def __init__(self, inner: VisitLog, runner: TaskRunner) -> None:
        self.inner = inner
        self.runner = runner
        self.on_error: RecordFailed = _log_only
        self._drain: SerialDrain[Callable[[], None]] = SerialDrain(
            runner, _call, self._failed, stopped=self._stopped, name="record writer"
        )

    def visit_finished(
        self,
        session: VisitSession,
        chosen: list[NeededProcedure],
        outcome: VisitOutcome,
        printed: list[tuple[str, int, int]],
    ) -> None:
        ended = session.snapshot()  # the kiosk clears the session right after this call
        chosen, printed = list(chosen), list(printed)
        self._submit(lambda: self.inner.visit_finished(ended, chosen, outcome, printed))

    def audit(self, kind: AuditKind, visit_id: str | None, reason: str = "") -> None:
        self._submit(lambda: self.inner.audit(kind, visit_id, reason))

    def _submit(self, write: Callable[[], None]) -> None:
        self._drain.add(write)  # no key: every record is written, in order

    def _failed(self, write: Callable[[], None], exc: BaseException) -> None:
        self.on_error(exc)

    def _stopped(self, exc: BaseException) -> None:  # pragma: no cover - the drain catches per write
        self.on_error(exc)

    def pending(self) -> bool:
        """Whether a record has not been written yet (tests, shutdown)."""
        return self._drain.pending()
