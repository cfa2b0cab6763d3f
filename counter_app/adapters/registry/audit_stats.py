"""Supervisor figures: registry lookups per clerk and day, from the audit log (nothing else is kept)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from counter_app.adapters.store.engine import is_unavailable, unavailable
from counter_app.adapters.store.models import AUDIT_EVENTS
from counter_app.adapters.store.records import AuditKind

REGISTRY_KINDS = (AuditKind.REGISTRY_LOOKUP, AuditKind.REGISTRY_SEARCH, AuditKind.REGISTRY_REFUSED)


@dataclass(frozen=True, order=True)
class ClerkDay:
    day: dt.date
    clerk_id: str
    counter: str
    lookups: int  # households fetched
    searches: int  # searches without a card
    refused: int  # lookups refused (no match, ambiguous, rate limit, registry down)

    @property
    def total(self) -> int:
        return self.lookups + self.searches + self.refused


def lookups_per_clerk(
    engine: Engine, start: dt.date, end: dt.date, zone: dt.tzinfo, counter: str | None = None
) -> list[ClerkDay]:
    """Every clerk's registry lookups on each day from ``start`` to ``end`` (the office's dates)."""
    since = dt.datetime.combine(start, dt.time(), zone)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), zone)
    statement = select(
        AUDIT_EVENTS.c.at, AUDIT_EVENTS.c.clerk_id, AUDIT_EVENTS.c.counter, AUDIT_EVENTS.c.kind
    ).where(
        AUDIT_EVENTS.c.kind.in_([k.value for k in REGISTRY_KINDS]),
        AUDIT_EVENTS.c.at >= since,
        AUDIT_EVENTS.c.at < until,
    )
    if counter is not None:
        statement = statement.where(AUDIT_EVENTS.c.counter == counter)
    counts: Counter[tuple[dt.date, str, str, str]] = Counter()
    try:
        with engine.connect() as connection:
            for at, clerk, where, kind in connection.execute(statement):
                counts[(at.astimezone(zone).date(), clerk, where, kind)] += 1
    except SQLAlchemyError as exc:
        if is_unavailable(exc):
            raise unavailable(engine.url, exc) from None
        raise
    keys = sorted({(day, clerk, where) for day, clerk, where, _ in counts})
    return [
        ClerkDay(
            day,
            clerk,
            where,
            counts[(day, clerk, where, AuditKind.REGISTRY_LOOKUP.value)],
            counts[(day, clerk, where, AuditKind.REGISTRY_SEARCH.value)],
            counts[(day, clerk, where, AuditKind.REGISTRY_REFUSED.value)],
        )
        for day, clerk, where in keys
    ]
