"""A :class:`~counter_app.workflow.tasks.TaskRunner` on worker threads, calling back on the GUI thread.

The workers are plain Python threads fed by a queue, not Qt's thread pool: handing work to them is a
queue put that keeps the GIL. ``QThreadPool.start`` lets the GIL go for the C++ call, and a worker that
has just started (rendering, importing a module on first use) could keep the GUI thread waiting to get
it back — measured at 15 ms, and 130 ms on the first visit, for one draft save handed over.
The workers are started with the runner (at start-up, before any work), since starting a thread
waits for it too; a worker idle for :data:`IDLE_EXPIRY_S` ends, and the pool grows again when needed.
Results come back through a queued Qt signal, so callbacks run on the GUI thread as before.

While a worker runs Python (rendering forms, encrypting a draft), the GUI thread needs the GIL for every
slot, event filter and paint handler written in Python, and each time waits until the worker is asked to
let it go: up to the interpreter's switch interval, 5 ms by default — a repaint that calls Python a dozen
times could wait 50 ms. The runner sets the interval to :data:`GUI_SWITCH_INTERVAL_S` for the process
(``bench.visit``, 20 visits, two runs each, alternating on the same machine: longest gap 47 / 54 ms,
always the day's first visit → 17 / 19 ms; p99 13.9 / 14.0 → 12.7 / 13.5 ms; machine time per visit
unchanged: 376–379 → 360–379 ms through the window, 123–124 → 117–122 ms on the presenters).
"""

from __future__ import annotations

import logging
import queue
import sys
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from counter_app.workflow.tasks import Done, Failed

log = logging.getLogger(__name__)

_Job = tuple[Callable[[], Any], Done, Failed]
IDLE_EXPIRY_S = 60.0
GUI_SWITCH_INTERVAL_S = 0.0005
"""How long a thread may keep the GIL while another waits for it, in a process with a GUI thread."""


def favour_the_gui_thread() -> None:
    """Let a waiting GUI thread have the GIL within :data:`GUI_SWITCH_INTERVAL_S` (process-wide; only
    ever lowered, never raised back)."""
    if sys.getswitchinterval() > GUI_SWITCH_INTERVAL_S:
        sys.setswitchinterval(GUI_SWITCH_INTERVAL_S)


class _Relay(QObject):
    finished = Signal(object, object)  # (callback, value)

    @Slot(object, object)
    def deliver(self, callback: Callable[[Any], None], value: Any) -> None:
        callback(value)


class QtTaskRunner:
    """Runs work on up to ``max_threads`` daemon worker threads; results come back through a queued
    signal to the thread that made the runner (the GUI thread)."""

    def __init__(self, max_threads: int = 4) -> None:
        favour_the_gui_thread()  # before any worker runs
        self.max_threads = max_threads
        self.relay = _Relay()
        self.relay.finished.connect(self.relay.deliver)
        self._jobs: queue.SimpleQueue[_Job] = queue.SimpleQueue()
        self._idle = threading.Semaphore(0)  # one release per worker waiting for a job
        self._lock = threading.Lock()
        self._all_done = threading.Condition(self._lock)
        self._pending = 0
        self._threads: list[threading.Thread] = []
        for _ in range(max_threads):
            self._start_worker()

    def _start_worker(self) -> None:
        with self._lock:
            if len(self._threads) >= self.max_threads:
                return
            thread = threading.Thread(target=self._work, name="madoguchi-worker", daemon=True)
            self._threads.append(thread)
        thread.start()

    def run(self, work: Callable[[], Any], on_done: Done, on_error: Failed) -> None:
        with self._lock:
            self._pending += 1
        self._jobs.put((work, on_done, on_error))
        if not self._idle.acquire(blocking=False):  # no worker waiting: grow the pool (if below max)
            self._start_worker()

    def _work(self) -> None:
        me = threading.current_thread()
        while True:
            self._idle.release()  # waiting for a job
            try:
                work, on_done, on_error = self._jobs.get(timeout=IDLE_EXPIRY_S)
            except queue.Empty:
                if self._idle.acquire(blocking=False):  # no job promised to a waiting worker: leave
                    with self._lock:
                        self._threads.remove(me)
                    return
                work, on_done, on_error = self._jobs.get()
            try:
                result = work()
            except Exception as exc:
                log.debug("background task failed: %s", type(exc).__name__)
                self.relay.finished.emit(on_error, exc)
            else:
                self.relay.finished.emit(on_done, result)
            finally:
                with self._lock:
                    self._pending -= 1
                    if self._pending == 0:
                        self._all_done.notify_all()

    def wait(self, timeout_ms: int = 30_000) -> bool:
        """Wait for every task to finish (shutdown and tests); False if some still run after the time."""
        with self._lock:
            return self._all_done.wait_for(lambda: self._pending == 0, timeout_ms / 1000)
