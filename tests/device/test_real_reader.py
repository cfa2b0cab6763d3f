"""Opt-in checks against a real reader and a JPKI *test* card (``./run-tests.sh --device tests/device``).

Reads the retry counter (spends no try). With ``MADOGUCHI_TEST_CARD_PIN`` set it also reads the four
details once — only ever with a test card, and only when at least 2 tries are left.
"""

from __future__ import annotations

import os

import pytest

from card_reader.mynumber import KenmenHojoSession
from card_reader.pcsc import PcscContext
from card_reader.pin import Pin

pytestmark = pytest.mark.device


def _real_reader(context: PcscContext) -> str:
    for state in context.states():
        if "Virtual PCD" not in state.name and state.card_present:
            return state.name
    pytest.fail("no real reader holding a card", pytrace=False)


def test_real_card_status_and_read() -> None:
    with PcscContext() as context:
        reader = _real_reader(context)
        with context.connect(reader) as connection:
            session = KenmenHojoSession(connection)
            status = session.pin_status()
            assert status.tries_left is not None and 0 <= status.tries_left <= 3
            pin = os.environ.get("MADOGUCHI_TEST_CARD_PIN")
            if pin is None or status.tries_left < 2:
                return
            session.verify_pin(Pin(pin))
            details = session.read_basic_four()
            assert details.name and details.address
