"""A minimal observer: presenters publish, widgets (or tests) subscribe. No Qt here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Observable(Generic[T]):
    """Holds a value and tells subscribers every time it is replaced."""

    def __init__(self, value: T) -> None:
        self._value = value
        self._subscribers: list[Callable[[T], None]] = []

    @property
    def value(self) -> T:
        return self._value

    def set(self, value: T) -> None:
        self._value = value
        for callback in list(self._subscribers):
            callback(value)

    def subscribe(self, callback: Callable[[T], None], *, now: bool = True) -> Callable[[], None]:
        """Call ``callback`` on every change (and at once when ``now``); returns an unsubscribe function."""
        self._subscribers.append(callback)
        if now:
            callback(self._value)
        return lambda: self._subscribers.remove(callback) if callback in self._subscribers else None
