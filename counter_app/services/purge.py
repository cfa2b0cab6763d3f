"""The daily purge of drafts: no personal data stays on a counter past the end of the day.

The kiosk calls :func:`daily_purge` at start and on a timer (every few minutes); ``madoguchi db purge``
runs it by hand or from a scheduled task. It deletes every draft saved before today (in the counter's
time zone) and, from ``database.draft_purge_time`` on (default 20:00), every draft at all. Each purged
draft leaves an audit entry with its visit id only.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass

from counter_app.services.drafts import DraftStore
from counter_app.services.recording import Recorder
from counter_app.store.records import AuditKind

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PurgeResult:
    cutoff: dt.datetime
    purged: tuple[uuid.UUID, ...]


def purge_cutoff(now: dt.datetime, zone: dt.tzinfo, purge_time: dt.time) -> dt.datetime:
    """Drafts saved before the returned instant must go: today's start, or now once ``purge_time`` passed."""
    local_now = now.astimezone(zone)
    if local_now.time() >= purge_time:
        return local_now
    return dt.datetime.combine(local_now.date(), dt.time(0), tzinfo=zone)


def next_purge_at(now: dt.datetime, zone: dt.tzinfo, purge_time: dt.time) -> dt.datetime:
    """When the next day-end purge is due (for the kiosk's timer)."""
    local_now = now.astimezone(zone)
    today = dt.datetime.combine(local_now.date(), purge_time, tzinfo=zone)
    if local_now < today:
        return today
    return dt.datetime.combine(local_now.date() + dt.timedelta(days=1), purge_time, tzinfo=zone)


def daily_purge(
    drafts: DraftStore,
    zone: dt.tzinfo,
    purge_time: dt.time,
    recorder: Recorder | None = None,
    now: dt.datetime | None = None,
) -> PurgeResult:
    current = now or dt.datetime.now(dt.UTC)
    cutoff = purge_cutoff(current, zone, purge_time)
    purged = drafts.purge(before=cutoff)
    for visit_id in purged:
        log.info("draft of visit %s purged (day end)", visit_id)
        if recorder is not None:
            recorder.audit(AuditKind.DRAFT_PURGED, visit_id=visit_id, detail={"reason": "day_end"})
    return PurgeResult(cutoff, tuple(purged))
