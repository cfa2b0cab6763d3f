"""Saving the visit's draft off the GUI thread, newest first, without ever writing an older one last.

The kiosk saves the visit after every change (crash recovery). Encrypting it and committing it to the
local store (SQLite, ``synchronous=FULL``) is disk work: :class:`BackgroundDrafts` does it on the task
runner. While a write runs, later saves of the same visit are merged into one (only the newest state is
written next); nothing waits on a timer, so a draft reaches the disk as soon as the write before it is
done — a crash loses at most the change being written.

Order is kept with one lock held around every write, whoever makes it: a worker writing the pending
drafts, or the caller's thread for :meth:`save` (a draft that must be on disk before the caller goes
on: putting a visit aside), :meth:`delete` (never overtaken by an older save still pending) and
:meth:`load_all` (which first writes what is pending, so it reads every change).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from counter_app.workflow.ports import DraftSink
from counter_app.workflow.tasks import TaskRunner

log = logging.getLogger(__name__)

DraftFailed = Callable[[BaseException], None]
_Failures = list[tuple[DraftFailed, BaseException]]


class BackgroundDrafts:
    """A :class:`DraftSink` whose :meth:`save_soon` writes on the task runner (see the module)."""

    def __init__(self, sink: DraftSink, runner: TaskRunner) -> None:
        self.sink = sink
        self.runner = runner
        self._write = threading.Lock()  # held around every write to the sink (order)
        self._state = threading.Lock()  # guards _pending and _draining
        self._pending: dict[str, tuple[dict[str, Any], DraftFailed]] = {}
        self._draining = False

    # --- asynchronous -------------------------------------------------------------------------
    def save_soon(self, visit_id: str, data: dict[str, Any], on_error: DraftFailed) -> None:
        """Write ``data`` as the visit's draft on the runner; ``on_error(exc)`` (on the caller's thread,
        through the runner) if it cannot be written. A newer save of the visit replaces this one if this
        one has not started yet. ``data`` is the caller's to give away: it must not change afterwards."""
        with self._state:
            self._pending[visit_id] = (data, on_error)
            if self._draining:
                return  # the running drain writes it next
            self._draining = True
        self.runner.run(self._drain, self._report, self._drain_failed)

    def _drain(self) -> _Failures:
        """Worker: write what is pending until nothing is; the failures, to report on the GUI thread."""
        failures: _Failures = []
        while True:
            with self._write:
                with self._state:
                    batch = self._pending
                    self._pending = {}
                    if not batch:
                        self._draining = False
                        return failures
                failures += self._write_all(batch)

    def _write_all(self, batch: dict[str, tuple[dict[str, Any], DraftFailed]]) -> _Failures:
        failures: _Failures = []
        for visit_id, (data, on_error) in batch.items():
            try:
                self.sink.save(visit_id, data)
            except Exception as exc:
                failures.append((on_error, exc))
        return failures

    @staticmethod
    def _report(failures: _Failures) -> None:
        for on_error, exc in failures:
            on_error(exc)

    def _drain_failed(self, exc: BaseException) -> None:  # pragma: no cover - _drain catches per draft
        log.error("draft writer stopped: %s", type(exc).__name__)
        with self._state:
            self._draining = False

    # --- synchronous (DraftSink) --------------------------------------------------------------
    def flush(self) -> None:
        """Write every pending draft now, on this thread (failures go to their ``on_error``)."""
        with self._write:
            with self._state:
                batch = self._pending
                self._pending = {}
            failures = self._write_all(batch)
        self._report(failures)

    def save(self, visit_id: str, data: dict[str, Any]) -> None:
        """Write the visit's draft now (raises if it cannot be written); a pending older one is dropped."""
        with self._write:
            with self._state:
                self._pending.pop(visit_id, None)
            self.sink.save(visit_id, data)

    def delete(self, visit_id: str) -> None:
        """Delete the visit's draft, after any write of it under way; a pending save of it is dropped."""
        with self._write:
            with self._state:
                self._pending.pop(visit_id, None)
            self.sink.delete(visit_id)

    def load_all(self) -> list[tuple[str, dict[str, Any]]]:
        """Every draft, pending changes included (they are written first)."""
        self.flush()
        return self.sink.load_all()

    def pending(self) -> bool:
        """Whether a save has not reached the sink yet (tests, shutdown)."""
        with self._state:
            return bool(self._pending) or self._draining
