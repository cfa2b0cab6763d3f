"""Work handed to the task runner and done one item after another, by at most one drain at a time.

:class:`SerialDrain` keeps the items not yet taken under a lock. The first item added while no drain
runs starts one on the task runner; items added while it runs are taken by that same drain, which
stops only once it finds nothing left (checked under the same lock, so an item is never left behind).
Items are taken in the order they were first added; an item added under the ``key`` of one not yet
taken replaces it in that place (only the newest is done), an item without a key is always done.

One write lock is held while a batch is taken and done, by the drain and by :meth:`SerialDrain.flush`,
and around the owner's own writes made on its thread (:meth:`SerialDrain.exclusive`): a write made
there is never overtaken by an older item still pending.
An item that fails is reported through ``failed(item, exc)`` on the caller's thread — through the
runner's ``on_done`` for a drain, at once for :meth:`SerialDrain.flush` — and the items after it are
still done.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import Generic, TypeVar

from counter_app.workflow.tasks import TaskRunner

log = logging.getLogger(__name__)

T = TypeVar("T")


class SerialDrain(Generic[T]):
    """Items done by ``write`` on ``runner``, in order, at most one drain at a time (see the module).

    ``failed(item, exc)`` is called on the caller's thread for every item whose ``write`` raised;
    ``stopped(exc)`` (also there) if a drain itself broke off, which ``write`` raising never causes;
    ``name`` says whose drain it was in the log.
    """

    def __init__(
        self,
        runner: TaskRunner,
        write: Callable[[T], None],
        failed: Callable[[T, BaseException], None],
        stopped: Callable[[BaseException], None] | None = None,
        name: str = "serial drain",
    ) -> None:
        self.runner = runner
        self.name = name  # for the log
        self._write = write
        self._failed = failed
        self._stopped = stopped
        self._writing = threading.Lock()  # held while a batch is taken and written (order)
        self._state = threading.Lock()  # guards _pending and _draining; never held while writing
        self._pending: dict[Hashable, T] = {}
        self._draining = False

    def add(self, item: T, key: Hashable | None = None) -> None:
        """Have ``item`` done on the runner; with a ``key``, it replaces the item of that key not yet
        taken. Never waits for a write."""
        with self._state:
            self._pending[object() if key is None else key] = item
            if self._draining:
                return  # the running drain takes it next
            self._draining = True
        self.runner.run(self._drain, self._report, self._drain_failed)

    def _take(self) -> dict[Hashable, T]:
        with self._state:
            batch = self._pending
            self._pending = {}
            return batch

    def _drain(self) -> list[tuple[T, BaseException]]:
        """Worker: do what is pending until nothing is; the failures, to report on the caller's thread."""
        failures: list[tuple[T, BaseException]] = []
        while True:
            with self._writing:
                with self._state:
                    batch = self._pending
                    self._pending = {}
                    if not batch:
                        self._draining = False
                        return failures
                self._write_all(batch, failures)

    def _write_all(self, batch: dict[Hashable, T], failures: list[tuple[T, BaseException]]) -> None:
        for item in batch.values():
            try:
                self._write(item)
            except Exception as exc:
                failures.append((item, exc))

    def _report(self, failures: list[tuple[T, BaseException]]) -> None:
        for item, exc in failures:
            self._failed(item, exc)

    def _drain_failed(self, exc: BaseException) -> None:
        """The drain broke off outside ``write`` (which it catches): the batch it had taken is lost;
        the items not taken stay pending, and the next :meth:`add` starts a drain that does them."""
        log.error("%s stopped: %s", self.name, type(exc).__name__)
        with self._state:
            self._draining = False
        if self._stopped is not None:
            self._stopped(exc)

    def flush(self) -> None:
        """Do every pending item now, on this thread, after any batch being written; failures go to
        ``failed`` here, before this returns."""
        failures: list[tuple[T, BaseException]] = []
        with self._writing:
            self._write_all(self._take(), failures)
        self._report(failures)

    @contextmanager
    def exclusive(self, key: Hashable) -> Iterator[None]:
        """Hold the write lock for a write of the owner's own, made on this thread: it waits for any
        batch being written, and the item of ``key`` not yet taken is dropped (this write replaces it)."""
        with self._writing:
            with self._state:
                self._pending.pop(key, None)
            yield

    def pending(self) -> bool:
        """Whether an item has not been done yet, or a drain still runs (tests, shutdown)."""
        with self._state:
            return bool(self._pending) or self._draining
