"""Saving the visit's draft off the GUI thread, newest first, without ever writing an older one last.

The kiosk saves the visit after every change (crash recovery). Encrypting it and committing it to the
local store (SQLite, ``synchronous=FULL``) is disk work: :class:`BackgroundDrafts` does it on the task
runner. While a write runs, later saves of the same visit are merged into one (only the newest state is
written next); nothing waits on a timer, so a draft reaches the disk as soon as the write before it is
done — a crash loses at most the change being written.

Order is kept with one lock held around every write, whoever makes it: a worker writing the pending
drafts, or the caller's thread for :meth:`save` (a draft that must be on disk before the caller goes
on: putting a visit aside), :meth:`delete` (never overtaken by an older save still pending) and
:meth:`load_all` (which first writes what is pending, so it reads every change). The queue, the lock
and the one drain at a time are :class:`~counter_app.workflow.serial_drain.SerialDrain`'s.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from counter_app.workflow.ports import DraftSink
from counter_app.workflow.serial_drain import SerialDrain
from counter_app.workflow.tasks import TaskRunner

DraftFailed = Callable[[BaseException], None]


class _Draft(NamedTuple):
    visit_id: str
    data: dict[str, Any]
    on_error: DraftFailed


class BackgroundDrafts:
    """A :class:`DraftSink` whose :meth:`save_soon` writes on the task runner (see the module)."""

    def __init__(self, sink: DraftSink, runner: TaskRunner) -> None:
        self.sink = sink
        self.runner = runner
        self._drain: SerialDrain[_Draft] = SerialDrain(runner, self._write, self._failed, name="draft writer")

    # --- asynchronous -------------------------------------------------------------------------
    def save_soon(self, visit_id: str, data: dict[str, Any], on_error: DraftFailed) -> None:
        """Write ``data`` as the visit's draft on the runner; ``on_error(exc)`` (on the caller's thread,
        through the runner) if it cannot be written. A newer save of the visit replaces this one if this
        one has not started yet. ``data`` is the caller's to give away: it must not change afterwards."""
        self._drain.add(_Draft(visit_id, data, on_error), key=visit_id)

    def _write(self, draft: _Draft) -> None:
        self.sink.save(draft.visit_id, draft.data)

    @staticmethod
    def _failed(draft: _Draft, exc: BaseException) -> None:
        draft.on_error(exc)

    # --- synchronous (DraftSink) --------------------------------------------------------------
    def flush(self) -> None:
        """Write every pending draft now, on this thread (failures go to their ``on_error``)."""
        self._drain.flush()

    def save(self, visit_id: str, data: dict[str, Any]) -> None:
        """Write the visit's draft now (raises if it cannot be written); a pending older one is dropped."""
        with self._drain.exclusive(visit_id):
            self.sink.save(visit_id, data)

    def delete(self, visit_id: str) -> None:
        """Delete the visit's draft, after any write of it under way; a pending save of it is dropped."""
        with self._drain.exclusive(visit_id):
            self.sink.delete(visit_id)

    def load_all(self) -> list[tuple[str, dict[str, Any]]]:
        """Every draft, pending changes included (they are written first)."""
        self.flush()
        return self.sink.load_all()

    def pending(self) -> bool:
        """Whether a save has not reached the sink yet (tests, shutdown)."""
        return self._drain.pending()
