"""Time-of-day helpers for tests that must not depend on when they run."""

from __future__ import annotations

import datetime as dt


def zone_at_local_noon() -> str:
    """A fixed-offset zone where it is now about noon: far from midnight and the 20:00 draft purge.

    The day-end purge runs at start-up, so a test that crashes a visit and resumes it in a new process
    would lose the draft when run between 20:00 and midnight in Tokyo — as a real counter should.
    """
    offset = 12 - dt.datetime.now(dt.UTC).hour  # -11 … +12
    return f"Etc/GMT{'-' if offset > 0 else '+'}{abs(offset)}"  # Etc/GMT-9 is UTC+9
