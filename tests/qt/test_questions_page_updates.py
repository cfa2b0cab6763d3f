"""The questions page updates only what changed, and what it shows is always the presenter's: the list of
procedures is the guidance's after every answer, the choice buttons answer the question on screen (kept
when the next question offers the same choices), and the household table shows the household whenever
the household step is on screen."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from counter_app.presenters.kiosk import Step
from counter_app.ui.main_window import MainWindow
from counter_app.ui.pages.household import HouseholdPage
from counter_app.ui.pages.questions import QuestionsPage, procedure_line
from counter_app.ui.pages.review import KEY_ROLE, ReviewPage
from counter_app.wiring.kiosk import Kiosk
from procedures.visit import JsonAnswer
from tests.unit.app.kiosk_helpers import add_typed_member, identify
from tests.unit.procedures.flow import any_answer


def test_the_page_shows_the_presenters_question_and_procedures_after_every_answer(
    kiosk_window: tuple[Kiosk, MainWindow],
) -> None:
    parts, window = kiosk_window
    kiosk = parts.kiosk
    page = window.pages[Step.QUESTIONS]
    household = window.pages[Step.HOUSEHOLD]
    assert isinstance(page, QuestionsPage) and isinstance(household, HouseholdPage)
    identify(kiosk)
    kiosk.choose_event("tennyu")
    assert household.table.rowCount() == 1
    assert add_typed_member(kiosk, "窓口\u3000陽太", "2018-07-07", "male")
    assert window.stack.currentWidget() is household and household.table.rowCount() == 2
    kiosk.household_done()
    answered = kept = 0
    while kiosk.view.value.step is Step.QUESTIONS:
        view = kiosk.questions.value
        assert view.question is not None and view.guidance is not None
        shown = [page.procedures.item(i).text() for i in range(page.procedures.count())]
        assert shown == [procedure_line(p, view.member_names) for p in view.guidance.procedures]
        assert page.text.text() == view.question.question.text
        kind = view.question.question.type
        fields = {"number": page.number, "date": page.date, "text": page.line}
        # Exactly the field of the question's kind shows (with 決定), or its choice buttons.
        assert {k for k, f in fields.items() if f.isVisible()} == ({kind} & fields.keys())
        assert page.ok_button.isVisible() == (kind in fields)
        assert all(b.isVisible() for b in page.choice_buttons)
        visible_buttons = [b for b in page.findChildren(QPushButton) if b.isVisible()]
        assert sorted(visible_buttons, key=id) == sorted(
            [*page.choice_buttons, page.back_button, *([page.ok_button] if kind in fields else [])], key=id
        )
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


def test_relabelled_choice_buttons_answer_the_question_on_screen_and_no_hidden_one_answers(
    kiosk_window: tuple[Kiosk, MainWindow], qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The choice buttons are reused from question to question: after each answer the buttons on screen
    are exactly the new question's choices (label and value, in order), the buttons left over from a
    question with more choices are hidden, and a number key beyond the choices answers nothing."""
    parts, window = kiosk_window
    kiosk = parts.kiosk
    page = window.pages[Step.QUESTIONS]
    assert isinstance(page, QuestionsPage)
    identify(kiosk)
    kiosk.choose_event("tennyu")
    kiosk.household_done()
    given: list[object] = []  # what the page answered, in order
    answer = kiosk.answer

    def recorded(value: JsonAnswer) -> None:
        given.append(value)
        answer(value)

    monkeypatch.setattr(kiosk, "answer", recorded)
    counts: set[int] = set()
    while kiosk.view.value.step is Step.QUESTIONS:
        view = kiosk.questions.value
        assert view.question is not None
        q = view.question.question
        if q.type not in ("yes_no", "choice"):
            assert page.choice_buttons == []
            assert not any(b.isVisible() for b in page.findChildren(QPushButton) if b.text()[:1].isdigit())
            kiosk.answer(any_answer(q))
            continue
        labels = ["はい", "いいえ"] if q.type == "yes_no" else [c.label for c in q.choices]
        values: list[object] = [True, False] if q.type == "yes_no" else [c.value for c in q.choices]
        assert [b.text() for b in page.choice_buttons] == [f"{i + 1}. {t}" for i, t in enumerate(labels)]
        assert all(b.isVisible() for b in page.choice_buttons)
        numbered = [b for b in page.findChildren(QPushButton) if b.text()[:1].isdigit() and b.isVisible()]
        assert sorted(numbered, key=id) == sorted(page.choice_buttons, key=id)
        counts.add(len(labels))
        answered = len(given)
        page.setFocus()
        qtbot.keyClick(page, str(len(labels) + 1))  # no such choice: nothing answered
        assert len(given) == answered
        last = len(labels) - 1
        page.choice_buttons[last].click()  # the last choice, through its (possibly relabelled) button
        assert given[answered:] == [values[last]]
    assert len(counts) > 1  # questions with different numbers of choices: buttons were hidden and shown


def _tree_keys(page: ReviewPage) -> list[str]:
    keys = []
    for g in range(page.tree.topLevelItemCount()):
        group = page.tree.topLevelItem(g)
        assert group is not None
        for c in range(group.childCount()):
            child = group.child(c)
            assert child is not None
            keys.append(str(child.data(0, KEY_ROLE)))
    return keys


def test_hidden_pages_show_the_latest_household_and_review_when_their_step_comes(
    kiosk_window: tuple[Kiosk, MainWindow],
) -> None:
    """The household table and the review tree are not rebuilt while their page is hidden; whenever their
    step is on screen they show the presenter's latest household and review, after several changes."""
    parts, window = kiosk_window
    kiosk = parts.kiosk
    household = window.pages[Step.HOUSEHOLD]
    review = window.pages[Step.REVIEW]
    assert isinstance(household, HouseholdPage) and isinstance(review, ReviewPage)
    identify(kiosk)
    kiosk.choose_event("tennyu")
    for name in ("窓口\u3000陽太", "窓口\u3000結衣"):  # two members added while the table is hidden
        assert add_typed_member(kiosk, name, "2018-07-07", "male")
    assert window.stack.currentWidget() is household and household.table.rowCount() == 3
    kiosk.remove_member(2)  # on screen: at once
    assert household.table.rowCount() == 2
    shown_name = household.table.item(1, 0)
    assert shown_name is not None and shown_name.text() == "2. 窓口\u3000陽太"

    def step() -> Step:
        return kiosk.view.value.step

    for _ in range(2):  # to the review, back to the questions (the review hidden, reset), and again
        if step() is Step.REVIEW:
            kiosk.back()
            assert step() is Step.QUESTIONS
            assert window.stack.currentWidget() is not review
        else:
            kiosk.household_done()
        while step() is Step.QUESTIONS:
            question = kiosk.questions.value.question
            assert question is not None
            kiosk.answer(any_answer(question.question))
        assert window.stack.currentWidget() is review
        assert sorted(_tree_keys(review)) == sorted(p.key for p in kiosk.review.value.procedures)
        assert review.tree.topLevelItemCount() > 0
