"""The identify step over the in-process virtual card: what the clerk sees at each turn."""

from __future__ import annotations

import pytest

from card_reader.virtual import VirtualCardProfile
from counter_app.adapters.card_source import DemoCardSource
from counter_app.presenters.identify import IdentifyPresenter, IdentifyStep, IdentifyView
from counter_app.workflow.tasks import ImmediateRunner


def presenter(
    tries: int = 3, pin: str = "2580"
) -> tuple[IdentifyPresenter, DemoCardSource, list[IdentifyView]]:
    source = DemoCardSource(VirtualCardProfile(pin=pin, tries_left=tries))
    p = IdentifyPresenter(source, ImmediateRunner())
    seen: list[IdentifyView] = []
    p.view.subscribe(seen.append, now=False)
    p.start()
    return p, source, seen


def step(p: IdentifyPresenter) -> IdentifyStep:
    return p.view.value.step


def type_pin(p: IdentifyPresenter, pin: str) -> None:
    for digit in pin:
        p.press_digit(digit)
    p.submit()


def test_tries_are_shown_before_the_first_digit() -> None:
    p, _, _ = presenter(tries=2)
    assert step(p) is IdentifyStep.PIN_ENTRY and p.view.value.tries_left == 2
    assert p.view.value.digits == 0


def test_right_pin_reads_the_details_and_forgets_the_digits() -> None:
    p, _, seen = presenter()
    type_pin(p, "2580")
    view = p.view.value
    assert view.step is IdentifyStep.DONE and view.details is not None
    assert view.details.name == "黒桐\u3000幹也"
    assert p._digits == []
    assert all("2580" not in repr(v) for v in seen)


def test_wrong_pin_shows_tries_and_sends_nothing_more() -> None:
    p, source, _ = presenter()
    type_pin(p, "0000")
    assert step(p) is IdentifyStep.PIN_ENTRY and p.view.value.tries_left == 2
    assert "残り2回" in p.view.value.message
    verifies = [a for a in source.card.received if a[1] == 0x20 and len(a) > 4]
    assert len(verifies) == 1


def test_second_wrong_pin_asks_for_the_last_try_confirmation() -> None:
    p, _, _ = presenter(tries=2)
    type_pin(p, "0000")
    assert step(p) is IdentifyStep.CONFIRM_LAST_TRY
    p.press_digit("1")  # ignored until confirmed
    assert p.view.value.digits == 0
    p.confirm_last_try()
    type_pin(p, "2580")
    assert step(p) is IdentifyStep.DONE


def test_last_try_confirmation_is_required_from_the_start() -> None:
    p, source, _ = presenter(tries=1)
    assert step(p) is IdentifyStep.CONFIRM_LAST_TRY
    p.confirm_last_try()
    type_pin(p, "1111")
    assert step(p) is IdentifyStep.LOCKED
    assert "ロックされました" in p.view.value.message
    assert source.card.tries_left == 0


def test_locked_card_offers_no_pin_pad() -> None:
    p, source, _ = presenter(tries=0)
    assert step(p) is IdentifyStep.LOCKED
    p.press_digit("1")
    p.submit()
    assert [a for a in source.card.received if a[1] == 0x20 and len(a) > 4] == []


@pytest.mark.parametrize("key", ["a", "12", "", "５"])
def test_only_single_ascii_digits_count(key: str) -> None:
    p, _, _ = presenter()
    p.press_digit(key)
    assert p.view.value.digits == 0


def test_backspace_and_submit_needs_four_digits() -> None:
    p, _, _ = presenter()
    for d in "258":
        p.press_digit(d)
    p.backspace()
    assert p.view.value.digits == 2
    p.submit()
    assert step(p) is IdentifyStep.PIN_ENTRY
