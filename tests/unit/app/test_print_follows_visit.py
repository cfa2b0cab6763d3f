"""The papers are rendered when a visit reaches the print step, by the presenters alone: no window, no
widget (``MainWindow.show_view`` only shows pages), and cleared when the visit is cancelled."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from counter_app.presenters.kiosk import KioskPresenter, Step
from counter_app.presenters.printing import PrintPresenter, PrintStep
from counter_app.wiring.kiosk import settle_after_start
from tests.unit.app.kiosk_helpers import demo_kiosk, identify
from tests.unit.procedures.flow import any_answer


def step(kiosk: KioskPresenter) -> Step:
    return kiosk.view.value.step


def print_step(printer: PrintPresenter) -> PrintStep:
    return printer.view.value.step


def test_entering_the_print_step_prepares_and_leaving_the_visit_clears(tmp_path: Path) -> None:
    parts = demo_kiosk(tmp_path, printed="printed")
    try:
        kiosk, printer = parts.kiosk, parts.printer
        kiosk.today = lambda: dt.date(2026, 11, 23)
        identify(kiosk)
        kiosk.choose_event("shoumei")
        kiosk.household_done()
        for _ in range(30):
            pending = kiosk.questions.value.question
            if step(kiosk) is not Step.QUESTIONS or pending is None:
                break
            kiosk.answer(any_answer(pending.question))
        assert step(kiosk) is Step.REVIEW
        assert print_step(printer) is PrintStep.IDLE  # nothing rendered before the print step
        kiosk.go_print()
        assert step(kiosk) is Step.PRINT
        assert print_step(printer) is PrintStep.PREVIEW
        assert printer.view.value.documents  # the guide sheet at least
        kiosk.request_cancel()
        kiosk.cancel("resident_request")
        assert step(kiosk) is Step.WAITING
        assert print_step(printer) is PrintStep.IDLE and printer.view.value.documents == ()
    finally:
        printer.stop()
        parts.storage.close()


def test_once_started_the_kiosk_is_out_of_the_full_garbage_collections(tmp_path: Path) -> None:
    import gc

    parts = demo_kiosk(tmp_path, printed="p")
    frozen = gc.get_freeze_count()
    try:
        settle_after_start()  # as the app does once the services are loaded and the window is up
        assert gc.get_freeze_count() > frozen  # the catalog, fonts, presenters… are frozen
        identify(parts.kiosk)  # the kiosk works on as before
        assert parts.kiosk.view.value.step is Step.EVENT
    finally:
        gc.unfreeze()  # (the rest of the test session collects as usual)
        parts.storage.close()
