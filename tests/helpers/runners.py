"""Task runners for tests of work that a worker does: one that holds tasks until the test runs them, and
one on real threads whose callbacks the test delivers (as Qt's runner does on the GUI thread)."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import Any

from counter_app.workflow.tasks import Done, Failed, ImmediateRunner


class HeldRunner:
    """Keeps each task until :meth:`run_all` (a worker that has not started yet)."""

    def __init__(self) -> None:
        self.tasks: list[tuple[Callable[[], Any], Done, Failed]] = []

    def run(self, work: Callable[[], Any], on_done: Done, on_error: Failed) -> None:
        self.tasks.append((work, on_done, on_error))

    def run_all(self) -> None:
        while self.tasks:
            ImmediateRunner().run(*self.tasks.pop(0))  # as a worker would: result or error to its callback


class ThreadRunner:
    """Each task on a thread of its own; :meth:`settle` waits for them and delivers their callbacks on
    the test's thread, in the order the tasks finished."""

    def __init__(self) -> None:
        self._results: queue.Queue[tuple[Callable[[Any], None], Any]] = queue.Queue()
        self._threads: list[threading.Thread] = []

    def run(self, work: Callable[[], Any], on_done: Done, on_error: Failed) -> None:
        def task() -> None:
            try:
                result = work()
            except Exception as exc:
                self._results.put((on_error, exc))
            else:
                self._results.put((on_done, result))

        thread = threading.Thread(target=task, daemon=True)
        self._threads.append(thread)
        thread.start()

    def settle(self, timeout: float = 10.0) -> None:
        for thread in list(self._threads):
            thread.join(timeout)
            assert not thread.is_alive(), "a task did not finish"
        while not self._results.empty():
            callback, value = self._results.get()
            callback(value)
