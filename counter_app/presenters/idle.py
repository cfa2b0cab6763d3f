"""Idle timeout of a visit: after N minutes without input a countdown, then the visit is put aside.

Pure logic on an injected clock; the UI feeds it input events and a one-second tick.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from counter_app.presenters.observable import Observable

DEFAULT_COUNTDOWN_SECONDS = 30


@dataclass(frozen=True)
class IdleView:
    active: bool = False  # a visit is open and being watched
    countdown: int | None = None  # seconds left before the visit is saved and cleared


class IdlePresenter:
    def __init__(
        self,
        timeout_seconds: float,
        on_timeout: Callable[[], None],
        countdown_seconds: int = DEFAULT_COUNTDOWN_SECONDS,
    ) -> None:
        self.timeout_seconds = timeout_seconds
        self.countdown_seconds = countdown_seconds
        self.on_timeout = on_timeout
        self.view: Observable[IdleView] = Observable(IdleView())
        self._last_input = 0.0

    def watch(self, now: float) -> None:
        """A visit started: begin watching."""
        self._last_input = now
        self.view.set(IdleView(active=True))

    def stop(self) -> None:
        self.view.set(IdleView())

    def activity(self, now: float) -> None:
        """Any key, click or touch: the clerk is there."""
        self._last_input = now
        if self.view.value.countdown is not None:
            self.view.set(IdleView(active=True))

    def tick(self, now: float) -> None:
        if not self.view.value.active:
            return
        idle = now - self._last_input
        if idle < self.timeout_seconds:
            return
        left = int(self.timeout_seconds + self.countdown_seconds - idle + 0.999)
        if left <= 0:
            self.view.set(IdleView())
            self.on_timeout()
            return
        if left != self.view.value.countdown:
            self.view.set(IdleView(active=True, countdown=left))
