"""The start-up trace: one line on stderr per stage of the kiosk's start, when asked for.

``MADOGUCHI_STARTUP_TRACE=1`` makes :func:`mark` print ``madoguchi-startup <stage> <seconds>`` where
the seconds are ``time.monotonic()`` (one clock for every process on the machine, so a benchmark that
started the process can subtract its own reading). Without the variable :func:`mark` does nothing but
one dictionary look-up. Stage ``ready`` is the readiness signal: the clerk's window is shown and a card
placed now is read (the card watcher is armed, or the demo card's button is there).

It lives in the lowest layer so that every layer (cli, ui, wiring) may mark its stages.
"""

from __future__ import annotations

import os
import sys
import time

ENV_TRACE = "MADOGUCHI_STARTUP_TRACE"
PREFIX = "madoguchi-startup"
READY = "ready"  # the window is shown and accepts a card
SERVICES = "services"  # catalog, layouts, fonts, storage loaded and checked (after ``ready``)


def enabled() -> bool:
    return os.environ.get(ENV_TRACE, "") not in ("", "0")


def mark(stage: str) -> None:
    """Print the stage and the monotonic clock on stderr (only with ``MADOGUCHI_STARTUP_TRACE=1``)."""
    if enabled():
        sys.stderr.write(f"{PREFIX} {stage} {time.monotonic():.6f}\n")
        sys.stderr.flush()
