"""Start-up order (issue 22): the clerk's window is up and takes a card before the catalog is loaded;
a visit begun that early gets the right guidance once it is; a catalog found broken by the deferred
check blocks every visit with the clerk's Japanese message, as the start did before."""

from __future__ import annotations

import datetime as dt
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from counter_app.adapters.card_source import DEMO_HOUSEHOLD, DemoCardSource
from counter_app.adapters.store.models import AUDIT_EVENTS
from counter_app.adapters.store.records import AuditKind
from counter_app.presenters.identify import IdentifyStep, IdentifyView
from counter_app.presenters.kiosk import PREPARING, KioskPresenter, Step
from counter_app.presenters.messages import clerk_message
from counter_app.settings.config import Settings
from counter_app.ui.app import KioskStartUp
from counter_app.ui.main_window import MainWindow
from counter_app.ui.tasks import QtTaskRunner
from counter_app.wiring.kiosk import Kiosk, KioskStart, finish_kiosk, load_services, start_kiosk
from counter_app.workflow.tasks import ImmediateRunner
from procedures.catalog import default_catalog_dir
from procedures.errors import CatalogError
from procedures.visit import JsonAnswer
from tests.unit.app.kiosk_helpers import DEMO_PIN
from tests.unit.procedures.flow import any_answer

MOVED_IN = dt.date(2026, 11, 20)
ANSWERS: dict[str, JsonAnswer] = {"from_abroad": False, "tokurei_tennyu": False}


def step(kiosk: KioskPresenter) -> Step:
    return kiosk.view.value.step


def identify_step(kiosk: KioskPresenter) -> IdentifyStep:
    return kiosk.identify.view.value.step


def _settings(tmp_path: Path, catalog_folder: str = "") -> Settings:
    return Settings(
        counter_name="1番窓口",
        data_dir=tmp_path / "data",
        config_path=tmp_path / "c.toml",
        catalog_folder=catalog_folder,
    )


def _window(qtbot: QtBot, start: KioskStart) -> MainWindow:
    window = MainWindow(
        start.kiosk,
        start.printer,
        start.idle,
        "1番窓口",
        start.demo,
        start.status,
        resident_language=start.resident_language,
    )
    qtbot.addWidget(window)
    window.show()
    return window


@pytest.fixture
def early(qtbot: QtBot, tmp_path: Path) -> Iterator[tuple[Settings, KioskStart, MainWindow]]:
    settings = _settings(tmp_path)
    start = start_kiosk(settings, ImmediateRunner(), card_source=DemoCardSource())
    start.kiosk.today = lambda: dt.date(2026, 11, 23)
    yield settings, start, _window(qtbot, start)
    start.printer.stop()


def test_the_window_takes_a_card_before_the_catalog_and_the_visit_gets_its_guidance(
    early: tuple[Settings, KioskStart, MainWindow],
) -> None:
    settings, start, window = early
    kiosk = start.kiosk
    assert window.isVisible() and not kiosk.ready  # the window is up; the catalog is not loaded yet
    assert window.stack.currentWidget() is window.pages[Step.WAITING]

    kiosk.card_inserted()  # placed at once: the card is read (PIN, four details) without the catalog
    assert kiosk.view.value.step is Step.IDENTIFY
    assert kiosk.identify.view.value.step is IdentifyStep.PIN_ENTRY
    kiosk.identify.press_digit("0")
    kiosk.identify.press_digit("0")
    kiosk.identify.press_digit("0")
    kiosk.identify.press_digit("0")
    kiosk.identify.submit()  # a wrong PIN first: it must be audited once the storage is there
    for digit in DEMO_PIN:
        kiosk.identify.press_digit(digit)
    kiosk.identify.submit()
    assert identify_step(kiosk) is IdentifyStep.DONE
    # The visit waits for the catalog: still on the card step, the details kept, the clerk told why.
    assert kiosk.view.value.step is Step.IDENTIFY
    assert kiosk.session is None
    assert kiosk.view.value.banner == PREPARING

    parts = finish_kiosk(start, load_services(settings))  # what the worker hands over
    try:
        assert kiosk.ready and kiosk.view.value.banner == ""
        assert kiosk.view.value.step is Step.MEMBER  # the card's details, nothing read again
        form = kiosk.member_form.value
        assert form is not None and form.original is not None
        assert form.original.name == DEMO_HOUSEHOLD[0].name
        assert kiosk.confirm_member()
        kiosk.choose_event("tennyu", MOVED_IN)
        assert kiosk.view.value.step is Step.HOUSEHOLD
        kiosk.household_done()
        while kiosk.view.value.step is Step.QUESTIONS:
            pending = kiosk.questions.value.question
            assert pending is not None
            kiosk.answer(ANSWERS.get(pending.question.id, any_answer(pending.question)))
        assert kiosk.view.value.step is Step.REVIEW
        procedures = {p.procedure.id: p for p in kiosk.review.value.procedures}
        # 住民基本台帳法22条1項: the 転入届 within 14 days of moving in (the day itself not counted).
        todoke = procedures["tennyu_todoke"]
        assert todoke.deadline is not None and todoke.deadline.date == dt.date(2026, 12, 4)
        assert "tennyu_todoke_tokurei" not in procedures  # moved with a moving-out certificate
        # The wrong PIN and the card read, audited in the order they happened, once the storage opened.
        assert kiosk.session is not None
        audit = [
            (row.kind, row.at) for row in _audit(parts) if row.visit_id == uuid.UUID(kiosk.session.visit_id)
        ]
        kinds = [kind for kind, _at in sorted(audit, key=lambda a: a[1])]
        assert kinds.index(AuditKind.PIN_REFUSED.value) < kinds.index(AuditKind.CARD_READ.value)
    finally:
        parts.storage.close()


