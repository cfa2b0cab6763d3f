"""Watching the reader between and during visits: a placed card starts a visit (or adds a member).

Each wait blocks inside PC/SC for at most a second, on a worker thread; after a card was used the
watcher waits for it to be taken off, so the same card never starts a second visit by itself.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from card_reader.errors import CardError, NoCardError
from counter_app.adapters.card_source import CardSource
from counter_app.workflow.tasks import TaskRunner

log = logging.getLogger(__name__)
RETRY_SECONDS = 3.0


class CardWatcher:
    def __init__(
        self,
        source: CardSource,
        runner: TaskRunner,
        on_card: Callable[[], bool],
        on_problem: Callable[[BaseException | None], None] = lambda _e: None,
    ) -> None:
        """``on_card`` is called on the GUI thread when a card arrives; it returns whether it was used."""
        self.source = source
        self.runner = runner
        self.on_card = on_card
        self.on_problem = on_problem
        self._running = False
        self._waiting_removal = False

    def start(self) -> None:
        if not self._running:
            self._running = True
            self._next()

    def stop(self) -> None:
        self._running = False
        self.source.cancel()

    def _next(self) -> None:
        if not self._running:
            return
        if self._waiting_removal:
            self.runner.run(lambda: self.source.wait_for_removal(timeout=1.0), self._removed, self._error)
        else:
            self.runner.run(lambda: self.source.wait_for_card(timeout=1.0), self._arrived, self._error)

    def _arrived(self, _reader: object) -> None:
        if not self._running:
            return
        self.on_problem(None)
        self.on_card()
        self._waiting_removal = True
        self._next()

    def _removed(self, _result: object) -> None:
        self._waiting_removal = False
        self._next()

    def _error(self, error: BaseException) -> None:
        if not self._running:
            return
        if isinstance(error, NoCardError):
            self._next()  # the one-second slice ended (or a card is still there)
            return
        log.warning("card reader problem: %s", type(error).__name__)
        self.on_problem(error)
        if isinstance(error, CardError):
            self.runner.run(
                lambda: time.sleep(RETRY_SECONDS), lambda _r: self._next(), lambda _e: self._next()
            )
