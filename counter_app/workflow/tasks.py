"""Running blocking work (card reads, rendering, printing) off the UI thread.

Presenters call a :class:`TaskRunner`; the Qt UI supplies one that runs on a thread pool and calls
back on the GUI thread, tests use :class:`ImmediateRunner`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


class TaskRunner(Protocol):
    def run(self, work: Callable[[], Any], on_done: Done, on_error: Failed) -> None:
        """Run ``work`` elsewhere; then ``on_done(result)`` or ``on_error(exc)`` on the caller's thread."""
        ...


class ImmediateRunner:
    """Runs work at once, in the calling thread (tests and the CLI)."""

    def run(self, work: Callable[[], Any], on_done: Done, on_error: Failed) -> None:
        try:
            result = work()
        except Exception as exc:
            on_error(exc)
        else:
            on_done(result)
