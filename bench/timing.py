"""The one timing helper of the benchmarks: the median of repeated runs, in milliseconds."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence


def median_ms(run: Callable[[], object], runs: int, *, warm_up: bool = False) -> float:
    """The median wall-clock time of ``runs`` calls of ``run``, in ms (``warm_up``: one call first,
    not timed, for caches and prepared plans)."""
    if warm_up:
        run()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        samples.append(time.perf_counter() - start)
    return median_of(samples)


def median_of(samples_s: Sequence[float]) -> float:
    """The median of timings taken in seconds, in ms."""
    return statistics.median(samples_s) * 1000
