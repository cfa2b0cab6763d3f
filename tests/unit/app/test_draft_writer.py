"""Drafts are written by a worker (BackgroundDrafts): the newest state of a visit always ends up on disk,
saves made while a write runs are merged into one, a delete or a read is never overtaken by an older
save, and a draft that cannot be written is reported to the visit it belongs to."""

from __future__ import annotations

import threading
from typing import Any

from counter_app.adapters.card_source import DemoCardSource
from counter_app.adapters.store.errors import LocalWriteError
from counter_app.presenters.kiosk import KioskPresenter, Step
from counter_app.workflow.draft_writer import BackgroundDrafts
from counter_app.workflow.tasks import ImmediateRunner
from procedures.catalog import load_catalog
from tests.helpers.runners import HeldRunner, ThreadRunner
from tests.unit.app.kiosk_helpers import Drafts, identify
from tests.unit.procedures.flow import any_answer


class GatedDrafts(Drafts):
    """An in-memory draft store whose writes wait for the test to open the gate (a slow disk)."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()
        self.writing = threading.Event()
        self.writes: list[dict[str, Any]] = []

    def save(self, visit_id: str, data: dict[str, Any]) -> None:
        self.writing.set()
        assert self.gate.wait(10)
        self.writes.append(data)
        super().save(visit_id, data)


def test_saves_made_while_a_write_runs_are_merged_and_the_newest_is_written_last() -> None:
    sink = GatedDrafts()
    runner = ThreadRunner()
    drafts = BackgroundDrafts(sink, runner)
    failed: list[BaseException] = []
    drafts.save_soon("v1", {"n": 1}, failed.append)
    assert sink.writing.wait(10)  # the worker is writing n=1
    drafts.save_soon("v1", {"n": 2}, failed.append)
    drafts.save_soon("v1", {"n": 3}, failed.append)
    assert drafts.pending()
    sink.gate.set()
    runner.settle()
    assert not drafts.pending() and not failed
    assert sink.writes == [{"n": 1}, {"n": 3}]  # n=2 was replaced before its turn
    assert sink.saved == {"v1": {"n": 3}}


def test_a_delete_is_never_overtaken_by_a_save_still_pending() -> None:
    sink = Drafts()
    runner = HeldRunner()
    drafts = BackgroundDrafts(sink, runner)
    drafts.save_soon("v1", {"n": 1}, lambda exc: None)
    drafts.delete("v1")  # the visit ended before the worker started
    runner.run_all()
    assert sink.saved == {}


def test_reading_the_drafts_includes_the_changes_not_written_yet() -> None:
    sink = Drafts()
    runner = HeldRunner()
    drafts = BackgroundDrafts(sink, runner)
    drafts.save_soon("v1", {"n": 1}, lambda exc: None)
    drafts.save_soon("v2", {"n": 2}, lambda exc: None)
    assert drafts.load_all() == [("v1", {"n": 1}), ("v2", {"n": 2})]
    runner.run_all()  # the worker finds nothing left to write
    assert sink.saved == {"v1": {"n": 1}, "v2": {"n": 2}}


def test_a_draft_that_cannot_be_written_is_reported_to_its_visit() -> None:
    class FullDisk(Drafts):
        def save(self, visit_id: str, data: dict[str, Any]) -> None:
            raise LocalWriteError("full")

    runner = HeldRunner()
    drafts = BackgroundDrafts(FullDisk(), runner)
    reported: dict[str, BaseException] = {}
    drafts.save_soon("v1", {"n": 1}, lambda exc: reported.update(v1=exc))
    assert reported == {}  # nothing is written (or reported) on the caller's thread
    runner.run_all()
    assert isinstance(reported["v1"], LocalWriteError)


def test_nothing_is_lost_when_the_clerk_answers_while_the_draft_is_being_written() -> None:
    sink = GatedDrafts()
    sink.gate.set()
    runner = ThreadRunner()
    drafts = BackgroundDrafts(sink, runner)
    kiosk = KioskPresenter(load_catalog(), DemoCardSource(), ImmediateRunner(), drafts=drafts)
    identify(kiosk)
    kiosk.choose_event("tennyu")
    kiosk.household_done()
    runner.settle()
    sink.gate.clear()  # the disk is slow from now on
    sink.writing.clear()
    answered = []
    for _ in range(3):  # the first answer's draft is being written while the clerk gives two more
        pending = kiosk.questions.value.question
        assert pending is not None and kiosk.view.value.step is Step.QUESTIONS
        kiosk.answer(any_answer(pending.question))
        answered.append(pending.id)
        assert sink.writing.wait(10)
    sink.gate.set()
    runner.settle()
    assert kiosk.session is not None
    saved = sink.saved[kiosk.session.visit_id]
    assert saved == kiosk.session.to_draft(kiosk.view.value.step.value)
    assert len(saved["history"]) == len(answered) == 3
