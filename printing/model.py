"""What the print queue knows about printers and jobs."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class PrinterCondition(enum.Enum):
    """What stands between a job and paper, as the clerk needs to hear it."""

    READY = "ready"
    OFFLINE = "offline"
    PAPER_OUT = "paper_out"
    PAPER_JAM = "paper_jam"
    TONER_OUT = "toner_out"
    DOOR_OPEN = "door_open"
    STOPPED = "stopped"  # the queue is paused / disabled
    NOT_ACCEPTING = "not_accepting"
    OTHER_ERROR = "other_error"


@dataclass(frozen=True, slots=True)
class PrinterStatus:
    name: str
    condition: PrinterCondition
    reasons: tuple[str, ...] = ()
    message: str = ""

    @property
    def ready(self) -> bool:
        return self.condition is PrinterCondition.READY


class BackendJobState(enum.Enum):
    PENDING = "pending"
    HELD = "held"
    PROCESSING = "processing"
    STOPPED = "stopped"
    CANCELLED = "cancelled"
    ABORTED = "aborted"
    COMPLETED = "completed"


@dataclass(frozen=True, slots=True)
class BackendJob:
    """A job as the print system reports it."""

    backend_id: str
    state: BackendJobState
    printer_reasons: tuple[str, ...] = ()


class JobState(enum.Enum):
    """A job as the counter sees it."""

    QUEUED = "queued"  # spooled, not yet handed to the print system
    SUBMITTING = "submitting"  # being handed over; on recovery, looked up before any resubmission
    SUBMITTED = "submitted"  # the print system has it
    WAITING = "waiting"  # the print system has it but the printer has a problem
    COMPLETED = "completed"
    FAILED = "failed"  # cancelled or aborted by the print system; can be retried
    CANCELLED = "cancelled"  # cancelled at the counter

    @property
    def finished(self) -> bool:
        return self in (JobState.COMPLETED, JobState.CANCELLED)


@dataclass
class PrintJob:
    """One document to print. Metadata only: the PDF itself lives encrypted in the spool."""

    job_id: str
    title: str
    printer: str
    pages: int
    created_at: str  # ISO 8601, UTC
    visit_id: str = ""
    state: JobState = JobState.QUEUED
    backend_id: str | None = None
    attempts: int = 0
    printer_condition: PrinterCondition = PrinterCondition.READY
    detail: str = ""
    history: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {
            "job_id": self.job_id,
            "title": self.title,
            "printer": self.printer,
            "pages": self.pages,
            "created_at": self.created_at,
            "visit_id": self.visit_id,
            "state": self.state.value,
            "backend_id": self.backend_id,
            "attempts": self.attempts,
            "printer_condition": self.printer_condition.value,
            "detail": self.detail,
            "history": list(self.history),
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> PrintJob:
        return cls(
            job_id=str(data["job_id"]),
            title=str(data["title"]),
            printer=str(data["printer"]),
            pages=int(str(data["pages"])),
            created_at=str(data["created_at"]),
            visit_id=str(data.get("visit_id", "")),
            state=JobState(str(data["state"])),
            backend_id=None if data.get("backend_id") is None else str(data["backend_id"]),
            attempts=int(str(data.get("attempts", 0))),
            printer_condition=PrinterCondition(str(data.get("printer_condition", "ready"))),
            detail=str(data.get("detail", "")),
            history=[str(h) for h in data.get("history", [])],  # type: ignore[attr-defined]
        )
