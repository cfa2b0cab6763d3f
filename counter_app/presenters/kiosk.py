"""The whole visit as view state: which step is on screen, and the moves between steps.

Steps: WAITING → IDENTIFY (card) → MEMBER (confirm or type details) → EVENT → HOUSEHOLD →
QUESTIONS → REVIEW → PRINT → DONE → WAITING. The presenter owns the :class:`VisitSession`; widgets
only observe and forward input. After every change the visit is saved as an encrypted draft, so a
crash or power loss loses nothing; finishing or abandoning a visit clears every personal detail.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from counter_app.adapters.card_source import CardSource
from counter_app.adapters.postcode import PostcodeDataError, PostcodeNotFoundError
from counter_app.adapters.postcode import lookup as lookup_postcode
from counter_app.adapters.store.records import AuditKind, VisitOutcome
from counter_app.presenters.address_entry import expand_postcode
from counter_app.presenters.identify import IdentifyPresenter, IdentifyStep, IdentifyView
from counter_app.presenters.member_form import MemberFormPresenter
from counter_app.presenters.messages import clerk_message
from counter_app.presenters.observable import Observable
from counter_app.workflow import certificates
from counter_app.workflow.certificates import CertificateRequest
from counter_app.workflow.draft_writer import BackgroundDrafts
from counter_app.workflow.ports import DraftSink, VisitLog
from counter_app.workflow.record_writer import BackgroundLog
from counter_app.workflow.tasks import TaskRunner
from counter_app.workflow.visit_extras import ExtrasError, Representative, VisitExtras, parse_ticket
from counter_app.workflow.visit_fields import common_values
from counter_app.workflow.visit_session import VisitSession, VisitSessionError, member_from_card
from procedures.errors import ProceduresError
from procedures.prefill import (
    PartCollector,
    Prefill,
    PrefillError,
    apply_to_visit,
    parse_part,
    read_collected,
)
from procedures.prefill.merge import Applied, match_members, merge_card_member
from procedures.towns import load_towns
from procedures.visit import EVENT_YEARS_BACK, JsonAnswer, Relationship, Source, event_date_range

if TYPE_CHECKING:  # the catalog's models and the engine load with the catalog, after the window shows
    from procedures.catalog import Catalog
    from procedures.engine import Guidance, NeededProcedure, PendingQuestion

log = logging.getLogger(__name__)


class Step(enum.StrEnum):
    WAITING = "waiting"
    IDENTIFY = "identify"
    MEMBER = "member"
    EVENT = "event"
    HOUSEHOLD = "household"
    QUESTIONS = "questions"
    REVIEW = "review"
    PRINT = "print"
    DONE = "done"


PUT_ASIDE = "put_aside"  # the draft's mark of a visit put aside (not interrupted by a crash)

# Shown while a step waits for what start-up loads after the window (catalog, storage): a card read
# or typed details are kept and the visit goes on by itself when the load is done.
PREPARING = "準備中です(手続一覧を読み込んでいます)。このままお待ちください。続きは自動で始まります。"


@dataclass(frozen=True)
class Recovery:
    visit_id: str
    started_at: str
    members: int
    step: str


@dataclass(frozen=True)
class KioskView:
    step: Step = Step.WAITING
    visit_id: str | None = None
    banner: str = ""
    error: str = ""
    recoveries: tuple[Recovery, ...] = ()
    adding_member: bool = False
    notes: tuple[str, ...] = ()  # what the clerk must check after a QR pre-fill (differences, unused data)
    qr_offer: str = ""  # a complete QR set of another household: "new visit or add to this one?"
    qr_offer_can_add: bool = True  # False while there is no visit to add to
    cancelling: bool = False  # the clerk asked to cancel the visit: choose a reason (or keep going)


# The draft step of a visit that was printed: kept for today's reprints (presenters.reprint).
PRINTED_STEP = "printed"


# Why a visit ends without papers: a fixed list (recorded as a code, never free text, so the record
# holds no personal data). The number is the key the clerk presses.
CANCEL_REASONS: dict[str, str] = {
    "resident_request": "ご本人の申し出(お帰りになった・出直す)",
    "documents_missing": "必要な書類・持ち物がそろっていない",
    "identity_unconfirmed": "本人確認ができない",
    "wrong_counter": "この窓口の手続ではない",
    "other": "その他",
}


CANCELLED = "受付を中止しました。入力した内容は消去しました"  # the banner after a cancelled visit

# Why the clerk leaves a listed procedure out: a fixed list too (a code in the record, the label on screen).
DESELECT_REASONS = {
    "already_done": "既に手続済み",
    "later_visit": "後日あらためて来庁",
    "other_person": "別の方が手続する",
    "not_wanted": "本人が希望しない",
    "not_applicable": "対象外と確認した",
    "other": "その他",
}


def reason_labels(deselected: dict[str, str]) -> dict[str, str]:
    """Procedure key -> the words of its deselect reason (for the guide sheet)."""
    return {key: DESELECT_REASONS.get(code, code) for key, code in deselected.items()}


@dataclass(frozen=True)
class _QrOffer:
    set_label: str
    prefill: Prefill


@dataclass(frozen=True)
class QuestionsView:
    guidance: Guidance | None = None
    question: PendingQuestion | None = None
    position: int = 0  # answers given so far
    error: str = ""
    member_names: tuple[str, ...] = ()
    text: str = ""  # a text answer as typed so far
    address_options: tuple[str, ...] = ()  # a 郵便番号 typed as a text answer offers its addresses
    address_note: str = ""


@dataclass(frozen=True)
class ExtrasView:
    """整理券, 代理人, procedures added by hand, back-office note, certificate request (issue 18)."""

    extras: VisitExtras = field(default_factory=VisitExtras)
    judgement: tuple[str, ...] = ()  # the certificate counter's issuance judgement, for the clerk
    error: str = ""
    summary: tuple[str, ...] = ()  # the lines the guide sheet will carry for them, for the review step


@dataclass(frozen=True)
class ReviewView:
    procedures: tuple[NeededProcedure, ...] = ()
    deselected: dict[str, str] = field(default_factory=dict)
    forms: tuple[str, ...] = ()


class KioskPresenter:
    def __init__(
        self,
        catalog: Catalog | None,
        card_source: CardSource,
        runner: TaskRunner,
        drafts: DraftSink | None = None,
        visit_log: VisitLog | None = None,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        self._catalog = catalog
        self.card_source = card_source
        self.runner = runner
        self.drafts: BackgroundDrafts | None = None
        self.visit_log: VisitLog | None = None
        self._use_ports(drafts, visit_log)
        self.today = today
        self.view: Observable[KioskView] = Observable(KioskView())
        self.identify = IdentifyPresenter(card_source, runner)
        self.identify.view.subscribe(self._on_identify, now=False)
        self.identify.on_refused = self._pin_refused
        self.member_form: Observable[MemberFormPresenter | None] = Observable(None)
        self.questions: Observable[QuestionsView] = Observable(QuestionsView())
        self.review: Observable[ReviewView] = Observable(ReviewView())
        self.household: Observable[tuple[str, ...]] = Observable(())
        self.extras: Observable[ExtrasView] = Observable(ExtrasView())
        self.session: VisitSession | None = None
        self._editing: int | None = None
        # One collector per QR set being read (keyed by set id and total), in the order first seen:
        # a foreign code, a misread or another household's part never costs the parts already read.
        self._collectors: dict[tuple[str, int, str], PartCollector] = {}
        self._applied_sets: set[str] = set()  # the QR sets this visit has taken
        self._offers: list[_QrOffer] = []  # complete sets of another household, waiting for the clerk
        self.demo_card = False  # the demo card is "placed" by a button, not detected
        self.town_addresses: tuple[str, ...] = ()
        # Without a catalog yet (start-up loads it after the window shows): what needs it waits here,
        # in order, and runs from :meth:`services_ready`; ``start_problem`` when that load failed.
        self._waiting_for_services: list[Callable[[], object]] = []
        self.start_problem = ""
        self._cancel_waiting = False  # a visit cancelled before the catalog came: recorded once it comes
        if catalog is not None:
            self._set_catalog(catalog)

    # --- start-up: the catalog and the storage arrive after the window ---------------------------
    @property
    def catalog(self) -> Catalog:
        if self._catalog is None:  # every caller is behind _when_ready (a visit needs the catalog)
            raise RuntimeError("the catalog is not loaded yet")
        return self._catalog

    @property
    def ready(self) -> bool:
        """The catalog is loaded and checked (and the storage open): a visit can use them."""
        return self._catalog is not None

    def _set_catalog(self, catalog: Catalog) -> None:
        self._catalog = catalog
        # The municipality's 町丁目 (towns.yaml in its catalog folder), offered while an address is typed.
        towns = load_towns(catalog.directory)
        self.town_addresses = towns.addresses() if towns is not None else ()

    def _use_ports(self, drafts: DraftSink | None, visit_log: VisitLog | None) -> None:
        # Drafts are written by a worker (newest state first, in order): see BackgroundDrafts.
        self.drafts = None
        if drafts is not None:
            runner = self.runner
            self.drafts = drafts if isinstance(drafts, BackgroundDrafts) else BackgroundDrafts(drafts, runner)
        self.visit_log = visit_log
        if isinstance(visit_log, BackgroundLog):  # records written by a worker: failures come back here
            visit_log.on_error = self._record_failed

    def services_ready(
        self, catalog: Catalog, drafts: DraftSink | None = None, visit_log: VisitLog | None = None
    ) -> None:
        """Start-up loaded (and checked) the catalog and opened the storage: what waited runs now."""
        self._use_ports(drafts, visit_log)
        self._set_catalog(catalog)
        if self.view.value.banner == PREPARING:
            self.view.set(replace(self.view.value, banner=""))
        self.offer_recoveries()
        waiting, self._waiting_for_services = self._waiting_for_services, []
        self._cancel_waiting = False
        for action in waiting:
            action()

    def services_failed(self, text: str) -> None:
        """Start-up could not load or check the catalog or open the storage: no visit may start; what
        waited is dropped (nothing of it was used) and the clerk reads ``text``."""
        self.start_problem = text
        self._waiting_for_services.clear()
        self.identify.view.set(IdentifyView())
        self.view.set(KioskView(step=Step.WAITING, error=text))

    def _when_ready(self, action: Callable[[], object], *, note: bool = True) -> bool:
        """True when the catalog is there (the caller goes on now). Otherwise ``action`` runs once it
        is, after what waited before it, and the clerk sees 準備中 (``note``); after a failed start
        nothing runs and the clerk reads the reason again."""
        if self._catalog is not None:
            return True
        if self.start_problem:
            self.view.set(replace(self.view.value, error=self.start_problem))
            return False
        self._waiting_for_services.append(action)
        if note:
            self.view.set(replace(self.view.value, banner=PREPARING))
        return False

    # --- helpers --------------------------------------------------------------------------------
    def _go(self, step: Step, **changes: Any) -> None:
        visit_id = self.session.visit_id if self.session else None
        changes.setdefault("cancelling", False)
        self.view.set(replace(self.view.value, step=step, visit_id=visit_id, error="", **changes))
        self._save_draft()

    def report_error(self, text: str) -> None:
        self.view.set(replace(self.view.value, error=text))

    def _audit(self, kind: AuditKind, visit_id: str | None, detail: str = "") -> None:
        if self.visit_log is not None:
            self._recorded(lambda log_: log_.audit(kind, visit_id, detail))

    def _recorded(self, write: Callable[[VisitLog], None]) -> str:
        """A record or audit entry that must never stop the visit: when the data folder cannot be
        written (disk full, read-only) the clerk is told at once and the storage keeps the record in
        memory until it can be written. The clerk's line, or "" when it was written."""
        if self.visit_log is None:
            return ""
        try:
            write(self.visit_log)
        except Exception as exc:
            log.warning("record not written now: %s", type(exc).__name__)
            text = clerk_message(exc).text
            self.view.set(replace(self.view.value, banner=text))
            return text
        return ""

    def _record_failed(self, exc: BaseException) -> None:
        log.warning("record not written now: %s", type(exc).__name__)
        self.view.set(replace(self.view.value, banner=clerk_message(exc).text))

    def _put_aside_draft(self) -> bool:
        """Keep the visit as a draft marked put aside (an idle timeout, another household's QR set) and
        audit it. Discarded later, it is recorded as timed out; left until day end, as expired. False
        when the draft could not be saved (the clerk is told why)."""
        if self.session is None:
            return True
        if not self._save_draft(put_aside=True):
            return False
        if self.visit_log:
            self._audit(AuditKind.VISIT_PUT_ASIDE, self.session.visit_id)
        return True

    def _save_draft(self, *, put_aside: bool = False) -> bool:
        """Save the visit as a draft: written by a worker as soon as the write before it is done
        (:class:`BackgroundDrafts`), or now when putting the visit aside — then False (and the clerk
        told why) when it could not be saved. A draft that a worker cannot write tells the clerk too."""
        if self.drafts is None or self.session is None or not self.session.members:
            return True
        step = self.view.value.step
        if step in (Step.WAITING, Step.DONE):
            return True
        visit_id = self.session.visit_id
        try:
            data = self.session.to_draft(step.value)
            if not put_aside:
                self.drafts.save_soon(visit_id, data, lambda exc: self._draft_not_saved(visit_id, exc))
                return True
            data[PUT_ASIDE] = True
            self.drafts.save(visit_id, data)
        except Exception as exc:
            self._draft_not_saved(visit_id, exc)
            return False
        return True

    def _draft_not_saved(self, visit_id: str, exc: BaseException) -> None:
        """The visit goes on in memory; the clerk is told the draft is not kept (while it is on screen)."""
        log.warning("draft not saved for visit %s: %s", visit_id, type(exc).__name__)
        if self.session is not None and self.session.visit_id == visit_id:
            self.view.set(replace(self.view.value, banner=clerk_message(exc).text))

    def _new_session(self) -> VisitSession:
        self.session = VisitSession(self.catalog)
        log.info("visit %s started", self.session.visit_id)
        return self.session

    def household_changed(self) -> None:
        """Members were added or changed outside the member form (the resident registry): show them,
        save the draft, and go on to the event (or stay on the household step)."""
        self._publish_household()
        if self.session is not None and self.view.value.step in (Step.WAITING, Step.IDENTIFY, Step.MEMBER):
            self.member_form.set(None)
            self._enter(Step.EVENT if self.session.event is None else Step.HOUSEHOLD)
        else:
            self._save_draft()

    def ensure_session(self) -> VisitSession:
        """The visit in progress, or a new one (a search in the resident registry without a card)."""
        return self.session or self._new_session()

    def _publish_household(self) -> None:
        members = self.session.members if self.session else []
        self.household.set(tuple(f"{m.name}({m.relationship.label_ja})" for m in members))

    # --- start of a visit -----------------------------------------------------------------------
    def offer_recoveries(self) -> None:
        """At start: list unfinished visits (from a crash or an idle timeout) for the clerk to resume."""
        if self.drafts is None:
            return
        found = []
        try:
            drafts = self.drafts.load_all()
        except Exception as exc:  # an unreadable data folder: the counter still takes the next resident
            log.warning("drafts cannot be listed: %s", type(exc).__name__)
            self.view.set(replace(self.view.value, banner=clerk_message(exc).text))
            return
        for visit_id, data in drafts:
            if data.get("step") == PRINTED_STEP:
                continue  # a printed visit is kept for today's reprints, not to be resumed
            found.append(
                Recovery(
                    visit_id,
                    str(data.get("started_at", "")),
                    len(data.get("members", [])),
                    str(data.get("step", "")),
                )
            )
        self.view.set(replace(self.view.value, recoveries=tuple(found)))

    def resume(self, visit_id: str) -> None:
        if not self._when_ready(lambda: self.resume(visit_id)):
            return
        assert self.drafts is not None
        for found_id, data in self.drafts.load_all():
            if found_id == visit_id and data.get("step") != PRINTED_STEP:
                self.session, step = VisitSession.from_draft(self.catalog, data)
                self._publish_household()
                self.extras.set(ExtrasView(self.session.extras))
                recoveries = tuple(r for r in self.view.value.recoveries if r.visit_id != visit_id)
                self.view.set(replace(self.view.value, recoveries=recoveries))
                if self.visit_log:
                    self._audit(AuditKind.DRAFT_RESTORED, visit_id)
                target = Step(step) if step in Step.__members__.values() else Step.HOUSEHOLD
                if target in (Step.IDENTIFY, Step.MEMBER, Step.PRINT, Step.DONE, Step.WAITING):
                    target = Step.HOUSEHOLD
                self._enter(target)
                return

    def discard_recovery(self, visit_id: str) -> None:
        """The clerk drops an unfinished visit: recorded as timed out (it was put aside) or cancelled
        (a visit interrupted by a crash), once, then its draft is deleted."""
        if not self._when_ready(lambda: self.discard_recovery(visit_id)):
            return
        if self.drafts is not None:
            for found_id, data in self.drafts.load_all():
                if found_id == visit_id and self.visit_log is not None:
                    try:
                        session, _step = VisitSession.from_draft(self.catalog, data)
                    except (VisitSessionError, KeyError, TypeError, ValueError):
                        log.warning("draft of visit %s cannot be read back: not recorded", visit_id)
                        break
                    outcome = VisitOutcome.TIMED_OUT if data.get(PUT_ASIDE) else VisitOutcome.CANCELLED
                    if outcome is VisitOutcome.CANCELLED:
                        self._audit(AuditKind.VISIT_CANCELLED, visit_id, "draft_discarded")
                    self.visit_log.visit_finished(session, [], outcome, [])
                    session.clear()
                    break
            self.drafts.delete(visit_id)
        recoveries = tuple(r for r in self.view.value.recoveries if r.visit_id != visit_id)
        self.view.set(replace(self.view.value, recoveries=recoveries))

    def card_inserted(self) -> None:
        step = self.view.value.step
        if step is Step.WAITING:
            if self.start_problem:
                self._when_ready(lambda: None)  # shows why no visit can start
                return
            if self._cancel_waiting and not self._when_ready(self.card_inserted):
                return  # the cancelled visit is recorded first, then this one starts
            # The card is read (PIN, four details) even before the catalog is loaded; the visit itself
            # starts when it is there (see _on_identify).
            if self._when_ready(self._new_session, note=False):
                self._new_session()
            self._go(Step.IDENTIFY, adding_member=False)
            self.identify.start()
        elif step is Step.HOUSEHOLD and self.view.value.adding_member:
            self._go(Step.IDENTIFY, adding_member=True)
            self.identify.start()

    def start_typed(self) -> None:
        """手入力: a resident without card or QR, or another member typed in."""
        if not self._when_ready(self.start_typed):
            return
        session = self.session or self._new_session()
        first = not session.members
        self._editing = None
        householder = next((m for m in session.members if m.is_householder), None)
        householder = householder or (session.members[0] if session.members else None)
        family = householder.name.split("\u3000")[0] if householder and "\u3000" in householder.name else None
        presenter = MemberFormPresenter(
            household_address=householder.address if householder else None, family_name=family
        )
        if not first:
            presenter.set_field("relationship", Relationship.CHILD.value)
        self.member_form.set(presenter)
        self._go(Step.MEMBER, adding_member=not first)

    def type_instead(self) -> None:
        """From the PIN pad: the card cannot be used (locked, forgotten PIN, broken): type the details."""
        if self.view.value.step is not Step.IDENTIFY:
            return
        if self.identify.view.value.step is IdentifyStep.READING:
            return  # a card operation is running: never interrupt it
        self.identify.view.set(IdentifyView())
        self.start_typed()

    def add_member_by_card(self) -> None:
        """From the household step: the next card placed adds a member."""
        self.view.set(replace(self.view.value, adding_member=True, banner="次の方のカードを置いてください"))
        if self.demo_card:
            self.card_inserted()

    # --- QR pre-fill (camera, keyboard-wedge scanner, image file) ------------------------------
    def qr_scanned(self, scan: bytes | str) -> None:
        """One QR code read; when every part of a set is in, the pre-fill is applied to the visit.

        Nothing read is ever lost: a code that is not a pre-fill part (a URL, a printed form's
        ``MDG1:`` code), a misread part or a part of another set is reported to the clerk and
        ignored; the parts read so far stay. Parts of another set are collected apart from the set
        under way. A complete set of another household (the visit already has another QR set, or
        no member matches) is not merged: the clerk chooses "new visit" or "add to this one".
        """
        step = self.view.value.step
        if step not in (Step.WAITING, Step.EVENT, Step.HOUSEHOLD):
            self.view.set(
                replace(self.view.value, banner="QRコードは受付の開始時か世帯の画面で読み取ってください")
            )
            return
        if not self._when_ready(lambda: self.qr_scanned(scan)):
            return
        text = scan if isinstance(scan, str) else scan.decode("utf-8", "replace")
        if self.session is not None and parse_ticket(text) is not None:
            self.set_ticket(text)  # the 整理券's QR code or barcode, read by the same scanner
            return
        try:
            part = parse_part(scan)
        except PrefillError as exc:
            self._qr_problem(clerk_message(exc).text)
            return
        key = (part.set_label, part.total, part.version)
        current = next(iter(self._collectors.items()), None)
        collector = self._collectors.setdefault(key, PartCollector())
        progress = collector.add(part)
        if current is not None and current[0] != key and not progress.complete:
            log.info("QR part of another set while one is under way")
            self._qr_problem(
                f"別の組のQRコード({part.index}/{part.total})が読み取られました。"
                "読み取り中の組とは混ぜずに、別に取っておきます。"
            )
            return
        if not progress.complete:
            self.view.set(replace(self.view.value, banner=self._qr_status(progress.text_ja), error=""))
            return
        started_earlier = next(iter(self._collectors)) != key  # another set was being read before it
        del self._collectors[key]
        if part.set_label in self._applied_sets:
            self.view.set(
                replace(
                    self.view.value,
                    banner=self._qr_status("このQRコードの内容はすでに受付に反映されています。"),
                    error="",
                )
            )
            return
        try:
            prefill = read_collected(collector, self.catalog, today=self.today())
        except ProceduresError as exc:
            self._qr_problem(clerk_message(exc).text)
            return
        waiting = self.session is None or not self.session.members
        if self._is_another_household(prefill) or (waiting and started_earlier):
            # (With no visit yet and an earlier set still being read, which one is "the" visit is
            # the clerk's choice too: the set under way keeps its parts either way.)
            self._offers.append(_QrOffer(part.set_label, prefill))
            self._show_offer()
            return
        self._take_prefill(part.set_label, prefill, add=True)

    def _qr_status(self, text: str) -> str:
        """``text`` and what is still missing of the sets under way."""
        waiting = [c.progress for c in self._collectors.values() if c.progress is not None]
        missing = [f"{i}/{p.total}" for p in waiting for i in p.missing]
        if missing:
            return f"{text} 読み取り待ちのQRコード: {'、'.join(missing)}"
        return text

    def _qr_problem(self, message: str) -> None:
        """A scan that gave nothing: the clerk sees why, and that the parts read so far are kept."""
        kept = "" if not self._collectors else "読み取り済みのQRコードはそのまま使います。"
        self.view.set(replace(self.view.value, error=message + kept, banner=self._qr_status("")))

    def _is_another_household(self, prefill: Prefill) -> bool:
        """Whether a complete set must not be merged without asking: the visit already took another
        QR set, or it has members, none of them is in the set, and the set names its own householder."""
        if self.session is None or not self.session.members:
            return False
        if self._applied_sets:
            return True
        matches = match_members(self.session.members, prefill.visit.members)
        if any(m is not None for m in matches):
            return False
        # Nobody of the set is in the visit yet: a set with its own householder is another household;
        # a set of members only (a spouse's own code, relationships to this visit's householder) joins.
        return any(m.relationship is Relationship.SELF for m in prefill.visit.members)

    def _show_offer(self) -> None:
        if not self._offers:
            self.view.set(replace(self.view.value, qr_offer=""))
            return
        offer = self._offers[0]
        count = len(offer.prefill.visit.members)
        can_add = self.session is not None and bool(self.session.members)
        if can_add:
            text = (
                f"受付中の世帯とは別のQRコード({count}人分)が読み取られました。"
                "新しい受付として始めますか、この受付に追加しますか?"
                "(新しい受付にすると、今の受付は一時保存され、待機画面から再開できます)"
            )
        else:
            text = (
                f"読み取り中の組とは別のQRコード({count}人分)がそろいました。この組で受付を始めますか?"
                "(読み取り中の組のQRコードはそのまま取っておきます)"
            )
        self.view.set(replace(self.view.value, qr_offer=text, qr_offer_can_add=can_add, banner="", error=""))

    def qr_offer_new_visit(self) -> None:
        """The other household's set starts a visit of its own; the current visit is put aside."""
        if not self._offers:
            return
        if self.session is not None and not self._put_aside_draft():
            return  # the current visit cannot be saved: it stays (the clerk is told), the offer too
        offer = self._offers.pop(0)
        others = self._offers
        self._offers = []
        if self.session is not None:
            self.session.clear()
            self.session = None
        self._reset_views()
        self._applied_sets.clear()
        self.view.set(KioskView(step=Step.WAITING))
        self.offer_recoveries()
        self._offers = others
        self._take_prefill(offer.set_label, offer.prefill, add=False)
        self._show_offer()

    def qr_offer_add(self) -> None:
        """The clerk adds the other set to this visit (merged as any pre-fill: the counter's details win)."""
        if not self._offers:
            return
        offer = self._offers.pop(0)
        self._take_prefill(offer.set_label, offer.prefill, add=True)
        self._show_offer()

    def qr_offer_dismiss(self) -> None:
        """Neither: the set is not used."""
        if self._offers:
            self._offers.pop(0)
        self._show_offer()

    def _take_prefill(self, set_label: str, prefill: Prefill, *, add: bool) -> None:
        session = self.session or self._new_session()
        applied = apply_to_visit(prefill, session.visit() if add and session.members else None)
        self._adopt(applied)
        self._applied_sets.add(set_label)
        if self.visit_log:
            self._audit(AuditKind.QR_READ, session.visit_id)
        self._enter(Step.HOUSEHOLD if session.event else Step.EVENT)

    def _forget_qr(self) -> None:
        self._collectors.clear()
        self._applied_sets.clear()
        self._offers.clear()

    def _adopt(self, applied: Applied, *, session_is_counter_side: bool = True) -> None:
        """Take a merged visit (QR + what the counter had), and show the clerk what to check.

        ``member_map`` maps the counter side's members to the merged visit; when the session was the
        counter side, the members' question history moves with them.
        """
        assert self.session is not None
        member_map = list(applied.member_map) if session_is_counter_side else None
        self.session.adopt(applied.visit, member_map, self.today())
        notes = [f"{d.message}(使う内容: {d.kept} ／ QRコード: {d.dropped})" for d in applied.differences]
        notes += [n.message for n in applied.notes]
        self.view.set(replace(self.view.value, notes=tuple(notes), banner=""))
        self._publish_household()

    # --- identify and member --------------------------------------------------------------------
    def _on_identify(self, view: IdentifyView) -> None:
        if view.step in (IdentifyStep.DONE, IdentifyStep.LOCKED) and not self._when_ready(
            lambda: self._on_identify(view)
        ):
            return  # the card's details are kept; the visit goes on once the catalog is loaded
        if view.step is IdentifyStep.DONE and view.details is not None and self.session is not None:
            try:
                relationship = Relationship.SELF if not self.session.members else Relationship.CHILD
                member = member_from_card(view.details, relationship)
            except VisitSessionError:
                self.start_typed()
                return
            if self.visit_log:
                self._audit(AuditKind.CARD_READ, self.session.visit_id)
            if any(m.source is Source.QR for m in self.session.members):
                # The card wins for the four details; any difference with the QR is listed.
                applied = merge_card_member(self.session.visit(), member)
                self._adopt(applied, session_is_counter_side=False)
                index = applied.member_map[0] if applied.member_map else len(self.session.members) - 1
                self._editing = index
                self.member_form.set(MemberFormPresenter(self.session.members[index], index))
                self._go(Step.MEMBER, notes=self.view.value.notes)
                return
            self._editing = None
            self.member_form.set(MemberFormPresenter(member))
            self._go(Step.MEMBER)
        elif view.step is IdentifyStep.LOCKED and self.visit_log and self.session:
            self._audit(AuditKind.CARD_LOCKED, self.session.visit_id)

    def _pin_refused(self, tries_left: int) -> None:
        if not self._when_ready(lambda: self._pin_refused(tries_left), note=False):
            return  # audited once the storage is open, in the order it happened
        if self.visit_log and self.session:
            self._audit(AuditKind.PIN_REFUSED, self.session.visit_id, f"tries_left_{tries_left}")

    def edit_member(self, index: int) -> None:
        assert self.session is not None
        self._editing = index
        self.member_form.set(MemberFormPresenter(self.session.members[index], index))
        self._go(Step.MEMBER)

    def confirm_member(self) -> bool:
        presenter = self.member_form.value
        if presenter is None or self.session is None:
            return False
        result = presenter.validate()
        if result is None:
            return False
        member, edits = result
        try:
            if self._editing is None:
                self.session.add_member(member, edits)
            else:
                self.session.replace_member(self._editing, member, edits)
        except VisitSessionError as exc:
            self.view.set(replace(self.view.value, error=clerk_message(exc).text))
            return False
        self.member_form.set(None)
        self._publish_household()
        self._enter(Step.EVENT if self.session.event is None else Step.HOUSEHOLD)
        return True

    def remove_member(self, index: int) -> None:
        assert self.session is not None
        self.session.remove_member(index)
        self._publish_household()
        self._save_draft()

    # --- event, household, questions ------------------------------------------------------------
    def choose_event(self, event_id: str, event_date: dt.date | None = None) -> None:
        assert self.session is not None
        day = event_date or self.today()
        earliest, latest = event_date_range(self.today())
        if not earliest <= day <= latest:
            self.view.set(
                replace(
                    self.view.value,
                    error=f"届出の日付は{EVENT_YEARS_BACK}年前から1年後まで"
                    f"({earliest:%Y年%m月%d日}〜{latest:%Y年%m月%d日})にしてください。日付を確かめてください。",
                )
            )
            return
        born_after = [m for m in self.session.members if m.birth_date > day]
        if born_after:
            self.view.set(
                replace(
                    self.view.value,
                    error="届出の日付が世帯の方の生年月日より前です。日付か生年月日を確かめてください。",
                )
            )
            return
        self.session.set_event(event_id, day)
        self._enter(Step.HOUSEHOLD)

    def set_subject(self, index: int, subject: bool) -> None:
        assert self.session is not None
        member = self.session.members[index]
        self.session.members[index] = member.model_copy(update={"subject": subject})
        self._save_draft()

    def household_done(self) -> None:
        self._enter(Step.QUESTIONS)

    def _enter(self, step: Step) -> None:
        if step is Step.QUESTIONS:
            self._refresh_questions()
            if self.questions.value.guidance is None:
                self._go(Step.HOUSEHOLD)
                self.view.set(replace(self.view.value, error=self.questions.value.error))
                return
            if self.questions.value.question is None:
                step = Step.REVIEW
        if step is Step.REVIEW:
            self._refresh_review()
        self._go(step, adding_member=False)

    def _refresh_questions(self, error: str = "") -> None:
        assert self.session is not None
        names = tuple(m.name for m in self.session.members)
        try:
            guidance = self.session.guidance()
        except (ProceduresError, VisitSessionError) as exc:
            self.questions.set(QuestionsView(error=clerk_message(exc).text, member_names=names))
            return
        self.questions.set(
            QuestionsView(guidance, guidance.next_question, len(self.session.history), error, names)
        )

    def type_answer(self, text: str) -> None:
        """A text answer typed so far: a 郵便番号 (7 digits) offers its address(es), as on the details
        page, for the new address of a move."""
        view = self.questions.value
        if view.question is None:
            return
        match = None
        try:
            match = lookup_postcode(text)
        except (PostcodeNotFoundError, PostcodeDataError) as exc:
            self.questions.set(
                replace(view, text=text, address_options=(), address_note="", error=exc.message)
            )
            return
        if match is None:
            self.questions.set(replace(view, text=text, address_options=(), address_note=""))
            return
        self.questions.set(
            replace(view, text=text, address_options=match.addresses, address_note=f"{match.display} の住所")
        )

    def use_answer_address(self, index: int = 0) -> None:
        """Put the offered address into the text answer (the clerk types the 番地 after it)."""
        view = self.questions.value
        if 0 <= index < len(view.address_options):
            text = view.address_options[index]
            self.questions.set(replace(view, text=text, address_options=(), address_note="", error=""))

    def answer(self, value: JsonAnswer) -> None:
        assert self.session is not None
        question = self.questions.value.question
        if question is None:
            return
        if question.question.type == "text" and isinstance(value, str):
            value, problem = expand_postcode(value)  # 「1500001 1-2-3」: the postcode's town + 番地
            if problem:
                self._refresh_questions(error=problem)
                return
        try:
            self.session.answer(question, value)
        except ProceduresError as exc:
            self._refresh_questions(error=clerk_message(exc).text)
            return
        self._refresh_questions()
        if self.questions.value.question is None and self.questions.value.guidance is not None:
            self._enter(Step.REVIEW)
        else:
            self._save_draft()

    def back(self) -> None:
        """Backspace: undo the last answer, or leave the questions for the household."""
        assert self.session is not None
        step = self.view.value.step
        if step is Step.REVIEW:
            if self.session.back() is None:
                self._enter(Step.HOUSEHOLD)
                return
            self._enter(Step.QUESTIONS)
            return
        if step is Step.QUESTIONS:
            if self.session.back() is None:
                self._enter(Step.HOUSEHOLD)
            else:
                self._refresh_questions()
                self._save_draft()

    # --- review ---------------------------------------------------------------------------------
    def _refresh_review(self) -> None:
        assert self.session is not None
        guidance = self.session.guidance()
        chosen = self.session.chosen(guidance)
        self.review.set(
            ReviewView(
                guidance.procedures, dict(self.session.deselected), tuple(self.session.forms_to_print(chosen))
            )
        )

    def deselect(self, key: str, reason: str) -> None:
        assert self.session is not None
        self.session.deselect(key, reason)
        self._refresh_review()
        self._save_draft()

    def reselect(self, key: str) -> None:
        assert self.session is not None
        self.session.reselect(key)
        self._refresh_review()
        self._save_draft()

    def address_on_forms(self) -> str | None:
        """The address the papers will carry, for the resident to confirm on their screen."""
        if self.session is None or not self.session.event:
            return None
        address = common_values(self.session.visit(), self.today()).get("address")
        return str(address) if address else None

    def chosen_procedures(self) -> list[NeededProcedure]:
        assert self.session is not None
        return self.session.chosen(self.session.guidance())

    def go_print(self) -> None:
        self._go(Step.PRINT)

    def back_to_review(self) -> None:
        self._enter(Step.REVIEW)

    def change_event(self) -> None:
        self._go(Step.EVENT)

    # --- 整理券, 代理人, procedures added by hand, note, certificate -----------------------------------
    def _set_extras(self, change: Callable[[VisitExtras], VisitExtras]) -> bool:
        if self.session is None:
            return False
        try:
            extras = change(self.session.extras)
        except ExtrasError as exc:
            self.extras.set(replace(self.extras.value, error=exc.message))
            return False
        self.session.extras = extras
        judgement: tuple[str, ...] = ()
        if extras.certificate is not None:
            judgement = tuple(certificates.judge(extras.certificate).lines())
        names = {pid: p.name for pid, p in self.catalog.procedures.items()}
        self.extras.set(ExtrasView(extras, judgement, summary=extras.guide_notes(names, {})))
        if self.view.value.step is Step.REVIEW:
            self._refresh_review()
        self._save_draft()
        return True

    def set_ticket(self, text: str) -> bool:
        """The 整理券 number, typed or scanned; printed on the guide sheet."""
        done = self._set_extras(lambda e: e.with_ticket(text))
        if done and self.session is not None and self.session.extras.ticket:
            self.view.set(replace(self.view.value, banner=f"整理券番号 {self.session.extras.ticket}"))
        return done

    def set_note(self, text: str) -> bool:
        """A note for the back office (on the guide sheet)."""
        return self._set_extras(lambda e: e.with_note(text))

    def set_representative(self, representative: Representative | None) -> bool:
        """The 届出人 is a 代理人 (None: the person concerned came themself)."""
        return self._set_extras(lambda e: e.with_representative(representative))

    def add_procedure(self, procedure_id: str, reason: str) -> bool:
        """A procedure of the catalog the list did not give, added by hand with the reason."""
        if procedure_id not in self.catalog.procedures:
            self.extras.set(replace(self.extras.value, error="追加する手続を選んでください"))
            return False
        added = self._set_extras(lambda e: e.with_added(procedure_id, reason))
        if added and self.visit_log is not None and self.session is not None:
            # Recorded by id only: the reason is free text (it is kept with the visit and printed).
            self._audit(AuditKind.PROCEDURE_ADDED, self.session.visit_id, procedure_id)
        return added

    def remove_added(self, procedure_id: str) -> bool:
        return self._set_extras(lambda e: e.without_added(procedure_id))

    def set_certificate(self, request: CertificateRequest | None) -> bool:
        """The certificate request (kind, copies, purpose, contents, requester) and its judgement."""
        return self._set_extras(lambda e: e.with_certificate(request))

    # --- end of a visit -------------------------------------------------------------------------
    def finish(
        self, printed: list[tuple[str, int, int]] | None = None, *, guide_language: str = "ja"
    ) -> None:
        """The resident leaves with the papers: record the visit (no personal data) and clear."""
        problem = ""
        if self.session is not None and self.visit_log is not None:
            session = self.session
            chosen = self.chosen_procedures() if session.event else []
            problem = self._recorded(
                lambda log_: log_.visit_finished(session, chosen, VisitOutcome.COMPLETED, printed or [])
            )
        if printed and self.session is not None and self.drafts is not None:
            # Kept (encrypted, with the drafts: gone at the day-end purge) for today's reprints and
            # corrections; never offered for resuming, never read by the next visit.
            data = self.session.to_draft(PRINTED_STEP)
            data["printed_on"] = self.today().isoformat()
            data["guide_language"] = guide_language  # a reprint makes the same guide sheet
            visit_id = self.session.visit_id

            def not_kept(exc: BaseException) -> None:
                log.warning("printed visit %s not kept: %s", visit_id, type(exc).__name__)

            self.drafts.save_soon(visit_id, data, not_kept)
            self._clear(Step.DONE, keep_draft=True)
            if problem:
                self.view.set(replace(self.view.value, banner=problem))
            return
        self._clear(Step.DONE)
        if problem:
            self.view.set(replace(self.view.value, banner=problem))

    def abandon(self, outcome: VisitOutcome = VisitOutcome.CANCELLED) -> None:
        """The visit ends without papers (the resident left, or the clerk cancelled)."""
        problem = ""
        if self.session is not None and self.visit_log is not None:
            session = self.session
            problem = self._recorded(lambda log_: log_.visit_finished(session, [], outcome, []))
        self._clear(Step.WAITING)
        if problem:
            self.view.set(replace(self.view.value, banner=problem))

    def request_cancel(self) -> None:
        """Esc or 受付を中止: ask for the reason (from any step of a visit)."""
        no_visit = self.session is None and not self._waiting_for_services
        if no_visit or self.view.value.step in (Step.WAITING, Step.DONE):
            return
        self.view.set(replace(self.view.value, cancelling=True))

    def keep_visit(self) -> None:
        self.view.set(replace(self.view.value, cancelling=False))

    def escape(self) -> None:
        """The Esc key: ask to cancel, or (when asked already) keep the visit going."""
        if self.view.value.cancelling:
            self.keep_visit()
        else:
            self.request_cancel()

    def cancel(self, reason: str) -> None:
        """Cancel the visit with one of :data:`CANCEL_REASONS`: recorded as cancelled, everything cleared."""
        if reason not in CANCEL_REASONS:
            raise ValueError(f"unknown cancel reason {reason!r}")
        if self.session is None and self._waiting_for_services and not self._cancel_waiting:
            # The visit waits for the catalog: the screen is cleared now; the visit is recorded as
            # cancelled (with its audit, e.g. a wrong PIN) once the catalog and the storage are there.
            self._waiting_for_services.append(lambda: self.cancel(reason))
            self._cancel_waiting = True
            self.identify.view.set(IdentifyView())
            self.member_form.set(None)
            self.view.set(KioskView(step=Step.WAITING, banner=CANCELLED))
            return
        if self.session is None:
            return
        if self.visit_log is not None:
            self._audit(AuditKind.VISIT_CANCELLED, self.session.visit_id, reason)
        log.info("visit %s cancelled (%s)", self.session.visit_id, reason)
        self.abandon(VisitOutcome.CANCELLED)
        self.view.set(KioskView(step=Step.WAITING, banner=CANCELLED))
        self.offer_recoveries()

    def put_aside(self) -> None:
        """Idle timeout: keep the (encrypted) draft to resume later, clear the screen.

        When the draft cannot be saved (disk full, read-only data folder) the visit is not put aside:
        clearing it would lose it. It stays on screen, in memory, with the clerk told why."""
        if self.session is not None:
            if not self._put_aside_draft():
                banner = self.view.value.banner
                self.view.set(
                    replace(
                        self.view.value, banner=f"{banner}(一時保存できないため、受付は画面に残しています)"
                    )
                )
                return
            visit_id = self.session.visit_id
            self.session.clear()
            self.session = None
            self._reset_views()
            self._forget_qr()
            self.view.set(KioskView(step=Step.WAITING, banner="操作がなかったため受付を一時保存しました"))
            self.offer_recoveries()
            log.info("visit %s put aside", visit_id)

    def next_resident(self) -> None:
        self.view.set(KioskView(step=Step.WAITING))
        self.offer_recoveries()

    def _clear(self, step: Step, *, keep_draft: bool = False) -> None:
        problem = ""
        self._waiting_for_services.clear()  # a visit cancelled before the catalog came leaves nothing
        if self.session is not None:
            if self.drafts is not None and not keep_draft:
                try:
                    self.drafts.delete(self.session.visit_id)
                except Exception as exc:  # a full disk cannot even delete: the day-end purge will
                    log.warning(
                        "draft of visit %s not deleted: %s", self.session.visit_id, type(exc).__name__
                    )
                    problem = clerk_message(exc).text
            log.info("visit %s closed", self.session.visit_id)
            self.session.clear()
            self.session = None
        self._reset_views()
        self._forget_qr()
        self.view.set(KioskView(step=step, banner=problem))

    def _reset_views(self) -> None:
        self.identify.view.set(IdentifyView())
        self.member_form.set(None)
        self.questions.set(QuestionsView())
        self.review.set(ReviewView())
        self.household.set(())
        self.extras.set(ExtrasView())
        self._editing = None
