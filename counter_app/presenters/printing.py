"""Step: render the papers, preview the exact pages, print them in order with progress, guide sheet last.

Rendering and printing run through the task runner (worker threads). Printing advances in short
rounds (``round_seconds``) so the screen shows each job's progress and any printer problem (offline,
out of paper…) while the queue keeps the jobs; "再試行" resumes a stopped printer or resubmits a failed
job, and a document is never printed twice.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Protocol

from counter_app.adapters.store.records import AuditKind
from counter_app.presenters.kiosk import KioskPresenter, KioskView, Step, reason_labels
from counter_app.presenters.messages import clerk_message, printer_condition_message
from counter_app.presenters.observable import Observable
from counter_app.workflow.previews import Pages, PreviewPage, render_previews
from counter_app.workflow.tasks import TaskRunner
from counter_app.workflow.visit_session import VisitSession
from printing.model import JobState, PrinterCondition, PrintJob

if TYPE_CHECKING:  # forms and the spool are loaded after the window shows (docs/architecture.md)
    from counter_app.workflow.documents import DocumentService, HeldForm, Papers, PrintDocument
    from printing.queue import PrintQueue

log = logging.getLogger(__name__)

__all__ = [
    "Pages",
    "PreviewPage",
    "PrintPresenter",
    "PrintStep",
    "PrintView",
    "follow_visit",
    "render_previews",
]


class PrintStep(enum.Enum):
    IDLE = "idle"
    RENDERING = "rendering"
    PREVIEW = "preview"
    PRINTING = "printing"
    WAITING = "waiting"  # the printer has a problem; jobs are kept
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True)
class PrintView:
    step: PrintStep = PrintStep.IDLE
    documents: tuple[PrintDocument, ...] = ()
    jobs: tuple[PrintJob, ...] = ()
    message: str = ""
    printer: str = ""
    held: tuple[HeldForm, ...] = ()  # forms with a value that does not fit: not printed until fixed
    previews: tuple[PreviewPage, ...] = ()  # every page as pixels, rendered by the worker with the papers

    @property
    def can_shrink(self) -> bool:
        """A smaller (still legible) font would let at least one held form print."""
        return any(p.fits_at is not None for form in self.held for p in form.problems)

    @property
    def pages(self) -> int:
        return sum(d.pages for d in self.documents)

    @property
    def printed_pages(self) -> int:
        return sum(j.pages for j in self.jobs if j.state is JobState.COMPLETED)


class PrintAudit(Protocol):
    """Where print, reprint and print-failure events go (:meth:`VisitLog.audit`)."""

    def __call__(self, kind: AuditKind, visit_id: str | None, reason: str = "") -> None: ...


class PrintPresenter:
    def __init__(
        self,
        documents: DocumentService | None,
        queue: PrintQueue | None,
        printer: Callable[[], str],
        runner: TaskRunner,
        today: Callable[[], dt.date] = dt.date.today,
        round_seconds: float = 1.0,
        audit: PrintAudit | None = None,
        guide_language: Callable[[], str] | None = None,
    ) -> None:
        self._documents = documents  # None until start-up has loaded them (attach)
        self.language = "ja"  # the guide sheet's language of the papers being prepared
        self.guide_language = guide_language  # the resident's choice (their screen): the guide sheet's
        self.audit = audit
        self._queue = queue
        self.printer = printer
        self.runner = runner
        self.today = today
        self.round_seconds = round_seconds
        self.view: Observable[PrintView] = Observable(PrintView())
        self._visit_id = ""
        self._stopped = False
        self._document_of_job: dict[str, PrintDocument] = {}  # job id → the document it prints
        self._session: VisitSession | None = None
        self._smaller_font: frozenset[tuple[str, str]] = frozenset()
        self._offer: frozenset[tuple[str, str]] = frozenset()
        # The screen's logical dpi when a screen previews the pages (None: no previews are rendered).
        self.preview_dpi: float | None = None
        # Which papers are current: a worker's result for an earlier prepare (the clerk went back,
        # asked for a smaller font, or the visit ended) is dropped, never shown over newer papers.
        self._generation = 0

    def attach(self, documents: DocumentService, queue: PrintQueue, audit: PrintAudit | None) -> None:
        """The papers, the spool and the audit, loaded after the window shows (start-up order in
        docs/architecture.md); no visit reaches the print step before (it needs the catalog)."""
        self._documents = documents
        self._queue = queue
        self.audit = audit

    @property
    def documents(self) -> DocumentService:
        if self._documents is None:
            raise RuntimeError("the papers are not loaded yet")
        return self._documents

    @property
    def queue(self) -> PrintQueue:
        if self._queue is None:
            raise RuntimeError("the print spool is not open yet")
        return self._queue

    def _update(self, **changes: object) -> None:
        self.view.set(replace(self.view.value, **changes))  # type: ignore[arg-type]

    def prepare(
        self, session: VisitSession, *, smaller_font: frozenset[tuple[str, str]] = frozenset()
    ) -> None:
        """Render every document of the visit (in a worker) for the preview.

        A form with a value that does not fit is held back with one line per field (which field, which
        form, the fix on offer); every other document is previewed and printed as usual.
        """
        self._visit_id = session.visit_id
        self._session = session
        self._smaller_font = smaller_font
        self._stopped = False
        visit = session.visit()
        guidance = session.guidance()
        chosen = session.chosen(guidance)
        today = self.today()
        self.view.set(
            PrintView(step=PrintStep.RENDERING, message="書類を作成しています…", printer=self.printer())
        )
        printer = self.printer()
        language = self.guide_language() if self.guide_language is not None else "ja"
        self.language = language  # kept with the printed visit, so a reprint has the same guide sheet
        dpi = self.preview_dpi
        self._generation += 1
        generation = self._generation

        def build() -> tuple[Papers, tuple[PreviewPage, ...]]:
            from counter_app.workflow.handoff import handoff_visit_id  # storage modules: not at start-up

            # The printer first: a printer that cannot be found stops here, before the preview,
            # with the clerk's message (never a silent fallback to PDF files).
            self.queue.backend.status(printer)
            papers = self.documents.build(
                visit,
                guidance,
                chosen,
                today,
                smaller_font=smaller_font,
                handoff_visit_id=handoff_visit_id(session.visit_id, today),
                extras=session.extras,
                deselected=reason_labels(session.deselected),
                guide_language=language,
            )
            # The preview's pixels too, here on the worker: the screen only shows them.
            return papers, (render_previews(papers.documents, dpi) if dpi else ())

        self.runner.run(
            build,
            lambda result: self._prepared(generation, *result),
            lambda exc: self._failed(exc) if generation == self._generation else None,
        )

    def _prepared(self, generation: int, papers: Papers, previews: tuple[PreviewPage, ...]) -> None:
        if generation != self._generation:
            return  # papers of an earlier request: newer ones are on their way, or the visit ended
        docs = papers.documents
        self._offer = papers.smaller_font_offer()
        lines = [f"{len(docs)}種類・{sum(d.pages for d in docs)}枚を印刷します"]
        if papers.held:
            lines.append(f"次の{len(papers.held)}種類は、枠に収まらない項目があるため印刷しません:")
            lines += [f"・{line}" for form in papers.held for line in form.messages()]
            if self._offer:
                lines.append("「文字を小さくする」を押すと、小さい文字で収まる書類も印刷に加えます。")
        self._update(
            step=PrintStep.PREVIEW,
            documents=docs,
            held=papers.held,
            message="\n".join(lines),
            previews=previews,
        )

    def accept_smaller_font(self) -> None:
        """The clerk accepts the smaller font offered for the held forms: render again with it."""
        if self._session is None or self.view.value.step is not PrintStep.PREVIEW or not self._offer:
            return
        self.prepare(self._session, smaller_font=self._smaller_font | self._offer)

    def print_all(self) -> None:
        view = self.view.value
        if view.step is not PrintStep.PREVIEW:
            return
        printer = self.printer()
        documents = view.documents
        visit_id = self._visit_id
        self._update(step=PrintStep.PRINTING, printer=printer, message="印刷しています…")

        def spool() -> tuple[PrintJob, ...]:
            # Encrypting and syncing the spool files is disk work: off the GUI thread.
            return tuple(self.queue.enqueue(d.pdf, d.title, printer, visit_id) for d in documents)

        def spooled(jobs: tuple[PrintJob, ...]) -> None:
            self._document_of_job = {job.job_id: doc for job, doc in zip(jobs, documents, strict=True)}
            self._audit(AuditKind.PRINT, visit_id, "")
            self._update(jobs=jobs)
            self._round()

        self.runner.run(spool, spooled, self._failed)

    def _round(self) -> None:
        ids = [job.job_id for job in self.view.value.jobs]
        self.runner.run(
            lambda: self.queue.run(ids, timeout=self.round_seconds, poll_interval=0.1),
            self._after_round,
            self._failed,
        )

    def _after_round(self, jobs: list[PrintJob]) -> None:
        if self._stopped:
            return
        if all(job.state is JobState.COMPLETED for job in jobs):
            self._update(step=PrintStep.DONE, jobs=tuple(jobs), message="印刷が終わりました")
            return
        waiting = next((job for job in jobs if job.state is JobState.WAITING), None)
        if waiting is not None and waiting.printer_condition is not PrinterCondition.READY:
            if self.view.value.step is not PrintStep.WAITING:
                self._audit(AuditKind.PRINT_FAILED, self._visit_id, waiting.printer_condition.value)
            self._update(
                step=PrintStep.WAITING,
                jobs=tuple(jobs),
                message=printer_condition_message(waiting.printer_condition),
            )
        else:
            done = sum(1 for job in jobs if job.state is JobState.COMPLETED)
            self._update(
                step=PrintStep.PRINTING, jobs=tuple(jobs), message=f"印刷しています…({done}/{len(jobs)})"
            )
        if waiting is None or waiting.printer_condition not in (
            PrinterCondition.STOPPED,
            PrinterCondition.NOT_ACCEPTING,
        ):
            self._round()  # keep following: an offline printer that comes back prints by itself

    def retry(self) -> None:
        """The clerk fixed the printer."""
        view = self.view.value
        if view.step not in (PrintStep.WAITING, PrintStep.FAILED) or not view.jobs:
            return

        def resume() -> list[PrintJob]:
            return [self.queue.retry(job.job_id) for job in view.jobs if not job.state.finished] or list(
                view.jobs
            )

        self._audit(AuditKind.REPRINT, self._visit_id, "")
        self._update(step=PrintStep.PRINTING, message="再試行しています…")
        self.runner.run(resume, lambda _jobs: self._round(), self._failed)

    def stop(self) -> None:
        self._stopped = True

    def _failed(self, error: BaseException) -> None:
        log.warning("printing step failed: %s", type(error).__name__)
        if self.view.value.step in (PrintStep.PRINTING, PrintStep.WAITING):
            self._audit(AuditKind.PRINT_FAILED, self._visit_id, type(error).__name__)
        self._update(step=PrintStep.FAILED, message=clerk_message(error).text)

    def _audit(self, kind: AuditKind, visit_id: str, reason: str) -> None:
        if self.audit is not None:
            self.audit(kind, visit_id or None, reason)

    def printed(self) -> list[tuple[str, int, int]]:
        """(document kind, pages, pre-filled characters) of what was printed, for the visit record.

        Each job is matched to the document it was made from by the job's id: two documents may share a
        title (a form printed once per person)."""
        result = []
        for job in self.view.value.jobs:
            doc = self._document_of_job.get(job.job_id)
            if job.state is JobState.COMPLETED and doc is not None:
                result.append((doc.kind, job.pages, doc.prefilled_characters))
        return result

    def reset(self) -> None:
        self._stopped = True
        self._generation += 1
        self._document_of_job = {}
        self.view.set(PrintView())


def follow_visit(kiosk: KioskPresenter, printer: PrintPresenter) -> Callable[[], None]:
    """Render the papers when a visit enters the print step, and clear them when the kiosk is back to
    waiting (a visit cancelled from the print step leaves nothing behind). Returns the unsubscribe."""
    current = [kiosk.view.value.step]

    def on_view(view: KioskView) -> None:
        if view.step is current[0]:
            return
        current[0] = view.step
        if view.step is Step.WAITING:
            printer.reset()
        elif view.step is Step.PRINT and kiosk.session is not None:
            printer.prepare(kiosk.session)

    return kiosk.view.subscribe(on_view, now=False)