def _audit(parts: Kiosk) -> list[Any]:
    parts.storage.flush()
    with parts.storage.database.engine.connect() as connection:
        return list(connection.execute(select(AUDIT_EVENTS)).all())


def test_a_visit_cancelled_before_the_catalog_leaves_nothing_behind(
    early: tuple[Settings, KioskStart, MainWindow],
) -> None:
    settings, start, _ = early
    kiosk = start.kiosk
    kiosk.card_inserted()
    assert step(kiosk) is Step.IDENTIFY
    kiosk.escape()  # Esc asks for the reason, as in any visit
    assert kiosk.view.value.cancelling
    kiosk.cancel("resident_request")
    assert step(kiosk) is Step.WAITING and kiosk.identify.view.value == IdentifyView()
    kiosk.card_inserted()  # the next resident's card waits until the cancelled visit is recorded
    assert step(kiosk) is Step.WAITING and kiosk.view.value.banner == PREPARING
    parts = finish_kiosk(start, load_services(settings))
    try:
        # The cancelled visit recorded once; the next one started after it, on its own session.
        kinds = [row.kind for row in _audit(parts)]
        assert kinds.count(AuditKind.VISIT_CANCELLED.value) == 1
        assert step(kiosk) is Step.IDENTIFY and kiosk.session is not None
        assert kiosk.session.members == []
    finally:
        parts.storage.close()


def _broken_catalog(tmp_path: Path) -> Path:
    folder = tmp_path / "catalog"
    shutil.copytree(default_catalog_dir(), folder)
    events = folder / "catalog.yaml"
    events.write_text(events.read_text(encoding="utf-8") + "\nthis is: [not yaml\n", encoding="utf-8")
    return folder


def test_a_catalog_broken_at_the_deferred_check_blocks_every_visit_with_the_message(
    qtbot: QtBot, tmp_path: Path
) -> None:
    settings = _settings(tmp_path, str(_broken_catalog(tmp_path)))
    with pytest.raises(CatalogError) as raised:  # what the start said before, and says now
        load_services(settings)
    expected = clerk_message(raised.value)
    assert "手続" in expected.text and expected.exit_code != 0

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    runner = QtTaskRunner()
    start = start_kiosk(settings, runner, card_source=DemoCardSource())
    window = _window(qtbot, start)
    quits: list[int] = []
    startup = KioskStartUp(app, runner, settings, start, window, quit_app=quits.append)
    startup.load()  # on the thread pool, as the kiosk does
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "startProblem") is not None, timeout=20_000)
    box = window.findChild(QMessageBox, "startProblem")
    assert isinstance(box, QMessageBox)
    assert box.text() == expected.text
    assert startup.exit_code == expected.exit_code and startup.parts is None
    kiosk = start.kiosk
    assert kiosk.view.value.error == expected.text
    kiosk.card_inserted()  # no visit starts on the broken catalog, by card or by hand
    kiosk.start_typed()
    assert kiosk.view.value.step is Step.WAITING and kiosk.session is None
    assert kiosk.view.value.error == expected.text
    assert quits == []  # the kiosk closes when the clerk has read it, with the command's exit code
    box.done(0)
    assert quits == [expected.exit_code]
    startup.stop()
