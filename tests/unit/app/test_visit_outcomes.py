"""Every way a visit ends is recorded once, as an enum member, and counted in the statistics; audit
events travel as :class:`AuditKind` members from the presenters to the store (issue 15).

The kiosk is built as in the app (``build_kiosk``: the real storage on SQLite, the encrypted drafts,
the recorder), without widgets; the visits are driven through the presenters.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from counter_app.adapters.card_source import DemoCardSource
from counter_app.adapters.stats import StatsQuery
from counter_app.adapters.store.models import AUDIT_EVENTS, VISITS
from counter_app.adapters.store.records import AuditKind, VisitOutcome
from counter_app.presenters.kiosk import PUT_ASIDE, KioskPresenter, Step
from counter_app.presenters.printing import PrintPresenter, PrintStep
from counter_app.settings.config import Settings
from counter_app.wiring.kiosk import Kiosk, build_kiosk
from counter_app.workflow.documents import DocumentService, Papers
from counter_app.workflow.kiosk_records import today_in
from counter_app.workflow.tasks import ImmediateRunner
from printing.folder_backend import FolderBackend
from printing.queue import PrintQueue
from printing.spool import AesGcmCodec
from tests.unit.app.kiosk_helpers import identify, read_demo_card
from tests.unit.procedures.flow import any_answer


def step(kiosk: KioskPresenter) -> Step:
    return kiosk.view.value.step


def print_step(printer: PrintPresenter) -> PrintStep:
    return printer.view.value.step


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """A time zone where it is about noon now: far from the day-end purge (20:00) and from midnight,
    so the purge at start keeps today's drafts whenever the test runs."""
    offset = 12 - dt.datetime.now(dt.UTC).hour  # -11 … +12 hours
    return Settings(
        counter_name="1番窓口",
        timezone=f"Etc/GMT{-offset:+d}",  # the sign of Etc/GMT zones is inverted: Etc/GMT-3 is UTC+3
        data_dir=tmp_path / "data",
        config_path=tmp_path / "c.toml",
    )


def build(settings: Settings, tmp_path: Path, card: DemoCardSource | None = None) -> Kiosk:
    return build_kiosk(
        settings,
        ImmediateRunner(),
        card_source=card or DemoCardSource(),
        print_backend=FolderBackend(tmp_path / "printed"),
    )


def to_review(kiosk: KioskPresenter) -> None:
    """A moving-in visit (転入: procedures to do, forms to print) up to the review page."""
    identify(kiosk)
    kiosk.choose_event("tennyu")
    kiosk.household_done()
    for _ in range(60):
        pending = kiosk.questions.value.question
        if step(kiosk) is not Step.QUESTIONS or pending is None:
            break
        kiosk.answer(any_answer(pending.question))
    assert step(kiosk) is Step.REVIEW


def print_and_finish(parts: Kiosk) -> None:
    parts.kiosk.go_print()
    assert print_step(parts.printer) is PrintStep.PREVIEW
    parts.printer.print_all()
    assert print_step(parts.printer) is PrintStep.DONE
    parts.kiosk.finish(parts.printer.printed())


def rows(parts: Kiosk, table: Any) -> list[Any]:
    parts.storage.flush()
    with parts.storage.database.engine.connect() as connection:
        return list(connection.execute(select(table)).all())


def test_every_outcome_is_recorded_once_and_counted(settings: Settings, tmp_path: Path) -> None:
    parts = build(settings, tmp_path)
    kiosk = parts.kiosk
    try:
        # 1. printed
        to_review(kiosk)
        print_and_finish(parts)
        kiosk.next_resident()
        # 2. cancelled by the clerk, with a reason
        identify(kiosk)
        kiosk.request_cancel()
        kiosk.cancel("resident_request")
        # 3. put aside by the idle timeout, then dropped by the clerk: timed out
        identify(kiosk)
        kiosk.choose_event("shoumei")
        timed_out = kiosk.view.value.visit_id
        kiosk.put_aside()
        assert timed_out is not None
        assert [r.visit_id for r in kiosk.view.value.recoveries] == [timed_out]
        kiosk.discard_recovery(timed_out)
        # 4. put aside and left until the day-end purge: expired
        identify(kiosk)
        kiosk.choose_event("shoumei")
        expired = kiosk.view.value.visit_id
        kiosk.put_aside()
        # 5. interrupted (a crash: the draft stays, unmarked), resumed, printed
        to_review(kiosk)
        crashed = kiosk.view.value.visit_id
        assert crashed is not None
        parts.printer.stop()
        parts.storage.close()  # the app stops here (the draft stays, as after a crash)
        restarted = build(settings, tmp_path)
        try:
            again = restarted.kiosk
            assert {r.visit_id for r in again.view.value.recoveries} == {expired, crashed}
            again.resume(crashed)
            assert again.session is not None and again.session.visit_id == crashed
            again.go_print()  # the draft was on the review step
            assert step(again) is Step.PRINT
            restarted.printer.print_all()
            again.finish(restarted.printer.printed())
            purged = restarted.storage.purge_drafts(now=dt.datetime.now(dt.UTC) + dt.timedelta(days=1))
            assert expired is not None and uuid.UUID(expired) in purged.purged
            visits = {row.id.hex: row.outcome for row in rows(restarted, VISITS)}
            report = restarted.storage.stats(StatsQuery.day(today_in(settings.zone)))
            audits = [
                (row.kind, row.visit_id.hex if row.visit_id else None)
                for row in rows(restarted, AUDIT_EVENTS)
            ]
        finally:
            restarted.printer.stop()
            restarted.storage.close()
    finally:
        parts.printer.stop()

    assert len(visits) == 5  # one record per visit, whatever the way it ended
    assert sorted(visits.values()) == sorted(
        [
            VisitOutcome.COMPLETED.value,
            VisitOutcome.CANCELLED.value,
            VisitOutcome.TIMED_OUT.value,
            VisitOutcome.DRAFT_EXPIRED.value,
            VisitOutcome.COMPLETED.value,
        ]
    )
    assert visits[timed_out] == VisitOutcome.TIMED_OUT.value
    assert visits[expired] == VisitOutcome.DRAFT_EXPIRED.value
    assert visits[crashed] == VisitOutcome.COMPLETED.value
    assert report.visits == 5
    assert report.by_outcome == {
        VisitOutcome.COMPLETED.value: 2,
        VisitOutcome.CANCELLED.value: 1,
        VisitOutcome.TIMED_OUT.value: 1,
        VisitOutcome.DRAFT_EXPIRED.value: 1,
    }
    kinds = [kind for kind, _ in audits]
    assert kinds.count(AuditKind.VISIT_PUT_ASIDE.value) == 2
    assert kinds.count(AuditKind.PRINT.value) == 2
    assert (AuditKind.DRAFT_RESTORED.value, crashed) in audits
    assert (AuditKind.DRAFT_PURGED.value, expired) in audits
    assert kinds.count(AuditKind.VISIT_CANCELLED.value) == 1
    assert kinds.count(AuditKind.CARD_READ.value) == 5


