"""Today's printed visits: reprint any document, or correct a detail after printing and reprint.

A visit that printed is kept (encrypted, with the drafts, gone at the day-end purge) under the draft
step :data:`~counter_app.presenters.kiosk.PRINTED_STEP`. This presenter lists today's, renders a chosen
visit's papers again exactly as printed (same visit, same print date: same pages), prints one document
or all of them again, and lets the clerk correct a member's detail (with a reason) before reprinting.
Every reprint and every correction is audited (the form id and the field names, never a value). Used
from the clerk's window (F8) and from the supervisor's menu; ``actor`` says who did it.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from counter_app.presenters.kiosk import PRINTED_STEP, reason_labels
from counter_app.presenters.member_form import LABELS, MemberFormPresenter
from counter_app.presenters.messages import clerk_message, printer_condition_message
from counter_app.presenters.observable import Observable
from counter_app.workflow.ports import AuditKind, DraftSink, VisitLog
from counter_app.workflow.tasks import TaskRunner
from counter_app.workflow.visit_session import VisitSession, VisitSessionError
from printing.model import JobState, PrintJob

if TYPE_CHECKING:  # forms and the spool are loaded after the window shows (docs/architecture.md)
    from counter_app.workflow.documents import DocumentService, Papers, PrintDocument
    from printing.queue import PrintQueue
    from procedures.catalog import Catalog

log = logging.getLogger(__name__)

_COMPARED = ("name", "furigana", "birth_date", "sex", "address", "relationship")


class ReprintStep(enum.Enum):
    LIST = "list"
    RENDERING = "rendering"
    READY = "ready"  # the chosen visit's papers are shown: reprint or correct
    CORRECTING = "correcting"
    PRINTING = "printing"
    FAILED = "failed"


@dataclass(frozen=True)
class PrintedVisit:
    visit_id: str
    label: str  # 10:32 山田 太郎 ほか3人(転入)


@dataclass(frozen=True)
class ReprintView:
    step: ReprintStep = ReprintStep.LIST
    visits: tuple[PrintedVisit, ...] = ()
    selected: str | None = None
    members: tuple[str, ...] = ()
    documents: tuple[PrintDocument, ...] = ()
    message: str = ""
    error: str = ""


class ReprintPresenter:
    def __init__(
        self,
        catalog: Catalog,
        drafts: DraftSink,
        documents: DocumentService,
        queue: PrintQueue,
        printer: Callable[[], str],
        runner: TaskRunner,
        visit_log: VisitLog | None = None,
        today: Callable[[], dt.date] = dt.date.today,
        zone: dt.tzinfo | None = None,
        print_seconds: float = 60.0,
    ) -> None:
        self.catalog = catalog
        self.drafts = drafts
        self.documents = documents
        self.queue = queue
        self.printer = printer
        self.runner = runner
        self.visit_log = visit_log
        self.today = today
        self.zone = zone
        self.print_seconds = print_seconds
        self.actor = "clerk"  # or "supervisor:<login>" from the supervisor's menu
        self.view: Observable[ReprintView] = Observable(ReprintView())
        self.correction: Observable[MemberFormPresenter | None] = Observable(None)
        self._session: VisitSession | None = None
        self._data: dict[str, Any] = {}

    def _update(self, **changes: Any) -> None:
        self.view.set(replace(self.view.value, **changes))

    def _audit(self, kind: AuditKind, detail: str) -> None:
        if self.visit_log is not None and self._session is not None:
            self.visit_log.audit(kind, self._session.visit_id, f"{detail};by={self.actor}")

    # --- the list -----------------------------------------------------------------------------
    def refresh(self) -> None:
        """Today's printed visits, newest first."""
        today = self.today().isoformat()
        found: list[tuple[str, PrintedVisit]] = []
        for visit_id, data in self.drafts.load_all():
            if data.get("step") != PRINTED_STEP or data.get("printed_on") != today:
                continue
            found.append((str(data.get("started_at", "")), PrintedVisit(visit_id, self._label(data))))
        found.sort(key=lambda pair: pair[0], reverse=True)
        self.close()
        self.view.set(ReprintView(visits=tuple(v for _, v in found)))

    def _label(self, data: dict[str, Any]) -> str:
        members = data.get("members") or []
        first = str(members[0].get("name", "")) if members else ""
        more = f" ほか{len(members) - 1}人" if len(members) > 1 else ""
        event = self.catalog.events.get(str(data.get("event") or ""))
        what = f"({event.name})" if event is not None else ""
        try:
            started = dt.datetime.fromisoformat(str(data.get("started_at")))
            at = (started.astimezone(self.zone) if self.zone else started).strftime("%H:%M")
        except ValueError:
            at = "--:--"
        return f"{at} {first}{more}{what}"

    # --- one visit ----------------------------------------------------------------------------
    def open(self, visit_id: str) -> None:
        """Render the visit's papers again, as printed (same details, same print date)."""
        for found_id, data in self.drafts.load_all():
            if found_id == visit_id and data.get("step") == PRINTED_STEP:
                try:
                    self._session, _step = VisitSession.from_draft(self.catalog, data)
                except (VisitSessionError, KeyError, ValueError) as exc:
                    self._update(error=clerk_message(exc).text)
                    return
                self._data = data
                self._update(
                    selected=visit_id,
                    members=tuple(m.name for m in self._session.members),
                    error="",
                )
                self._render()
                return
        self._update(error="この受付は再印刷できません(本日印刷した受付ではないか、すでに消去されています)")

    def _render(self, note: str = "") -> None:
        session = self._session
        assert session is not None
        printed_on = dt.date.fromisoformat(str(self._data.get("printed_on")))
        language = str(self._data.get("guide_language") or "ja")
        self._update(step=ReprintStep.RENDERING, message="書類を作成しています…", documents=())

        def build() -> Papers:
            guidance = session.guidance()
            return self.documents.build(
                session.visit(),
                guidance,
                session.chosen(guidance),
                printed_on,
                extras=session.extras,
                deselected=reason_labels(session.deselected),
                guide_language=language,
            )

        def built(papers: Papers) -> None:
            lines = [note] if note else []
            lines.append(f"{len(papers.documents)}種類の書類を再印刷できます")
            lines += [f"・{line}" for form in papers.held for line in form.messages()]
            self._update(step=ReprintStep.READY, documents=papers.documents, message="\n".join(lines))

        self.runner.run(build, built, self._failed)

    def reprint(self, indexes: Sequence[int] | None = None) -> None:
        """Print the chosen documents again (all when ``indexes`` is None); each one audited."""
        view = self.view.value
        if view.step is not ReprintStep.READY or self._session is None:
            return
        chosen = [d for i, d in enumerate(view.documents) if indexes is None or i in indexes]
        if not chosen:
            self._update(error="再印刷する書類を選んでください")
            return
        printer = self.printer()
        visit_id = self._session.visit_id
        for document in chosen:
            self._audit(AuditKind.REPRINT, f"form={document.kind}")
        self._update(step=ReprintStep.PRINTING, message="再印刷しています…", error="")

        def spool_and_print() -> list[PrintJob]:
            jobs = [self.queue.enqueue(d.pdf, d.title, printer, visit_id) for d in chosen]
            return self.queue.run([j.job_id for j in jobs], timeout=self.print_seconds, poll_interval=0.1)

        def printed(jobs: list[PrintJob]) -> None:
            waiting = next((j for j in jobs if j.state is not JobState.COMPLETED), None)
            if waiting is None:
                self._update(step=ReprintStep.READY, message=f"{len(jobs)}種類を再印刷しました")
            else:
                self._update(
                    step=ReprintStep.READY,
                    error=printer_condition_message(waiting.printer_condition)
                    + "(印刷待ちの書類はプリンターが使えるようになると印刷されます)",
                )

        self.runner.run(spool_and_print, printed, self._failed)

    # --- correction after printing ------------------------------------------------------------
    def start_correction(self, member: int) -> None:
        """Open member ``member``'s details for correction (the reason is required)."""
        if self._session is None or not 0 <= member < len(self._session.members):
            return
        self.correction.set(MemberFormPresenter(self._session.members[member], member))
        self._update(step=ReprintStep.CORRECTING, error="")

    def confirm_correction(self, reason: str) -> bool:
        """Apply the corrected details (audited with the field names), keep them, render again."""
        form = self.correction.value
        session = self._session
        if form is None or session is None or form.index is None:
            return False
        if not reason.strip():
            self._update(error="訂正の理由を入力してください(例: 氏名の字の誤り)")
            return False
        form.set_field("reason", reason.strip())  # a detail read from the card changes with this reason
        result = form.validate()
        if result is None:
            self._update(error="入力内容を確認してください: " + " ".join(form.view.value.errors.values()))
            return False
        member, _edits = result
        before = session.members[form.index]
        changed = [f for f in _COMPARED if getattr(before, f) != getattr(member, f)]
        if not changed:
            self._update(error="訂正する項目が変わっていません")
            return False
        member = member.model_copy(update={"answers": before.answers, "subject": before.subject})
        try:
            session.replace_member(form.index, member)
        except VisitSessionError as exc:
            self._update(error=clerk_message(exc).text)
            return False
        self._audit(AuditKind.VISIT_CORRECTED, "fields=" + ",".join(changed))
        data = session.to_draft(PRINTED_STEP)
        data["printed_on"] = self._data.get("printed_on")
        data["guide_language"] = self._data.get("guide_language", "ja")
        data["corrections"] = [
            *self._data.get("corrections", []),
            {"fields": changed, "reason": reason.strip()},
        ]
        self._data = data
        self.drafts.save(session.visit_id, data)
        self.correction.set(None)
        labels = "・".join(LABELS[f] for f in changed)
        self._update(members=tuple(m.name for m in session.members), error="")
        self._render(f"{labels}を訂正しました。訂正した書類を再印刷してください")
        return True

    def cancel_correction(self) -> None:
        self.correction.set(None)
        if self.view.value.step is ReprintStep.CORRECTING:
            self._update(step=ReprintStep.READY, error="")

    def _failed(self, error: BaseException) -> None:
        log.warning("reprint failed: %s", type(error).__name__)
        self._update(step=ReprintStep.FAILED, error=clerk_message(error).text)

    def close(self) -> None:
        """Back to the list: the chosen visit's details leave the screen."""
        self._session = None
        self._data = {}
        self.correction.set(None)
        self.view.set(ReprintView(visits=self.view.value.visits))
