"""What a counter records: plain, validated values with no personal data, and their JSON form.

A :class:`VisitRecord` is made by the kiosk when a visit ends (its UUID was made when it started). It
names catalog ids (life event, procedures, forms), times and counts — never the resident. Each record
has a UUID; writing the same record twice stores it once (the idempotency key of the outbox sync).

Audit ``detail`` is checked here: short scalar values under lowercase keys, and no key that names
personal data (``name``, ``address``, ``birth``, ``pin`` …), so a careless caller fails loudly in tests
rather than writing a resident's details into the shared database.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from counter_app.adapters.store.errors import RecordError

MAX_ID = 64
ALL_COUNTERS = "*"  # the statistics' name for the whole office: no counter may be called that
MAX_DETAIL_VALUE = 64
MAX_DETAIL_KEYS = 16
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_DETAIL_KEY = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
# Fragments of detail keys that would carry personal data. A detail key containing one is refused.
PERSONAL_KEY_FRAGMENTS = (
    "name",
    "kana",
    "furigana",
    "address",
    "addr",
    "birth",
    "dob",
    "pin",
    "my_number",
    "mynumber",
    "kojin",
    "phone",
    "tel",
    "email",
    "sex",
    "gender",
)
# Detail keys allowed although a fragment above occurs in them (technical names, never personal).
DETAIL_KEY_ALLOWLIST = frozenset({"printer_name", "reader_name", "form_name", "setting"})


class VisitOutcome(enum.StrEnum):
    COMPLETED = "completed"  # the forms were printed and the visit closed
    NOTHING_NEEDED = "nothing_needed"  # the questions found no procedure to do
    CANCELLED = "cancelled"  # the clerk ended the visit before printing
    TIMED_OUT = "timed_out"  # cleared by the idle timeout and not resumed
    DRAFT_EXPIRED = "draft_expired"  # the saved draft was purged at day end


class IdentifiedBy(enum.StrEnum):
    CARD = "card"  # My Number card read with the PIN
    QR = "qr"  # QR code prepared on a phone
    MANUAL = "manual"  # typed by the clerk from another document
    NONE = "none"  # no identification (e.g. an enquiry)


class PrintStatus(enum.StrEnum):
    PRINTED = "printed"
    FAILED = "failed"
    CANCELLED = "cancelled"


class AuditKind(enum.StrEnum):
    CARD_READ = "card_read"
    QR_READ = "qr_read"
    PIN_REFUSED = "pin_refused"
    CARD_LOCKED = "card_locked"
    PRINT = "print"
    REPRINT = "reprint"
    VISIT_CORRECTED = "visit_corrected"  # a detail corrected after printing (field names only)
    PROCEDURE_ADDED = "procedure_added"  # a procedure added by hand (its id; the reason stays on paper)
    PRINT_FAILED = "print_failed"
    SETTINGS_CHANGE = "settings_change"
    SUPERVISOR_SIGN_IN = "supervisor_sign_in"
    SUPERVISOR_SIGN_IN_FAILED = "supervisor_sign_in_failed"
    SUPERVISOR_ACCOUNT = "supervisor_account"
    STATS_EXPORT = "stats_export"
    DRAFT_RESTORED = "draft_restored"
    DRAFT_PURGED = "draft_purged"
    VISIT_CANCELLED = "visit_cancelled"
    VISIT_PUT_ASIDE = "visit_put_aside"
    REGISTRY_LOOKUP = "registry_lookup"  # a household fetched from the resident registry (宛名番号 in detail)
    REGISTRY_SEARCH = "registry_search"  # a search without a card (result count only, never the query)
    REGISTRY_REFUSED = "registry_refused"  # a lookup refused: no match, ambiguous, rate limit, registry down


RecordKind = Literal["visit", "audit"]


def check_id(value: str, what: str, *, allow_empty: bool = False) -> str:
    """A catalog id, counter name, clerk id or reason code: short, one line."""
    if not isinstance(value, str):
        raise RecordError(f"{what}: not a string")
    if not value and not allow_empty:
        raise RecordError(f"{what}: empty")
    if len(value) > MAX_ID:
        raise RecordError(f"{what}: longer than {MAX_ID} characters")
    if _CONTROL.search(value):
        raise RecordError(f"{what}: control characters")
    return value


def check_counter(value: str) -> str:
    if value == ALL_COUNTERS:
        raise RecordError(f"counter: {ALL_COUNTERS!r} is reserved for the whole office")
    return check_id(value, "counter")


def _aware(value: dt.datetime, what: str) -> dt.datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise RecordError(f"{what}: naive datetime (give the counter's time zone)")
    return value


@dataclass(frozen=True, slots=True)
class ProcedureChoice:
    """A procedure the app listed; ``chosen`` false with a reason code when the clerk deselected it."""

    procedure_id: str
    chosen: bool = True
    deselect_reason: str | None = None

    def __post_init__(self) -> None:
        check_id(self.procedure_id, "procedure_id")
        if self.chosen and self.deselect_reason is not None:
            raise RecordError(f"{self.procedure_id}: a chosen procedure has no deselect reason")
        if self.deselect_reason is not None:
            check_id(self.deselect_reason, "deselect_reason")

    def to_json(self) -> dict[str, Any]:
        return {"procedure_id": self.procedure_id, "chosen": self.chosen, "reason": self.deselect_reason}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ProcedureChoice:
        return cls(data["procedure_id"], bool(data["chosen"]), data.get("reason"))


@dataclass(frozen=True, slots=True)
class PrintJobRecord:
    """A form printed during the visit. ``prefilled_chars``: characters of the form the app pre-printed
    (what the resident would otherwise have handwritten)."""

    job_id: uuid.UUID
    form_id: str
    printed_at: dt.datetime
    pages: int = 1
    copies: int = 1
    prefilled_chars: int = 0
    reprint: bool = False
    status: PrintStatus = PrintStatus.PRINTED
    procedure_id: str | None = None
    printer: str = ""

    def __post_init__(self) -> None:
        check_id(self.form_id, "form_id")
        if self.procedure_id is not None:
            check_id(self.procedure_id, "procedure_id")
        if len(self.printer) > 128 or _CONTROL.search(self.printer):
            raise RecordError("printer: too long or control characters")
        _aware(self.printed_at, "printed_at")
        if not 1 <= self.pages <= 10_000 or not 1 <= self.copies <= 100:
            raise RecordError(f"{self.form_id}: pages 1..10000 and copies 1..100")
        if not 0 <= self.prefilled_chars <= 1_000_000:
            raise RecordError(f"{self.form_id}: prefilled_chars out of range")

    def to_json(self) -> dict[str, Any]:
        return {
            "job_id": str(self.job_id),
            "form_id": self.form_id,
            "printed_at": self.printed_at.isoformat(),
            "pages": self.pages,
            "copies": self.copies,
            "prefilled_chars": self.prefilled_chars,
            "reprint": self.reprint,
            "status": self.status.value,
            "procedure_id": self.procedure_id,
            "printer": self.printer,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PrintJobRecord:
        return cls(
            job_id=uuid.UUID(data["job_id"]),
            form_id=data["form_id"],
            printed_at=dt.datetime.fromisoformat(data["printed_at"]),
            pages=int(data["pages"]),
            copies=int(data["copies"]),
            prefilled_chars=int(data["prefilled_chars"]),
            reprint=bool(data["reprint"]),
            status=PrintStatus(data["status"]),
            procedure_id=data.get("procedure_id"),
            printer=data.get("printer", ""),
        )


@dataclass(frozen=True, slots=True)
class VisitRecord:
    """One finished visit. ``started_at``'s own UTC offset defines the local day and hour used by the
    statistics; :class:`counter_app.adapters.recording.Recorder` puts it in the counter's time zone."""

    visit_id: uuid.UUID
    counter: str
    life_event: str
    started_at: dt.datetime
    finished_at: dt.datetime
    outcome: VisitOutcome
    identified_by: IdentifiedBy = IdentifiedBy.CARD
    clerk_id: str = ""
    procedures: tuple[ProcedureChoice, ...] = ()
    print_jobs: tuple[PrintJobRecord, ...] = ()
    app_version: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.visit_id, uuid.UUID):
            raise RecordError("visit_id: not a UUID")
        check_counter(self.counter)
        check_id(self.life_event, "life_event")
        check_id(self.clerk_id, "clerk_id", allow_empty=True)
        if len(self.app_version) > 32:
            raise RecordError("app_version: too long")
        _aware(self.started_at, "started_at")
        _aware(self.finished_at, "finished_at")
        if self.finished_at < self.started_at:
            raise RecordError(f"visit {self.visit_id}: finished before it started")
        if self.finished_at - self.started_at > dt.timedelta(days=2):
            raise RecordError(f"visit {self.visit_id}: longer than two days")
        if len(self.procedures) > 1000 or len(self.print_jobs) > 1000:
            raise RecordError(f"visit {self.visit_id}: too many procedures or print jobs")
        job_ids = [job.job_id for job in self.print_jobs]
        if len(set(job_ids)) != len(job_ids):
            raise RecordError(f"visit {self.visit_id}: a print job id occurs twice")

    @property
    def record_id(self) -> uuid.UUID:
        return self.visit_id

    @property
    def duration_s(self) -> int:
        return round((self.finished_at - self.started_at).total_seconds())

    @property
    def local_date(self) -> dt.date:
        return self.started_at.date()

    @property
    def local_hour(self) -> int:
        return self.started_at.hour

    def in_zone(self, zone: dt.tzinfo) -> VisitRecord:
        """The same visit with its times expressed in ``zone`` (the counter's time zone)."""
        from dataclasses import replace

        return replace(
            self, started_at=self.started_at.astimezone(zone), finished_at=self.finished_at.astimezone(zone)
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "visit_id": str(self.visit_id),
            "counter": self.counter,
            "life_event": self.life_event,
            "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat(),
            "outcome": self.outcome.value,
            "identified_by": self.identified_by.value,
            "clerk_id": self.clerk_id,
            "procedures": [p.to_json() for p in self.procedures],
            "print_jobs": [j.to_json() for j in self.print_jobs],
            "app_version": self.app_version,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> VisitRecord:
        return cls(
            visit_id=uuid.UUID(data["visit_id"]),
            counter=data["counter"],
            life_event=data["life_event"],
            started_at=dt.datetime.fromisoformat(data["started_at"]),
            finished_at=dt.datetime.fromisoformat(data["finished_at"]),
            outcome=VisitOutcome(data["outcome"]),
            identified_by=IdentifiedBy(data["identified_by"]),
            clerk_id=data.get("clerk_id", ""),
            procedures=tuple(ProcedureChoice.from_json(p) for p in data.get("procedures", ())),
            print_jobs=tuple(PrintJobRecord.from_json(j) for j in data.get("print_jobs", ())),
            app_version=data.get("app_version", ""),
        )


DetailValue = str | int | float | bool | None


def check_detail(detail: Mapping[str, Any]) -> dict[str, DetailValue]:
    """Audit detail: at most 16 short scalar facts under lowercase technical keys."""
    if len(detail) > MAX_DETAIL_KEYS:
        raise RecordError("audit detail: too many keys")
    checked: dict[str, DetailValue] = {}
    for key, value in detail.items():
        if not isinstance(key, str) or not _DETAIL_KEY.match(key):
            raise RecordError(f"audit detail key {key!r}: use lowercase letters, digits and _")
        if key not in DETAIL_KEY_ALLOWLIST and any(part in key for part in PERSONAL_KEY_FRAGMENTS):
            raise RecordError(f"audit detail key {key!r} looks like personal data: not stored")
        if isinstance(value, str):
            if len(value) > MAX_DETAIL_VALUE or _CONTROL.search(value):
                raise RecordError(f"audit detail {key!r}: value too long or with control characters")
        elif value is not None and not isinstance(value, (int, float, bool)):
            raise RecordError(f"audit detail {key!r}: only short strings, numbers, booleans")
        checked[key] = value
    return checked


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """One audit log entry. ``visit_id`` ties it to a visit; ``detail`` holds technical facts only."""

    event_id: uuid.UUID
    at: dt.datetime
    counter: str
    kind: AuditKind
    clerk_id: str = ""
    visit_id: uuid.UUID | None = None
    detail: Mapping[str, DetailValue] = field(default_factory=dict)

    def __post_init__(self) -> None:
        check_counter(self.counter)
        check_id(self.clerk_id, "clerk_id", allow_empty=True)
        _aware(self.at, "at")
        object.__setattr__(self, "detail", check_detail(self.detail))

    @property
    def record_id(self) -> uuid.UUID:
        return self.event_id

    def to_json(self) -> dict[str, Any]:
        return {
            "event_id": str(self.event_id),
            "at": self.at.isoformat(),
            "counter": self.counter,
            "kind": self.kind.value,
            "clerk_id": self.clerk_id,
            "visit_id": str(self.visit_id) if self.visit_id else None,
            "detail": dict(self.detail),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> AuditRecord:
        return cls(
            event_id=uuid.UUID(data["event_id"]),
            at=dt.datetime.fromisoformat(data["at"]),
            counter=data["counter"],
            kind=AuditKind(data["kind"]),
            clerk_id=data.get("clerk_id", ""),
            visit_id=uuid.UUID(data["visit_id"]) if data.get("visit_id") else None,
            detail=data.get("detail", {}),
        )


Record = VisitRecord | AuditRecord


def record_kind(record: Record) -> RecordKind:
    return "visit" if isinstance(record, VisitRecord) else "audit"


def dump_record(record: Record) -> str:
    return json.dumps(record.to_json(), ensure_ascii=False, separators=(",", ":"))


def load_record(kind: str, payload: str) -> Record:
    data = json.loads(payload)
    if kind == "visit":
        return VisitRecord.from_json(data)
    if kind == "audit":
        return AuditRecord.from_json(data)
    raise RecordError(f"unknown record kind {kind!r}")
