"""Tamper-evident audit log: each day's entries sealed in a hash chain of daily digests.

The idea is the one of 芽室町's MADO hub (``Memuro-Town/MADO-packages``, ``packages/hub/lib/
auditDigest.ts``): a day's digest is SHA-256 over the previous day's digest and a fixed, canonical
serialisation of every entry of the day; the digests are stored apart from the entries
(``audit_digests``), so editing, adding or deleting one entry of a sealed day, or editing a digest,
changes what ``verify`` recomputes, and it reports the first day that no longer matches.

* A day is a calendar day in the office's time zone, and an entry belongs to the day it reached the
  database (``received_at``): entries a counter sends late (outbox offline) go into a day still open.
* A day is sealed once it ended :data:`SEAL_DELAY` ago (clocks of counters may be a little off);
  every day from the first entry on is sealed, empty days too, so a deleted day is noticed.
* The canonical form (:func:`canonical_entry`) is format :data:`FORMAT`; it must never change for
  days already sealed (a new format gets a new name and the old days keep being checked with the old).
* Someone who can write to the database could recompute the whole chain. Against that the latest
  digest is anchored outside it: ``madoguchi audit digests`` prints it for the IT staff to keep
  (paper, another system), and ``madoguchi audit verify --anchor DAY=DIGEST`` checks against it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.exc import IntegrityError

from counter_app.adapters.store.models import AUDIT_DIGESTS, AUDIT_EVENTS

FORMAT = "madoguchi-audit/1"
GENESIS = "madoguchi-audit-chain-genesis/1"
SEAL_DELAY = dt.timedelta(hours=1)


def _utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def canonical_entry(row: Mapping[str, Any]) -> str:
    """One audit entry as one line of JSON with sorted keys (format :data:`FORMAT`; never change it)."""
    visit_id = row["visit_id"]
    return json.dumps(
        {
            "id": str(uuid.UUID(str(row["id"]))),
            "at": _utc(row["at"]),
            "received_at": _utc(row["received_at"]),
            "counter": row["counter"],
            "clerk_id": row["clerk_id"],
            "kind": row["kind"],
            "visit_id": None if visit_id is None else str(uuid.UUID(str(visit_id))),
            "detail": row["detail"],
        },
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )


def day_digest(previous: str, entries: Iterable[str]) -> str:
    """SHA-256 of the previous digest and the day's canonical entries (sorted, so that the order the
    database returns them in does not matter)."""
    text = previous + "\n" + "\n".join(sorted(entries))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def day_bounds(day: dt.date, zone: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(day, dt.time(), tzinfo=zone)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=zone)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


def _entries(connection: Connection, day: dt.date, zone: ZoneInfo) -> list[str]:
    start, end = day_bounds(day, zone)
    table = AUDIT_EVENTS
    rows = connection.execute(
        select(table).where(table.c.received_at >= start, table.c.received_at < end)
    ).mappings()
    return [canonical_entry(dict(row)) for row in rows]


@dataclass(frozen=True, slots=True)
class SealedDay:
    day: dt.date
    digest: str
    row_count: int


def _last_sealable_day(now: dt.datetime, zone: ZoneInfo) -> dt.date:
    """The newest day that ended at least SEAL_DELAY ago."""
    return (now.astimezone(zone) - SEAL_DELAY).date() - dt.timedelta(days=1)


def seal(engine: Engine, zone: ZoneInfo, now: dt.datetime | None = None) -> list[SealedDay]:
    """Seal every day not sealed yet that ended at least SEAL_DELAY ago. Safe to run at several
    counters at once: a day another counter sealed first is left as it is."""
    now = now or dt.datetime.now(dt.UTC)
    last = _last_sealable_day(now, zone)
    sealed: list[SealedDay] = []
    with engine.begin() as connection:
        newest = connection.execute(
            select(AUDIT_DIGESTS).order_by(AUDIT_DIGESTS.c.day.desc()).limit(1)
        ).first()
        if newest is not None:
            day, previous = newest.day + dt.timedelta(days=1), newest.digest
        else:
            first = connection.execute(select(func.min(AUDIT_EVENTS.c.received_at))).scalar_one()
            if first is None:
                return []
            day, previous = first.astimezone(zone).date(), GENESIS
    while day <= last:
        with engine.begin() as connection:
            entries = _entries(connection, day, zone)
            digest = day_digest(previous, entries)
            try:
                with connection.begin_nested():
                    connection.execute(
                        AUDIT_DIGESTS.insert().values(
                            day=day,
                            digest=digest,
                            previous=previous,
                            row_count=len(entries),
                            format=FORMAT,
                            sealed_at=now,
                        )
                    )
            except IntegrityError:  # another counter sealed this day a moment ago: follow its chain
                digest = connection.execute(
                    select(AUDIT_DIGESTS.c.digest).where(AUDIT_DIGESTS.c.day == day)
                ).scalar_one()
            else:
                sealed.append(SealedDay(day, digest, len(entries)))
        previous = digest
        day += dt.timedelta(days=1)
    return sealed


@dataclass(frozen=True, slots=True)
class Verification:
    days_checked: int
    first_broken: dt.date | None = None
    reason: str = ""  # "entries" (rows of the day changed), "chain" (a digest edited or a day missing),
    # "anchor" (the chain no longer leads to an anchored digest)
    last_sealed: dt.date | None = None
    last_digest: str = ""
    expected_count: int = 0
    found_count: int = 0

    @property
    def ok(self) -> bool:
        return self.first_broken is None


def verify(engine: Engine, zone: ZoneInfo, anchors: Mapping[dt.date, str] | None = None) -> Verification:
    """Recompute every sealed day, oldest first; the first day that does not match, and why."""
    anchors = dict(anchors or {})
    previous = GENESIS
    expected_day: dt.date | None = None
    checked = 0
    with engine.connect() as connection:
        digests: Sequence[Any] = connection.execute(select(AUDIT_DIGESTS).order_by(AUDIT_DIGESTS.c.day)).all()
        for row in digests:
            if (expected_day is not None and row.day != expected_day) or row.previous != previous:
                return Verification(checked, expected_day or row.day, "chain")
            entries = _entries(connection, row.day, zone)
            digest = day_digest(previous, entries)
            if digest != row.digest or len(entries) != row.row_count:
                return Verification(
                    checked,
                    row.day,
                    "entries",
                    expected_count=row.row_count,
                    found_count=len(entries),
                )
            anchored = anchors.pop(row.day, None)
            if anchored is not None and anchored.lower() != digest:
                return Verification(checked, row.day, "anchor")
            checked += 1
            previous = digest
            expected_day = row.day + dt.timedelta(days=1)
        if digests:
            first_day = digests[0].day
            start, _ = day_bounds(first_day, zone)
            older = connection.execute(
                select(func.count()).select_from(AUDIT_EVENTS).where(AUDIT_EVENTS.c.received_at < start)
            ).scalar_one()
            if older:  # entries slipped in before the first sealed day
                return Verification(
                    checked,
                    first_day - dt.timedelta(days=1),
                    "entries",
                    expected_count=0,
                    found_count=int(older),
                )
    if anchors:  # an anchored day that is no longer in the chain
        return Verification(checked, min(anchors), "anchor")
    last = digests[-1] if digests else None
    return Verification(
        checked,
        last_sealed=None if last is None else last.day,
        last_digest="" if last is None else last.digest,
    )


def digests(engine: Engine, limit: int = 31) -> list[SealedDay]:
    """The newest sealed days, newest first (to anchor outside the database)."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(AUDIT_DIGESTS).order_by(AUDIT_DIGESTS.c.day.desc()).limit(limit)
        ).all()
    return [SealedDay(r.day, r.digest, r.row_count) for r in rows]
