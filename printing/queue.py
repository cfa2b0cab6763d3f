"""The print queue: survives a crash, waits out printer problems, never prints a document twice.

States (``JobState``): QUEUED → SUBMITTING → SUBMITTED ⇄ WAITING → COMPLETED, or FAILED (retry) /
CANCELLED. Every transition is written to the spool before the next step, and each job's title
carries a tag with its id, so after a crash between "handed to CUPS" and "recorded", recovery finds
the job in CUPS instead of submitting it again.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import time
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path

from printing.backend import PrintBackend
from printing.errors import PrintingError, PrintJobFailedError
from printing.model import BackendJobState, JobState, PrinterCondition, PrintJob
from printing.spool import Spool, SpoolCodec

log = logging.getLogger(__name__)

ProgressCallback = Callable[[PrintJob], None]
CLOCK_SLACK = dt.timedelta(minutes=10)
"""A job dated more than this after now was spooled while the clock was ahead: purged at once."""
_WAITING_BACKEND = (
    BackendJobState.PENDING,
    BackendJobState.HELD,
    BackendJobState.PROCESSING,
    BackendJobState.STOPPED,
)


def count_pdf_pages(pdf: bytes) -> int:
    """Page count from the PDF's page tree (reportlab writes a plain /Count)."""
    counts = [int(m) for m in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", pdf, re.S)]
    counts += [int(m) for m in re.findall(rb"/Count\s+(\d+)[^>]*?/Type\s*/Pages\b", pdf, re.S)]
    return max(counts) if counts else 0


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class PrintQueue:
    def __init__(
        self,
        spool_dir: Path,
        codec: SpoolCodec,
        backend: PrintBackend,
        clock: Callable[[], dt.datetime] = _now,
    ) -> None:
        self.spool = Spool(spool_dir, codec)
        self.backend = backend
        self.clock = clock

    # --- adding and looking -------------------------------------------------------------------
    def enqueue(self, pdf: bytes, title: str, printer: str, visit_id: str = "") -> PrintJob:
        job = PrintJob(
            job_id=uuid.uuid4().hex,
            title=title,
            printer=printer,
            pages=count_pdf_pages(pdf),
            created_at=self.clock().isoformat(),
            visit_id=visit_id,
        )
        self.spool.store_document(job.job_id, pdf)
        self._record(job, "queued")
        return job

    def get(self, job_id: str) -> PrintJob:
        return self.spool.load(job_id)

    def jobs(self) -> list[PrintJob]:
        return self.spool.jobs()

    def unfinished(self) -> list[PrintJob]:
        return [job for job in self.spool.jobs() if not job.state.finished]

    @staticmethod
    def tag(job: PrintJob) -> str:
        # One token of ASCII letters, digits and "-": it travels as CUPS's document-name, and
        # cupsd 2.4.2-3+deb12u10 crashes (SIGSEGV) on a Send-Document whose document-name has a space.
        return f"madoguchi-{job.job_id[:12]}"

    def _record(self, job: PrintJob, event: str) -> None:
        job.history.append(f"{self.clock().isoformat()} {event}")
        self.spool.save(job)

    # --- moving jobs --------------------------------------------------------------------------
    def step(self, job_id: str) -> PrintJob:
        """Advance one job as far as it can go now, without waiting."""
        job = self.spool.load(job_id)
        if job.state in (JobState.QUEUED, JobState.SUBMITTING):
            self._submit(job)
        if job.state in (JobState.SUBMITTED, JobState.WAITING):
            self._poll(job)
        return job

    def _submit(self, job: PrintJob) -> None:
        tag = self.tag(job)
        if job.state is JobState.SUBMITTING:
            # A crash may have hit after the print system took the job: look before resubmitting.
            found = self.backend.find_job(job.printer, tag)
            if found is not None:
                job.backend_id = found
                job.state = JobState.SUBMITTED
                self._record(job, f"recovered backend job {found}")
                return
        job.state = JobState.SUBMITTING
        job.attempts += 1
        self._record(job, "submitting")
        pdf = self.spool.document(job.job_id)
        job.backend_id = self.backend.submit(job.printer, pdf, job.title, tag)
        job.state = JobState.SUBMITTED
        self._record(job, f"submitted as {job.backend_id}")

    def _poll(self, job: PrintJob) -> None:
        assert job.backend_id is not None
        backend_job = self.backend.job(job.backend_id)
        if backend_job.state is BackendJobState.COMPLETED:
            job.state = JobState.COMPLETED
            job.printer_condition = PrinterCondition.READY
            job.detail = ""
            self.spool.drop_document(job.job_id)  # printed: the personal data leaves the disk
            self._record(job, "completed")
            return
        if backend_job.state in (BackendJobState.CANCELLED, BackendJobState.ABORTED):
            job.state = JobState.FAILED
            job.detail = backend_job.state.value
            self._record(job, f"backend {backend_job.state.value}")
            return
        status = self.backend.status(job.printer)
        condition = status.condition
        if condition is PrinterCondition.READY and backend_job.state is BackendJobState.STOPPED:
            condition = PrinterCondition.STOPPED
        new_state = JobState.SUBMITTED if condition is PrinterCondition.READY else JobState.WAITING
        if (new_state, condition) != (job.state, job.printer_condition):
            job.state = new_state
            job.printer_condition = condition
            job.detail = status.message
            self._record(job, f"{new_state.value}: {condition.value}")

    def retry(self, job_id: str) -> PrintJob:
        """The clerk fixed the printer: restart a stopped queue, or resubmit a failed job.

        A completed job is never resubmitted (use :meth:`reprint` for a deliberate second copy).
        """
        job = self.spool.load(job_id)
        if job.state is JobState.FAILED:
            job.state = JobState.QUEUED
            job.backend_id = None
            self._record(job, "retry")
        elif job.state is JobState.WAITING and job.printer_condition in (
            PrinterCondition.STOPPED,
            PrinterCondition.NOT_ACCEPTING,
        ):
            self.backend.resume(job.printer)
            self._record(job, "printer resumed")
        return self.step(job_id)

    def reprint(self, job_id: str) -> PrintJob:
        """A deliberate new copy of a document still in the spool (audited by the app)."""
        original = self.spool.load(job_id)
        pdf = self.spool.document(job_id)
        return self.enqueue(pdf, original.title, original.printer, original.visit_id)

    def cancel(self, job_id: str) -> PrintJob:
        job = self.spool.load(job_id)
        if job.state.finished:
            return job
        if job.backend_id is not None and job.state in (JobState.SUBMITTED, JobState.WAITING):
            try:
                self.backend.cancel(job.backend_id)
            except PrintingError:
                log.warning("could not cancel backend job of %s", job.job_id)
        job.state = JobState.CANCELLED
        self.spool.drop_document(job.job_id)
        self._record(job, "cancelled")
        return job

    def recover(self) -> list[PrintJob]:
        """At start: pick up every unfinished job where it was (nothing is submitted twice)."""
        recovered = []
        for job in self.unfinished():
            if job.state is JobState.FAILED:
                recovered.append(job)
                continue
            try:
                recovered.append(self.step(job.job_id))
            except PrintingError as exc:
                log.warning("job %s not recovered yet: %s", job.job_id, type(exc).__name__)
                recovered.append(self.spool.load(job.job_id))
        return recovered

    def run(
        self,
        job_ids: Iterable[str],
        *,
        progress: ProgressCallback | None = None,
        timeout: float = 120.0,
        poll_interval: float = 0.25,
        should_stop: Callable[[], bool] = lambda: False,
    ) -> list[PrintJob]:
        """Drive ``job_ids`` in order until each is completed (or the time runs out / the caller stops).

        Jobs are handed over one at a time so that the guide sheet, enqueued last, comes out last.
        A job that waits on the printer keeps the ones after it waiting. Meant for a worker thread.
        """
        ids = list(job_ids)
        deadline = time.monotonic() + timeout
        results: dict[str, PrintJob] = {}
        for job_id in ids:
            last_seen: tuple[JobState, PrinterCondition] | None = None
            while True:
                job = self.step(job_id)
                if progress is not None and (job.state, job.printer_condition) != last_seen:
                    progress(job)
                last_seen = (job.state, job.printer_condition)
                if job.state in (JobState.COMPLETED, JobState.CANCELLED):
                    break
                if job.state is JobState.FAILED:
                    raise PrintJobFailedError(job.job_id, job.detail)
                if should_stop() or time.monotonic() > deadline:
                    results[job_id] = job
                    return [results.get(i) or self.spool.load(i) for i in ids]
                time.sleep(poll_interval)
            results[job_id] = job
        return [results[i] for i in ids]

    def purge(self, *, now: dt.datetime | None = None, before: dt.datetime | None = None) -> int:
        """Remove finished jobs, every job spooled before ``before`` (default: the start of today; the
        app passes its day-end purge time once it has passed) and every job dated ahead of ``now`` by
        more than :data:`CLOCK_SLACK` (spooled while the clock was ahead). Returns the count."""
        current = now or self.clock()
        if before is None:
            before = current.astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
        removed = 0
        for job in self.spool.jobs():
            created = dt.datetime.fromisoformat(job.created_at)
            if job.state.finished or not before <= created <= current + CLOCK_SLACK:
                self.spool.remove(job.job_id)
                removed += 1
        return removed
