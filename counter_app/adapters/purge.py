"""The daily purge of drafts: no personal data stays on a counter past the end of the day.

The kiosk calls :func:`daily_purge` at start and on a timer (every few minutes); ``madoguchi db purge``
runs it by hand or from a scheduled task. It deletes every draft saved before today (in the counter's
time zone) and, from ``database.draft_purge_time`` on (default 20:00), every draft at all. Each purged
draft leaves an audit entry with its visit id only, and each one this counter can read is recorded once
as a visit that ended ``draft_expired`` (its life event id and times, no personal data), so the
statistics count it.

The same cutoff applies to the PDF files a counter without a printer "prints" into its data folder
(``printed/``, see :func:`counter_app.wiring.kiosk.choose_print_backend`): they carry the residents' details.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass
from pathlib import Path

from counter_app.adapters.drafts import Draft, DraftStore
from counter_app.adapters.recording import Recorder
from counter_app.adapters.store.errors import DraftError, RecordError
from counter_app.adapters.store.records import AuditKind, IdentifiedBy, VisitOutcome, VisitRecord

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PurgeResult:
    cutoff: dt.datetime
    purged: tuple[uuid.UUID, ...]
    files: int = 0  # PDF "prints" deleted from the printed folder


CLOCK_SLACK = dt.timedelta(minutes=10)
"""A draft or file dated more than this after now was written while the clock was ahead (or set
back since): it is purged at once, since no day-end cutoff would ever reach it."""


def purge_cutoff(now: dt.datetime, zone: dt.tzinfo, purge_time: dt.time) -> dt.datetime:
    """Drafts saved before the returned instant must go: today's start, or now once ``purge_time`` passed."""
    local_now = now.astimezone(zone)
    if local_now.time() >= purge_time:
        return local_now
    return dt.datetime.combine(local_now.date(), dt.time(0), tzinfo=zone)


def spool_cutoff(now: dt.datetime, zone: dt.tzinfo, purge_time: dt.time) -> dt.datetime:
    """Print jobs spooled before the returned instant must go: today's start, or once ``purge_time``
    passed, that time (jobs spooled after it, for a visit still open, go when printed)."""
    local_now = now.astimezone(zone)
    at = dt.datetime.combine(local_now.date(), purge_time, tzinfo=zone)
    if local_now >= at:
        return at
    return dt.datetime.combine(local_now.date(), dt.time(0), tzinfo=zone)


def next_purge_at(now: dt.datetime, zone: dt.tzinfo, purge_time: dt.time) -> dt.datetime:
    """When the next day-end purge is due (for the kiosk's timer)."""
    local_now = now.astimezone(zone)
    today = dt.datetime.combine(local_now.date(), purge_time, tzinfo=zone)
    if local_now < today:
        return today
    return dt.datetime.combine(local_now.date() + dt.timedelta(days=1), purge_time, tzinfo=zone)


def purge_printed(folder: Path, before: dt.datetime, now: dt.datetime | None = None) -> int:
    """Delete the files in ``folder`` last written before ``before`` or dated ahead of ``now`` (by
    more than :data:`CLOCK_SLACK`); how many went."""
    if not folder.is_dir():
        return 0
    limit = before.timestamp()
    ahead = ((now or dt.datetime.now(dt.UTC)) + CLOCK_SLACK).timestamp()
    removed = 0
    for path in folder.iterdir():
        try:
            if path.is_file() and not limit <= path.stat().st_mtime <= ahead:
                path.unlink()
                removed += 1
        except OSError:  # open in a viewer (Windows) or already gone: the next run retries
            log.warning("could not delete a printed PDF file; the next purge retries")
    if removed:
        log.info("%d printed PDF file(s) purged (day end)", removed)
    return removed


def expired_visit(draft: Draft, counter: str, at: dt.datetime) -> VisitRecord | None:
    """The visit record of a draft left until the purge, ended ``at`` its last save (``None`` when the
    draft cannot be read)."""
    try:
        data = draft.json()
        started = dt.datetime.fromisoformat(str(data["started_at"]))
        members = data.get("members") or []
        first = members[0] if members and isinstance(members[0], dict) else {}
        identified = {"card": IdentifiedBy.CARD, "qr": IdentifiedBy.QR}.get(
            str(first.get("source")), IdentifiedBy.MANUAL if members else IdentifiedBy.NONE
        )
        return VisitRecord(
            visit_id=draft.visit_id,
            counter=counter,
            life_event=str(data.get("event") or "none"),
            started_at=min(started, at),
            finished_at=at,
            outcome=VisitOutcome.DRAFT_EXPIRED,
            identified_by=identified,
        )
    except (DraftError, KeyError, TypeError, ValueError, RecordError) as exc:
        log.warning("draft of visit %s not recorded as expired: %s", draft.visit_id, type(exc).__name__)
        return None


def daily_purge(
    drafts: DraftStore,
    zone: dt.tzinfo,
    purge_time: dt.time,
    recorder: Recorder | None = None,
    now: dt.datetime | None = None,
    printed_folder: Path | None = None,
) -> PurgeResult:
    current = now or dt.datetime.now(dt.UTC)
    cutoff = purge_cutoff(current, zone, purge_time)
    ahead_of = current + CLOCK_SLACK
    if recorder is not None:
        for draft in drafts.load_drafts():
            if draft.saved_at < cutoff or draft.saved_at > ahead_of:
                record = expired_visit(draft, recorder.counter, min(draft.saved_at, current))
                if record is not None:
                    recorder.record_visit(record)
    purged = drafts.purge(before=cutoff, ahead_of=ahead_of)
    for visit_id in purged:
        log.info("draft of visit %s purged (day end)", visit_id)
        if recorder is not None:
            recorder.audit(AuditKind.DRAFT_PURGED, visit_id=visit_id, detail={"reason": "day_end"})
    files = purge_printed(printed_folder, cutoff, current) if printed_folder is not None else 0
    return PurgeResult(cutoff, tuple(purged), files)
