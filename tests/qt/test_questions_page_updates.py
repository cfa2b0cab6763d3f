"""The questions page updates only what changed, and what it shows is always the presenter's: the list of
procedures is the guidance's after every answer, the choice buttons answer the question on screen (kept
when the next question offers the same choices), and the household table shows the household whenever
the household step is on screen."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from bench import clerk_keys
from counter_app.presenters.kiosk import Step
from counter_app.ui.main_window import MainWindow
from counter_app.ui.pages.household import HouseholdPage
from counter_app.ui.pages.questions import QuestionsPage, procedure_line
from counter_app.wiring.kiosk import Kiosk
from tests.unit.app.kiosk_helpers import identify
from tests.unit.procedures.flow import any_answer


@pytest.fixture
def app(qtbot: QtBot, tmp_path: Path) -> Iterator[tuple[Kiosk, MainWindow]]:
    parts, window = clerk_keys.open_kiosk(tmp_path)
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    yield parts, window
    parts.printer.stop()
    parts.storage.close()


def test_the_page_shows_the_presenters_question_and_procedures_after_every_answer(
    app: tuple[Kiosk, MainWindow],
) -> None:
    parts, window = app
    kiosk = parts.kiosk
    page = window.pages[Step.QUESTIONS]
    household = window.pages[Step.HOUSEHOLD]
    assert isinstance(page, QuestionsPage) and isinstance(household, HouseholdPage)
    identify(kiosk)
    kiosk.choose_event("tennyu")
    assert household.table.rowCount() == 1
    kiosk.start_typed()
    form = kiosk.member_form.value
    assert form is not None
    for key, text in (("name", "窓口\u3000陽太"), ("birth_date", "2018-07-07"), ("sex", "male")):
        form.set_field(key, text)
    assert kiosk.confirm_member()
    assert window.stack.currentWidget() is household and household.table.rowCount() == 2
    kiosk.household_done()
    answered = kept = 0
    while kiosk.view.value.step is Step.QUESTIONS:
        view = kiosk.questions.value
        assert view.question is not None and view.guidance is not None
        shown = [page.procedures.item(i).text() for i in range(page.procedures.count())]
        assert shown == [procedure_line(p, view.member_names) for p in view.guidance.procedures]
        assert page.text.text() == view.question.question.text
        if not page.choice_buttons:  # number, date or text: the page's own field answers
            kiosk.answer(any_answer(view.question.question))
            answered += 1
            continue
        before = list(page.choice_buttons)
        before[0].click()  # the first choice, through the button on screen
        answered += 1
        assert kiosk.session is not None and len(kiosk.session.history) == answered
        if kiosk.view.value.step is Step.QUESTIONS and page.choice_buttons == before:
            kept += 1
    assert answered > 3
    assert kept > 0  # some consecutive questions offered the same choices: their buttons were kept
