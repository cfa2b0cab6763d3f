"""A visit's records are written by a worker (BackgroundLog): in the order they happened, from a copy of
the visit taken when it ended (the kiosk clears it at once), and a record the disk refuses still reaches
the clerk's banner."""

from __future__ import annotations

import datetime as dt

from counter_app.adapters.card_source import DemoCardSource
from counter_app.adapters.store.errors import LocalWriteError
from counter_app.presenters.kiosk import KioskPresenter
from counter_app.presenters.messages import clerk_message
from counter_app.workflow.ports import AuditKind, VisitOutcome
from counter_app.workflow.record_writer import BackgroundLog
from counter_app.workflow.tasks import ImmediateRunner
from counter_app.workflow.visit_session import VisitSession
from procedures.catalog import load_catalog
from procedures.engine import NeededProcedure
from tests.helpers.runners import HeldRunner
from tests.unit.app.kiosk_helpers import identify

CATALOG = load_catalog()


class Log:
    """A visit log that remembers what it was given, and what the visit held when it was written."""

    def __init__(self) -> None:
        self.written: list[tuple[str, object]] = []

    def visit_finished(
        self,
        session: VisitSession,
        chosen: list[NeededProcedure],
        outcome: VisitOutcome,
        printed: list[tuple[str, int, int]],
    ) -> None:
        self.written.append(("visit", (outcome, [m.name for m in session.members], session.event)))

    def audit(self, kind: AuditKind, visit_id: str | None, reason: str = "") -> None:
        self.written.append(("audit", (kind, visit_id, reason)))


class FullDisk(Log):
    def audit(self, kind: AuditKind, visit_id: str | None, reason: str = "") -> None:
        raise LocalWriteError("full")


def test_records_are_written_in_order_from_the_visit_as_it_ended() -> None:
    inner, runner = Log(), HeldRunner()
    records = BackgroundLog(inner, runner)
    kiosk = KioskPresenter(CATALOG, DemoCardSource(), ImmediateRunner(), visit_log=records)
    identify(kiosk)  # audits the card read
    kiosk.choose_event("tennyu", dt.date(2026, 11, 20))
    assert kiosk.session is not None
    visit_id, names = kiosk.session.visit_id, [m.name for m in kiosk.session.members]
    kiosk.abandon()  # records the visit and clears it, before the worker has written anything
    assert inner.written == [] and records.pending()
    runner.run_all()
    assert inner.written == [
        ("audit", (AuditKind.CARD_READ, visit_id, "")),
        ("visit", (VisitOutcome.CANCELLED, names, "tennyu")),
    ]
    assert not records.pending()


def test_a_record_the_disk_refuses_reaches_the_clerk() -> None:
    runner = HeldRunner()
    records = BackgroundLog(FullDisk(), runner)
    kiosk = KioskPresenter(CATALOG, DemoCardSource(), ImmediateRunner(), visit_log=records)
    identify(kiosk)
    assert kiosk.view.value.banner == ""
    runner.run_all()
    assert kiosk.view.value.banner == clerk_message(LocalWriteError("full")).text
