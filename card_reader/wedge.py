"""Keyboard-wedge QR scanners: tell a scanner's burst of keystrokes from a person typing.

A USB scanner in keyboard mode "types" what it reads, much faster than a person, and ends with
Enter. :class:`WedgeDetector` is fed every typed character with its time; it returns the scanned
text when a fast burst that starts with one of the accepted prefixes ends in Enter. Plain Python:
the kiosk feeds it from a Qt event filter (whatever widget has focus), tests feed it directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ENTER = "\r"
# A scanner sends a character every 2–20 ms; people rarely type two keys within 35 ms.
DEFAULT_MAX_GAP = 0.035
MIN_LENGTH = 8


@dataclass
class WedgeDetector:
    prefixes: tuple[str, ...]
    max_gap: float = DEFAULT_MAX_GAP
    _buffer: list[str] = field(default_factory=list)
    _last: float | None = None

    def reset(self) -> None:
        self._buffer.clear()
        self._last = None

    @property
    def capturing(self) -> bool:
        """Whether the keys seen so far look like the start of a scan (the UI then swallows them)."""
        text = "".join(self._buffer)
        return bool(text) and any(p.startswith(text) or text.startswith(p) for p in self.prefixes)

    def feed(self, char: str, timestamp: float) -> str | None:
        """Feed one typed character (``"\\r"`` for Enter). Returns a complete scan, else None."""
        if self._last is not None and timestamp - self._last > self.max_gap:
            self._buffer.clear()  # too slow: a person typing, start over
        self._last = timestamp
        if char in (ENTER, "\n"):
            text = "".join(self._buffer)
            self.reset()
            if len(text) >= MIN_LENGTH and any(text.startswith(p) for p in self.prefixes):
                return text
            return None
        if len(char) != 1:
            self.reset()
            return None
        self._buffer.append(char)
        if not self.capturing:
            self._buffer.clear()
        return None
