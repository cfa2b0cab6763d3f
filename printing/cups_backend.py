"""CUPS through pycups (libcups) — the only module that imports ``cups``.

The PDF goes to CUPS as it is (vector, fonts embedded); CUPS and the printer's driver do the rest.
Printer problems are read from ``printer-state-reasons`` (RFC 8011 keywords such as
``offline-report`` or ``media-empty-error``), so the clerk hears *why* a job waits.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from typing import Any, TypeVar

import cups

from printing.errors import PrinterNotFoundError, PrintingError, PrintServiceUnavailableError
from printing.model import BackendJob, BackendJobState, PrinterCondition, PrinterStatus

log = logging.getLogger(__name__)
T = TypeVar("T")

IPP_PRINTER_STOPPED = 5
_JOB_STATES = {
    3: BackendJobState.PENDING,
    4: BackendJobState.HELD,
    5: BackendJobState.PROCESSING,
    6: BackendJobState.STOPPED,
    7: BackendJobState.CANCELLED,
    8: BackendJobState.ABORTED,
    9: BackendJobState.COMPLETED,
}
# Most specific first: the first matching keyword decides the condition shown to the clerk.
_REASON_CONDITIONS = (
    ("offline", PrinterCondition.OFFLINE),
    ("media-empty", PrinterCondition.PAPER_OUT),
    ("media-needed", PrinterCondition.PAPER_OUT),
    ("media-jam", PrinterCondition.PAPER_JAM),
    ("toner-empty", PrinterCondition.TONER_OUT),
    ("marker-supply-empty", PrinterCondition.TONER_OUT),
    ("door-open", PrinterCondition.DOOR_OPEN),
    ("cover-open", PrinterCondition.DOOR_OPEN),
    ("paused", PrinterCondition.STOPPED),
)
_IGNORED_REASONS = {"none", "cups-waiting-for-job-completed"}
_TAG = re.compile(r"[A-Za-z0-9-]+")


def condition_from_reasons(reasons: tuple[str, ...], *, stopped: bool, accepting: bool) -> PrinterCondition:
    """Map IPP ``printer-state-reasons`` keywords (with -report/-warning/-error suffixes) to a condition."""
    for keyword, condition in _REASON_CONDITIONS:
        if any(reason.startswith(keyword) for reason in reasons):
            return condition
    if stopped:
        return PrinterCondition.STOPPED
    if not accepting:
        return PrinterCondition.NOT_ACCEPTING
    if any(reason.endswith("-error") for reason in reasons):
        return PrinterCondition.OTHER_ERROR
    return PrinterCondition.READY


class CupsBackend:
    """Print through a CUPS server (``server`` as ``host:port``; default: the system's, or $CUPS_SERVER)."""

    def __init__(self, server: str | None = None) -> None:
        self.server = server
        self._lock = threading.Lock()

    def _call(self, operation: Callable[[Any], T], printer: str | None = None) -> T:
        with self._lock:
            try:
                if self.server:
                    # libcups resolves destinations against its default server, so a
                    # host/port given to Connection() alone is not enough for jobs.
                    cups.setServer(self.server)
                connection = cups.Connection()
            except RuntimeError as exc:
                raise PrintServiceUnavailableError(f"CUPS: {exc}") from None
            try:
                return operation(connection)
            except cups.IPPError as exc:
                status, description = exc.args if len(exc.args) == 2 else (None, str(exc))
                if status == cups.IPP_NOT_FOUND and printer is not None:
                    raise PrinterNotFoundError(printer, tuple(connection.getPrinters())) from None
                if status in (cups.IPP_SERVICE_UNAVAILABLE, None) or "connect" in str(description).lower():
                    raise PrintServiceUnavailableError(f"CUPS: {description}") from None
                raise PrintingError(f"CUPS: {description}") from None
            except RuntimeError as exc:
                raise PrintServiceUnavailableError(f"CUPS: {exc}") from None

    def printers(self) -> list[str]:
        return sorted(self._call(lambda c: c.getPrinters()))

    def default_printer(self) -> str | None:
        name = self._call(lambda c: c.getDefault())
        return str(name) if name else None

    def status(self, printer: str) -> PrinterStatus:
        attributes = self._call(
            lambda c: c.getPrinterAttributes(
                printer,
                requested_attributes=[
                    "printer-state",
                    "printer-state-reasons",
                    "printer-state-message",
                    "printer-is-accepting-jobs",
                ],
            ),
            printer,
        )
        reasons = tuple(r for r in attributes.get("printer-state-reasons", []) if r not in _IGNORED_REASONS)
        condition = condition_from_reasons(
            reasons,
            stopped=attributes.get("printer-state") == IPP_PRINTER_STOPPED,
            accepting=bool(attributes.get("printer-is-accepting-jobs", True)),
        )
        return PrinterStatus(printer, condition, reasons, str(attributes.get("printer-state-message", "")))

    def submit(self, printer: str, pdf: bytes, title: str, tag: str) -> str:
        if not _TAG.fullmatch(tag):
            raise ValueError(f"a print job tag must be one token of ASCII letters, digits and '-': {tag!r}")

        def stream(c: Any) -> int:
            # Streamed over IPP: the filled-in form never lands on disk in plaintext here. The
            # document-name is the tag alone: cupsd 2.4.2-3+deb12u10 dies (SIGSEGV) on a Send-Document
            # whose document-name contains a space; the job-name carries the title the clerk reads.
            job_id = int(c.createJob(printer, f"{title} {tag}", {}))
            c.startDocument(printer, job_id, tag, "application/pdf", 1)
            c.writeRequestData(pdf, len(pdf))
            c.finishDocument(printer)
            return job_id

        job_id = self._call(stream, printer)
        log.info("submitted CUPS job %s to %s", job_id, printer)
        return str(job_id)

    def job(self, backend_id: str) -> BackendJob:
        attributes = self._call(
            lambda c: c.getJobAttributes(
                int(backend_id), requested_attributes=["job-state", "job-printer-state-reasons"]
            )
        )
        state = _JOB_STATES.get(int(attributes.get("job-state", 3)), BackendJobState.PENDING)
        reasons = tuple(
            r for r in attributes.get("job-printer-state-reasons", []) if r not in _IGNORED_REASONS
        )
        return BackendJob(backend_id, state, reasons)

    def find_job(self, printer: str, tag: str) -> str | None:
        jobs = self._call(
            lambda c: c.getJobs(
                which_jobs="all",
                requested_attributes=["job-id", "job-name", "document-name-supplied", "job-printer-uri"],
            )
        )
        for job_id, attributes in sorted(jobs.items()):
            uri = str(attributes.get("job-printer-uri", ""))
            # CUPS drops job-name from finished jobs (JobPrivateValues); the document name stays.
            names = f"{attributes.get('job-name', '')} {attributes.get('document-name-supplied', '')}"
            if tag in names.split() and uri.rstrip("/").endswith("/" + printer):
                return str(job_id)
        return None

    def resume(self, printer: str) -> None:
        def enable(c: Any) -> None:
            c.enablePrinter(printer)
            c.acceptJobs(printer)

        self._call(enable, printer)

    def cancel(self, backend_id: str) -> None:
        self._call(lambda c: c.cancelJob(int(backend_id)))
