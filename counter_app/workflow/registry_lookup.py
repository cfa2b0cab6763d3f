"""Looking up the resident's household for one visit: matching, search, rate limit and audit.

Every lookup — fetched, searched or refused — is one audit entry with the clerk, the counter (the
recorder's), the visit id and the 宛名番号 that was opened (never a name, a birth date or the words
searched). A counter may look up at most ``limit`` times per ``window``; past that every lookup is
refused until the window moves on (a burst of lookups is what browsing looks like).

What a lookup returns lives in the visit (:class:`RegistryVisit`) and is dropped with it.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from counter_app.adapters.store.records import AuditKind, DetailValue
from counter_app.workflow.registry import (
    MAX_HOUSEHOLD,
    MAX_RESULTS,
    AtenaQuery,
    Difference,
    Identity,
    RegistryError,
    RegistryNoMatchError,
    RegistryPerson,
    RegistryRateLimitedError,
    RegistrySource,
    RegistryUnavailableError,
    differences,
    household_order,
    name_variants,
    parse_search,
    pick_match,
    to_katakana,
)

T = TypeVar("T")

DEFAULT_LIMIT = 30  # lookups per counter …
DEFAULT_WINDOW = dt.timedelta(minutes=10)  # … in this many minutes (a visit needs 1–3)


class AuditSink(Protocol):
    """What :class:`counter_app.adapters.recording.Recorder` offers."""

    def audit(
        self,
        kind: AuditKind,
        *,
        visit_id: uuid.UUID | None = None,
        clerk_id: str = "",
        detail: Mapping[str, DetailValue] | None = None,
        at: dt.datetime | None = None,
    ) -> object: ...


class RateLimiter:
    """At most ``limit`` lookups in any ``window`` (sliding), per counter (one per kiosk process)."""

    def __init__(
        self, limit: int = DEFAULT_LIMIT, window: dt.timedelta = DEFAULT_WINDOW,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:  # fmt: skip
        if limit < 1:
            raise ValueError("limit must be at least 1")
        self.limit = limit
        self.window = window.total_seconds()
        self.clock = clock
        self._times: deque[float] = deque()
        self._lock = threading.Lock()

    def take(self) -> None:
        with self._lock:
            now = self.clock()
            while self._times and now - self._times[0] >= self.window:
                self._times.popleft()
            if len(self._times) >= self.limit:
                wait = int(self.window - (now - self._times[0])) // 60 + 1
                raise RegistryRateLimitedError(
                    f"この窓口からの住民記録の照会が短時間に多すぎます(上限 {self.limit} 件/"
                    f"{int(self.window // 60)} 分)。約{wait}分後に照会できます。受付はカードまたは手入力で"
                    "続けてください。"
                )
            self._times.append(now)


@dataclass(frozen=True)
class HouseholdMatch:
    """The resident found, their household (世帯主 first; residents only in ``current``), and where
    the card and the registry differ (the card is kept for those)."""

    person: RegistryPerson
    members: tuple[RegistryPerson, ...]
    differences: tuple[Difference, ...] = ()

    @property
    def current(self) -> tuple[RegistryPerson, ...]:
        return tuple(m for m in self.members if not m.status.badge)

    def __repr__(self) -> str:
        return f"HouseholdMatch(<redacted>, members={len(self.members)}, differences={len(self.differences)})"


@dataclass(frozen=True)
class SearchResult:
    hits: tuple[RegistryPerson, ...]
    capped: bool  # more than MAX_RESULTS matched: only the first are shown

    def __repr__(self) -> str:
        return f"SearchResult({len(self.hits)} hits, capped={self.capped})"


@dataclass
class RegistryLookup:
    source: RegistrySource
    audit_sink: AuditSink
    clerk_id: str = ""
    limiter: RateLimiter = field(default_factory=RateLimiter)
    today: Callable[[], dt.date] = dt.date.today

    # --- the three lookups --------------------------------------------------------------------
    def household_for(self, visit_id: str, identity: Identity) -> HouseholdMatch:
        """The household of the resident the card (QR, typed details) identified."""

        def work() -> HouseholdMatch:
            candidates = self.source.find(identity.birth_date, name_variants(identity.name), (), MAX_RESULTS)
            person = pick_match(identity, candidates)
            return self._household(person, differences(identity, person))

        return self._audited(visit_id, "card", work)

    def search(self, visit_id: str, text: str) -> SearchResult:
        """The one search box without a card (see :func:`parse_search`)."""
        query = parse_search(text, self.today())  # a typing error costs no lookup and no audit

        def work() -> SearchResult:
            if isinstance(query, AtenaQuery):
                found = self.source.by_atena(query.atena_no)
                return SearchResult((found,) if found is not None else (), False)
            if query.reading:
                people = self.source.find(query.birth_date, (), (to_katakana(query.text),), MAX_RESULTS + 1)
            else:
                people = self.source.find(query.birth_date, name_variants(query.text), (), MAX_RESULTS + 1)
            return SearchResult(tuple(people[:MAX_RESULTS]), len(people) > MAX_RESULTS)

        result = self._audited(visit_id, "search", work)
        if not result.hits:
            raise RegistryNoMatchError("該当する方が住民記録にいません。入力を確かめてください。")
        return result

    def household_of(self, visit_id: str, person: RegistryPerson) -> HouseholdMatch:
        """The household of a resident the clerk picked from a search result."""
        return self._audited(visit_id, "picked", lambda: self._household(person, ()))

    # --- helpers ------------------------------------------------------------------------------
    def _household(self, person: RegistryPerson, diffs: tuple[Difference, ...]) -> HouseholdMatch:
        members = self.source.household(person.household_no, MAX_HOUSEHOLD)
        if not any(m.atena_no == person.atena_no for m in members):
            members = [person, *members]
        return HouseholdMatch(person, tuple(household_order(members)), diffs)

    def _audited(self, visit_id: str, how: str, work: Callable[[], T]) -> T:
        vid = uuid.UUID(visit_id) if visit_id else None
        try:
            self.limiter.take()
            result = work()
        except RegistryError as exc:
            self._audit(AuditKind.REGISTRY_REFUSED, vid, {"how": how, "reason": exc.code})
            raise
        except Exception as exc:  # an adapter's unexpected failure is the registry being unusable
            self._audit(AuditKind.REGISTRY_REFUSED, vid, {"how": how, "reason": "unavailable"})
            raise RegistryUnavailableError() from exc
        if isinstance(result, SearchResult):
            self._audit(
                AuditKind.REGISTRY_SEARCH, vid,
                {"how": how, "results": len(result.hits), "capped": result.capped,
                 "atena_first": result.hits[0].atena_no if len(result.hits) == 1 else None},
            )  # fmt: skip
        elif isinstance(result, HouseholdMatch):
            self._audit(
                AuditKind.REGISTRY_LOOKUP, vid,
                {"how": how, "atena": result.person.atena_no, "household": result.person.household_no,
                 "members": len(result.members), "differences": len(result.differences)},
            )  # fmt: skip
        return result

    def _audit(self, kind: AuditKind, visit_id: uuid.UUID | None, detail: dict[str, DetailValue]) -> None:
        self.audit_sink.audit(kind, visit_id=visit_id, clerk_id=self.clerk_id, detail=detail)


@dataclass
class RegistryVisit:
    """What the registry gave for the visit in progress: kept in memory only, dropped with the visit
    (:meth:`clear`). The items the visit model has no field for (住民票コード, 宛名番号, 世帯番号, 本籍,
    筆頭者) are here, by member index, for the forms and the hand-off."""

    visit_id: str = ""
    match: HouseholdMatch | None = None
    by_member: dict[int, RegistryPerson] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"RegistryVisit({self.visit_id}, members={len(self.by_member)})"

    def clear(self) -> None:
        self.visit_id = ""
        self.match = None
        self.by_member.clear()
