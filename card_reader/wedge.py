"""Keyboard-wedge QR scanners: tell a scanner's burst of keystrokes from a person typing.

A USB scanner in keyboard mode "types" what it reads, much faster and more evenly than a person,
and ends with a terminator its settings choose: Enter (CR), LF, or Tab. :class:`WedgeDetector` is fed
every typed character with **the time the key event carries** (Qt's ``QKeyEvent.timestamp()``: when
the window system saw the key), never the time the application got round to processing it: a GUI
stall queues the keys, and measuring gaps at processing time would cut a scan in two and type its
second half into whatever field has focus. It returns the scanned text when a burst that starts with
one of the accepted prefixes ends in a terminator. Plain Python: the kiosk feeds it from a Qt event
filter (whatever widget has focus), tests feed it directly.

Gaps: scanners send a key every 2–20 ms at their default speed, and every 40 ms or so at their
slowest "compatibility" setting; a person rarely types two keys of ``MDP1:`` (shifted capitals and a
colon) within 75 ms, and when that happens the keys are only held back until the burst breaks, then
given back in order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ENTER = "\r"
LINE_FEED = "\n"
TAB = "\t"
TERMINATORS = frozenset({ENTER, LINE_FEED, TAB})
DEFAULT_MAX_GAP = 0.075
"""Seconds between two keys of one scan, by the events' own timestamps (a 40 ms scanner with USB
polling jitter stays well inside)."""
MIN_LENGTH = 8
MAX_LENGTH = 8_000
"""No QR code holds more characters (7,089 digits at most); a longer burst (a key held down on
auto-repeat) is dropped instead of growing without end."""


@dataclass
class WedgeDetector:
    prefixes: tuple[str, ...]
    max_gap: float = DEFAULT_MAX_GAP
    _buffer: list[str] = field(default_factory=list)
    _last: float | None = None
    _completed_at: float | None = None
    consumed: bool = False
    """Whether the key last fed belongs to a scan (captured, completing one, or a second terminator
    right after one, as scanners set to CR LF send): the UI then swallows it."""

    def reset(self) -> None:
        self._buffer.clear()
        self._last = None

    @property
    def capturing(self) -> bool:
        """Whether the keys seen so far look like the start of a scan (the UI then holds them back)."""
        text = "".join(self._buffer)
        return bool(text) and any(p.startswith(text) or text.startswith(p) for p in self.prefixes)

    def feed(self, char: str, timestamp: float) -> str | None:
        """Feed one typed character (``"\\r"`` Enter, ``"\\n"`` LF, ``"\\t"`` Tab) with its event time in
        seconds. Returns a complete scan, else None; :attr:`consumed` tells whether the key was part of a
        scan."""
        self.consumed = False
        if self._last is not None and timestamp - self._last > self.max_gap:
            self._buffer.clear()  # too slow: a person typing, start over
        if char in TERMINATORS:
            if not self._buffer and self._completed_at is not None:
                # CR LF (or Enter then Tab) right after a scan: the rest of the scanner's terminator.
                trailing = timestamp - self._completed_at <= self.max_gap
                self._completed_at = None
                self._last = None
                self.consumed = trailing
                return None
            text = "".join(self._buffer)
            self.reset()
            if len(text) >= MIN_LENGTH and any(text.startswith(p) for p in self.prefixes):
                self._completed_at = timestamp
                self.consumed = True
                return text
            return None
        self._completed_at = None
        self._last = timestamp
        if len(char) != 1 or len(self._buffer) >= MAX_LENGTH:
            self.reset()
            return None
        self._buffer.append(char)
        if not self.capturing:
            self._buffer.clear()
        self.consumed = bool(self._buffer)
        return None
