"""Helpers for driving the kiosk presenter in tests: an in-memory draft store, the demo card read and
a visit answered through to the review page."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from counter_app.presenters.kiosk import KioskPresenter, Step
from procedures.visit import JsonAnswer
from tests.unit.procedures.flow import any_answer

DEMO_PIN = "1234"


class Drafts:
    """The kiosk's draft store, in memory (the encrypted store has its own tests)."""

    def __init__(self) -> None:
        self.saved: dict[str, dict[str, Any]] = {}

    def save(self, visit_id: str, data: dict[str, Any]) -> None:
        self.saved[visit_id] = data

    def delete(self, visit_id: str) -> None:
        self.saved.pop(visit_id, None)

    def load_all(self) -> list[tuple[str, dict[str, Any]]]:
        return list(self.saved.items())


def read_demo_card(kiosk: KioskPresenter, pin: str = DEMO_PIN) -> None:
    """The resident places the demo card and types the PIN (the kiosk is then on the details page)."""
    kiosk.card_inserted()
    for digit in pin:
        kiosk.identify.press_digit(digit)
    kiosk.identify.submit()


def identify(kiosk: KioskPresenter) -> None:
    """The demo card read and its details confirmed: the kiosk is on the event page."""
    read_demo_card(kiosk)
    assert kiosk.confirm_member()


def answer_all(kiosk: KioskPresenter, event: str, answers: Mapping[str, JsonAnswer] | None = None) -> None:
    """From the event page: choose ``event``, keep the household as read and answer every question
    (``answers`` by question id, else some valid answer); the kiosk is then on the review page."""
    kiosk.choose_event(event)
    kiosk.household_done()
    given: Callable[[str], JsonAnswer | None] = (answers or {}).get
    while kiosk.view.value.step is Step.QUESTIONS:
        pending = kiosk.questions.value.question
        assert pending is not None
        answer = given(pending.id)
        kiosk.answer(any_answer(pending.question) if answer is None else answer)
    assert kiosk.view.value.step is Step.REVIEW, kiosk.view.value.step
