"""Helpers for driving the kiosk presenter in tests: an in-memory draft store, the demo card read and
a visit answered through to the review page."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from counter_app.adapters.card_source import DemoCardSource
from counter_app.presenters.kiosk import KioskPresenter, Step
from counter_app.settings.config import Settings
from counter_app.wiring.kiosk import Kiosk, build_kiosk
from counter_app.workflow.tasks import ImmediateRunner
from printing.folder_backend import FolderBackend
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


def demo_kiosk(folder: Path, printed: str = "out") -> Kiosk:
    """The kiosk's parts for 1番窓口: data under ``folder``, the demo card, tasks run at once, papers
    printed as PDF files into ``folder / printed``."""
    settings = Settings(counter_name="1番窓口", data_dir=folder / "data", config_path=folder / "c.toml")
    return build_kiosk(
        settings,
        ImmediateRunner(),
        card_source=DemoCardSource(),
        print_backend=FolderBackend(folder / printed),
    )


def add_typed_member(kiosk: KioskPresenter, name: str, birth_date: str, sex: str) -> bool:
    """The clerk types a member's name, birth date and sex and confirms (whether it was taken)."""
    kiosk.start_typed()
    form = kiosk.member_form.value
    assert form is not None
    for key, text in (("name", name), ("birth_date", birth_date), ("sex", sex)):
        form.set_field(key, text)
    return kiosk.confirm_member()


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
