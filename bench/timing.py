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


def _machine_work() -> int:
    """A fixed piece of plain Python (loops, strings, dicts, sorting), the same in every version of
    Madoguchi: how fast this machine runs Python right now."""
    words = [f"{i:05d}{i % 7}" for i in range(3000)]
    counts: dict[str, int] = {}
    for word in words:
        counts[word[-1]] = counts.get(word[-1], 0) + len(word)
    return sum(counts.values()) + len(sorted(words, reverse=True))


def machine_unit_ms(runs: int = 30) -> float:
    """The median time of :func:`_machine_work` in ms: a baseline that none of Madoguchi's own changes
    moves, for ratios that stay comparable when the shared machine is faster or slower than usual."""
    return median_ms(_machine_work, runs, warm_up=True)
