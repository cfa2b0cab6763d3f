"""A :class:`~counter_app.workflow.tasks.TaskRunner` on Qt's thread pool, calling back on the GUI thread."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from counter_app.workflow.tasks import Done, Failed

log = logging.getLogger(__name__)


class _Relay(QObject):
    finished = Signal(object, object)  # (callback, value)

    @Slot(object, object)
    def deliver(self, callback: Callable[[Any], None], value: Any) -> None:
        callback(value)


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], on_done: Done, on_error: Failed, relay: _Relay) -> None:
        super().__init__()
        self.work = work
        self.on_done = on_done
        self.on_error = on_error
        self.relay = relay

    def run(self) -> None:
        try:
            result = self.work()
        except Exception as exc:
            log.debug("background task failed: %s", type(exc).__name__)
            self.relay.finished.emit(self.on_error, exc)
        else:
            self.relay.finished.emit(self.on_done, result)


class QtTaskRunner:
    """Runs work on a private QThreadPool; results come back through a queued signal."""

    def __init__(self, max_threads: int = 4) -> None:
        self.pool = QThreadPool()
        self.pool.setMaxThreadCount(max_threads)
        self.relay = _Relay()
        self.relay.finished.connect(self.relay.deliver)

    def run(self, work: Callable[[], Any], on_done: Done, on_error: Failed) -> None:
        self.pool.start(_Job(work, on_done, on_error, self.relay))

    def wait(self, timeout_ms: int = 30_000) -> bool:
        """Wait for every task to finish (shutdown and tests)."""
        return bool(self.pool.waitForDone(timeout_ms))
