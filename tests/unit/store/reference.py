"""Statistics computed the slow, obvious way from the visit records themselves: the oracle for tests."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass, field

from counter_app.adapters.stats import StatsQuery
from counter_app.adapters.store.records import PrintStatus, VisitOutcome, VisitRecord


def quantile(values: list[int], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def binned_quantile(values: list[int], q: float, width: int = 10) -> float | None:
    """The quantile over 10-second bins, each bin at its centre (as the statistics compute it)."""
    position = quantile([v // width for v in values], q)
    return None if position is None else position * width + width / 2


@dataclass
class Expected:
    visits: int = 0
    by_outcome: Counter[str] = field(default_factory=Counter)
    by_event: Counter[str] = field(default_factory=Counter)
    event_completed: Counter[str] = field(default_factory=Counter)
    event_listed: Counter[str] = field(default_factory=Counter)
    event_chosen: Counter[str] = field(default_factory=Counter)
    listed: Counter[str] = field(default_factory=Counter)
    chosen: Counter[str] = field(default_factory=Counter)
    deselections: Counter[tuple[str, str]] = field(default_factory=Counter)
    printed: Counter[str] = field(default_factory=Counter)
    reprinted: Counter[str] = field(default_factory=Counter)
    failed: Counter[str] = field(default_factory=Counter)
    chars: Counter[str] = field(default_factory=Counter)
    hours: list[int] = field(default_factory=lambda: [0] * 24)
    ident: Counter[str] = field(default_factory=Counter)
    by_counter: Counter[str] = field(default_factory=Counter)
    by_day: Counter[dt.date] = field(default_factory=Counter)
    durations: list[int] = field(default_factory=list)
    counter_durations: dict[str, list[int]] = field(default_factory=dict)


def expected_stats(records: list[VisitRecord], query: StatsQuery) -> Expected:
    out = Expected()
    for r in records:
        if not query.start <= r.local_date <= query.end:
            continue
        if query.counter is not None and r.counter != query.counter:
            continue
        out.visits += 1
        out.by_outcome[r.outcome.value] += 1
        out.by_event[r.life_event] += 1
        out.ident[r.identified_by.value] += 1
        out.hours[r.local_hour] += 1
        out.by_counter[r.counter] += 1
        out.by_day[r.local_date] += 1
        out.counter_durations.setdefault(r.counter, [])
        if r.outcome is VisitOutcome.COMPLETED:
            out.event_completed[r.life_event] += 1
            out.durations.append(r.duration_s)
            out.counter_durations[r.counter].append(r.duration_s)
        for p in r.procedures:
            out.listed[p.procedure_id] += 1
            out.event_listed[r.life_event] += 1
            if p.chosen:
                out.chosen[p.procedure_id] += 1
                out.event_chosen[r.life_event] += 1
            else:
                out.deselections[(p.procedure_id, p.deselect_reason or "")] += 1
        for j in r.print_jobs:
            if j.status is not PrintStatus.PRINTED:
                out.failed[j.form_id] += j.copies
            elif j.reprint:
                out.reprinted[j.form_id] += j.copies
            else:
                out.printed[j.form_id] += j.copies
                out.chars[j.form_id] += j.prefilled_chars
            out.printed.setdefault(j.form_id, 0)
    return out