def test_a_wrong_pin_is_audited_as_refused(settings: Settings, tmp_path: Path) -> None:
    parts = build(settings, tmp_path)
    kiosk = parts.kiosk
    try:
        read_demo_card(kiosk, pin="9999")
        assert step(kiosk) is Step.IDENTIFY
        visit_id = kiosk.view.value.visit_id or (kiosk.session.visit_id if kiosk.session else None)
        audits = [(row.kind, row.detail) for row in rows(parts, AUDIT_EVENTS)]
    finally:
        parts.printer.stop()
        parts.storage.close()
    assert visit_id is not None
    assert (AuditKind.PIN_REFUSED.value, {"reason": "tries_left_2"}) in audits


def test_a_put_aside_draft_is_marked_and_a_crash_draft_is_not(settings: Settings, tmp_path: Path) -> None:
    parts = build(settings, tmp_path)
    try:
        identify(parts.kiosk)
        parts.kiosk.choose_event("shoumei")
        [(_, crash_draft)] = parts.kiosk.drafts.load_all() if parts.kiosk.drafts else []
        assert PUT_ASIDE not in crash_draft
        parts.kiosk.put_aside()
        [(_, put_aside)] = parts.kiosk.drafts.load_all() if parts.kiosk.drafts else []
        assert put_aside[PUT_ASIDE] is True
    finally:
        parts.printer.stop()
        parts.storage.close()


class _TwoOfTheSameTitle:
    """Two documents with one title (a form printed once per person), with different counts."""

    def __init__(self, real: DocumentService) -> None:
        self.real = real

    def build(self, *args: Any, **kwargs: Any) -> Papers:
        doc = self.real.build(*args, **kwargs).documents[0]
        return Papers(
            (
                replace(doc, kind="form_a", prefilled_characters=40),
                replace(doc, kind="form_b", prefilled_characters=55),
            )
        )


def test_printed_documents_are_matched_to_jobs_by_id_not_title(settings: Settings, tmp_path: Path) -> None:
    parts = build(settings, tmp_path)
    try:
        to_review(parts.kiosk)
        session = parts.kiosk.session
        assert session is not None
        backend = FolderBackend(tmp_path / "out", codec=AesGcmCodec(AesGcmCodec.new_key()))
        queue = PrintQueue(tmp_path / "spool", AesGcmCodec(bytes(32)), backend)
        audits: list[tuple[AuditKind, str | None, str]] = []
        presenter = PrintPresenter(
            _TwoOfTheSameTitle(parts.printer.documents),  # type: ignore[arg-type]
            queue,
            lambda: backend.printer_name,
            ImmediateRunner(),
            audit=lambda kind, visit_id, reason="": audits.append((kind, visit_id, reason)),
        )
        presenter.prepare(session)
        presenter.print_all()
        assert print_step(presenter) is PrintStep.DONE
        pages = presenter.view.value.documents[0].pages
        assert sorted(presenter.printed()) == [("form_a", pages, 40), ("form_b", pages, 55)]
        assert audits == [(AuditKind.PRINT, session.visit_id, "")]
        assert all(isinstance(kind, AuditKind) for kind, _, _ in audits)
        presenter.stop()
    finally:
        parts.printer.stop()
        parts.storage.close()


def test_outcomes_reach_the_log_as_enum_members(settings: Settings, tmp_path: Path) -> None:
    seen: list[object] = []

    class Log:
        def visit_finished(self, session: Any, chosen: Any, outcome: VisitOutcome, printed: Any) -> None:
            seen.append(outcome)

        def audit(self, kind: AuditKind, visit_id: str | None, reason: str = "") -> None:
            seen.append(kind)

    parts = build(settings, tmp_path)
    try:
        kiosk = parts.kiosk
        kiosk.visit_log = Log()
        identify(kiosk)
        kiosk.request_cancel()
        kiosk.cancel("other")
    finally:
        parts.printer.stop()
        parts.storage.close()
    assert seen == [AuditKind.CARD_READ, AuditKind.VISIT_CANCELLED, VisitOutcome.CANCELLED]
    assert all(type(item) in (AuditKind, VisitOutcome) for item in seen)
