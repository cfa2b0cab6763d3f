"""Step 2 of a visit: the card, the PIN pad and the four details, as view state.

The safety rules of the card layer are shown to people here: the tries left appear before the first
digit, the last try needs an explicit confirmation, a locked card says what to do, and a wrong PIN
is never re-sent. The PIN digits live in this object only until the read starts.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, replace

from card_reader.basic_four import BasicFour
from card_reader.errors import (
    LastTryConfirmationRequired,
    PinLockedError,
    WrongPinError,
)
from card_reader.mynumber import PinStatus
from card_reader.pin import PIN_LENGTH, Pin
from counter_app.adapters.card_source import CardSource
from counter_app.presenters.messages import clerk_message
from counter_app.presenters.observable import Observable
from counter_app.workflow.tasks import TaskRunner

PIN_DIGITS = PIN_LENGTH  # what the PIN pad shows as dots (券面事項入力補助用暗証番号: 4 digits)


class IdentifyStep(enum.Enum):
    CHECKING = "checking"  # reading the retry counter
    PIN_ENTRY = "pin_entry"
    CONFIRM_LAST_TRY = "confirm_last_try"
    READING = "reading"
    DONE = "done"  # the four details were read
    LOCKED = "locked"
    FAILED = "failed"  # something else went wrong; the clerk can retry or type the details


@dataclass(frozen=True)
class IdentifyView:
    step: IdentifyStep = IdentifyStep.CHECKING
    tries_left: int | None = None
    digits: int = 0  # how many digits are typed (never which)
    last_try_confirmed: bool = False
    message: str = ""
    progress: float = 0.0
    details: BasicFour | None = None

    @property
    def can_submit(self) -> bool:
        return self.step is IdentifyStep.PIN_ENTRY and self.digits == PIN_LENGTH


class IdentifyPresenter:
    def __init__(self, source: CardSource, runner: TaskRunner) -> None:
        self.source = source
        self.runner = runner
        self.view: Observable[IdentifyView] = Observable(IdentifyView())
        self._digits: list[str] = []
        self.on_refused: Callable[[int], None] | None = None  # a wrong PIN (tries left): for the audit

    def _update(self, **changes: object) -> None:
        self.view.set(replace(self.view.value, **changes))  # type: ignore[arg-type]

    # --- the card arrived -------------------------------------------------------------------
    def start(self) -> None:
        """A card was placed: read the retry counter (no try is spent)."""
        self._digits.clear()
        self.view.set(IdentifyView(step=IdentifyStep.CHECKING, message="カードを確認しています…"))
        self.runner.run(self.source.pin_status, self._on_status, self._on_error)

    def _on_status(self, status: PinStatus) -> None:
        if status.blocked or status.tries_left == 0:
            self._locked(just_locked=False)
        elif status.needs_last_try_confirmation:
            self._update(
                step=IdentifyStep.CONFIRM_LAST_TRY,
                tries_left=1,
                message=clerk_message(LastTryConfirmationRequired()).text,
            )
        else:
            self._update(
                step=IdentifyStep.PIN_ENTRY,
                tries_left=status.tries_left,
                message="暗証番号(数字4桁)を入力してください",
            )

    def confirm_last_try(self) -> None:
        if self.view.value.step is IdentifyStep.CONFIRM_LAST_TRY:
            self._update(
                step=IdentifyStep.PIN_ENTRY,
                last_try_confirmed=True,
                message="最後の1回です。ゆっくり入力してください",
            )

    # --- the PIN pad ------------------------------------------------------------------------
    def press_digit(self, digit: str) -> None:
        if self.view.value.step is not IdentifyStep.PIN_ENTRY or len(self._digits) >= PIN_LENGTH:
            return
        if len(digit) != 1 or not "0" <= digit <= "9":
            return
        self._digits.append(digit)
        self._update(digits=len(self._digits))

    def backspace(self) -> None:
        if self._digits and self.view.value.step is IdentifyStep.PIN_ENTRY:
            self._digits.pop()
            self._update(digits=len(self._digits))

    def clear(self) -> None:
        self._digits.clear()
        self._update(digits=0)

    def submit(self) -> None:
        """Send the PIN once. Nothing is re-sent automatically, whatever the answer."""
        view = self.view.value
        if not view.can_submit:
            return
        pin = Pin("".join(self._digits))
        self._digits.clear()
        confirmed = view.last_try_confirmed
        self._update(step=IdentifyStep.READING, digits=0, progress=0.0, message="読み取っています…")
        self.runner.run(
            lambda: self.source.read(pin, confirm_last_try=confirmed),
            self._on_read,
            self._on_error,
        )

    def _on_read(self, details: BasicFour) -> None:
        self._update(step=IdentifyStep.DONE, details=details, progress=1.0, message="読み取りました")

    # --- what can go wrong ------------------------------------------------------------------
    def _locked(self, *, just_locked: bool) -> None:
        self._digits.clear()
        self._update(
            step=IdentifyStep.LOCKED,
            tries_left=0,
            digits=0,
            message=clerk_message(PinLockedError(just_locked=just_locked)).text,
        )

    def _on_error(self, error: BaseException) -> None:
        self._digits.clear()
        match error:
            case WrongPinError(tries_left=tries):
                if self.on_refused is not None:
                    self.on_refused(tries)
                step = IdentifyStep.CONFIRM_LAST_TRY if tries == 1 else IdentifyStep.PIN_ENTRY
                self._update(
                    step=step,
                    tries_left=tries,
                    digits=0,
                    last_try_confirmed=False,
                    message=clerk_message(error).text,
                )
            case PinLockedError(just_locked=just):
                self._locked(just_locked=just)
            case LastTryConfirmationRequired():
                self._update(
                    step=IdentifyStep.CONFIRM_LAST_TRY,
                    tries_left=1,
                    digits=0,
                    message=clerk_message(error).text,
                )
            case _:  # card removed, no card, not a My Number card, broken data …
                self._update(step=IdentifyStep.FAILED, digits=0, message=clerk_message(error).text)
