"""Every card error has a clear Japanese line for the clerk."""

from __future__ import annotations

import re

import pytest

from card_reader import errors
from counter_app.presenters.messages import EXIT_LOCKED, EXIT_PIN, clerk_message, printer_condition_message
from printing import errors as print_errors
from printing.model import PrinterCondition

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")

CASES: list[BaseException] = [
    errors.PcscUnavailableError("x"),
    errors.NoReaderError(),
    errors.NoReaderError("ACS ACR39U"),
    errors.NoCardError(),
    errors.CardRemovedError(),
    errors.CardCommunicationError("x"),
    errors.NotMyNumberCardError(),
    errors.PinFormatError("x"),
    errors.WrongPinError(2),
    errors.WrongPinError(1),
    errors.LastTryConfirmationRequired(),
    errors.PinLockedError(),
    errors.PinLockedError(just_locked=True),
    errors.MalformedCardDataError("x"),
    errors.StatusWordError(0x6F00),
    print_errors.PrintServiceUnavailableError("x"),
    print_errors.PrinterNotFoundError("Canon"),
    print_errors.NoPrinterConfiguredError(),
    print_errors.PrintJobFailedError("j", "aborted"),
    print_errors.SpoolCorruptedError("j"),
]


@pytest.mark.parametrize("error", CASES, ids=lambda e: type(e).__name__)
def test_each_error_has_a_japanese_line(error: BaseException) -> None:
    message = clerk_message(error)
    assert JAPANESE.search(message.text)
    assert "\n" not in message.text
    assert message.exit_code != 0


def test_messages_are_specific() -> None:
    texts = {clerk_message(e).text for e in CASES}
    assert len(texts) == len(CASES)  # no two situations share a message


def test_pin_messages_say_what_to_do() -> None:
    assert "残り2回" in clerk_message(errors.WrongPinError(2)).text
    assert "次に間違えるとロック" in clerk_message(errors.WrongPinError(1)).text
    locked = clerk_message(errors.PinLockedError())
    assert locked.exit_code == EXIT_LOCKED and "市区町村の窓口" in locked.text
    assert clerk_message(errors.LastTryConfirmationRequired()).exit_code == EXIT_PIN


@pytest.mark.parametrize("condition", list(PrinterCondition))
def test_every_printer_condition_has_words(condition: PrinterCondition) -> None:
    assert JAPANESE.search(printer_condition_message(condition))
