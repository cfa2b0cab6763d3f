"""The PIN never shows itself."""

from __future__ import annotations

import logging
import pickle

import pytest

from card_reader.errors import PinFormatError
from card_reader.pin import Pin


def test_pin_is_redacted_everywhere(caplog: pytest.LogCaptureFixture) -> None:
    pin = Pin("5927")
    logging.getLogger("test").warning("pin %s %r", pin, pin)
    texts = [repr(pin), str(pin), f"{pin}", f"{pin!r}", caplog.text, repr([pin]), repr({"pin": pin})]
    assert all("5927" not in text for text in texts)
    assert pin.to_apdu_data() == b"5927"


@pytest.mark.parametrize("bad", ["592", "59271", "５９２７", "59a7", "", " 592"])
def test_bad_pins_are_refused_without_echo(bad: str) -> None:
    with pytest.raises(PinFormatError) as excinfo:
        Pin(bad)
    if bad.strip():
        assert bad.strip() not in str(excinfo.value)


def test_pin_cannot_be_pickled() -> None:
    with pytest.raises(TypeError):
        pickle.dumps(Pin("1234"))


def test_pins_compare_by_value() -> None:
    assert Pin("1234") == Pin("1234") and Pin("1234") != Pin("4321")
