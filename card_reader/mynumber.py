"""The 券面事項入力補助AP session: PIN retry counter, PIN verification, the four basic details.

Safety rules enforced here, whatever the caller does:

* the retry counter is read (empty VERIFY, no try spent) immediately before every VERIFY;
* with one try left the PIN is not sent unless the caller passes ``confirm_last_try=True``;
* a blocked PIN (63C0, 6983, 6984) raises :class:`PinLockedError` and nothing is sent;
* a wrong PIN is reported, never retried;
* EF 0001 (個人番号) and EF 0003 are never selected: this module has no code path that names them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from card_reader.basic_four import BasicFour, decode_basic_four, encoded_length
from card_reader.connection import Connection
from card_reader.errors import (
    CardError,
    FileNotFoundOnCardError,
    LastTryConfirmationRequired,
    MalformedCardDataError,
    NotMyNumberCardError,
    PinLockedError,
    SecurityStatusNotSatisfiedError,
    StatusWordError,
    WrongPinError,
)
from card_reader.iso7816 import Iso7816, VerifyStatus
from card_reader.pin import Pin

log = logging.getLogger(__name__)

KENMEN_HOJO_AID = bytes.fromhex("D3921000310001010408")  # 券面事項入力補助AP
EF_PIN = 0x0011
EF_BASIC_FOUR = 0x0002
PIN_MAX_TRIES = 3
HEADER_READ_LENGTH = 5  # FF 20 82 xx xx: enough to know the template's full length
MAX_BASIC_FOUR_LENGTH = 0x7FFF

ProgressCallback = Callable[[str, float], None]


@dataclass(frozen=True, slots=True)
class PinStatus:
    """What the card says about its PIN before any try is spent."""

    tries_left: int | None  # None: the PIN is already verified in this session
    verified: bool
    blocked: bool

    @property
    def needs_last_try_confirmation(self) -> bool:
        return not self.verified and self.tries_left == 1


def _status(result: VerifyStatus) -> PinStatus:
    return PinStatus(tries_left=result.tries_left, verified=result.verified, blocked=result.blocked)


class KenmenHojoSession:
    """One session with the 券面事項入力補助AP of a card on ``connection``."""

    def __init__(self, connection: Connection) -> None:
        self.iso = Iso7816(connection)
        self._selected_ef: int | None = None
        self._select_application()

    def _select_application(self) -> None:
        try:
            self.iso.select_df_name(KENMEN_HOJO_AID)
        except FileNotFoundOnCardError:
            raise NotMyNumberCardError("the card has no 券面事項入力補助AP") from None
        except StatusWordError as exc:
            # Any other refusal of SELECT means this is not a card we can talk to.
            raise NotMyNumberCardError(f"SELECT of the 券面事項入力補助AP failed: SW={exc.sw:04X}") from None

    def _select_ef(self, fid: int) -> None:
        if fid not in (EF_PIN, EF_BASIC_FOUR):
            # Belt and braces: 個人番号 (0001) and 0003 are out of bounds for this application.
            raise ValueError(f"EF {fid:04X} is not allowed")
        if self._selected_ef != fid:
            self.iso.select_ef(fid)
            self._selected_ef = fid

    def pin_status(self) -> PinStatus:
        """Read the retry counter with an empty VERIFY; spends no try."""
        self._select_ef(EF_PIN)
        return _status(self.iso.verify_status())

    def verify_pin(self, pin: Pin, *, confirm_last_try: bool = False) -> None:
        """Verify ``pin`` once, after checking the retry counter.

        Raises :class:`PinLockedError` (nothing sent, or the PIN just used the last try),
        :class:`LastTryConfirmationRequired` (one try left and no confirmation: nothing sent) or
        :class:`WrongPinError` (tries left >= 1). Never retries.
        """
        status = self.pin_status()
        if status.verified:
            log.info("PIN already verified in this card session")
            return
        if status.blocked or status.tries_left == 0:
            raise PinLockedError(just_locked=False)
        if status.needs_last_try_confirmation and not confirm_last_try:
            raise LastTryConfirmationRequired(tries_left=1)
        result = self.iso.verify(pin.to_apdu_data())
        if result.verified:
            log.info("PIN verified")
            return
        if result.blocked or result.tries_left == 0:
            log.warning("PIN refused; the card is now locked")
            raise PinLockedError(just_locked=True)
        log.info("PIN refused; %s tries left", result.tries_left)
        raise WrongPinError(tries_left=result.tries_left if result.tries_left is not None else 0)

    def read_basic_four(self, progress: ProgressCallback | None = None) -> BasicFour:
        """Read and parse EF 0002. Needs a verified PIN."""
        report = progress or (lambda _step, _fraction: None)
        try:
            self._select_ef(EF_BASIC_FOUR)
            report("read", 0.0)
            head = self.iso.read_binary(0, HEADER_READ_LENGTH)
            total = encoded_length(head)
            if total > MAX_BASIC_FOUR_LENGTH:
                raise MalformedCardDataError("EF 0002 declares an impossible length", 2)
            data = head
            if total > len(head):
                data += self.iso.read_binary(len(head), total - len(head))
            report("read", 1.0)
        except SecurityStatusNotSatisfiedError:
            raise CardError("EF 0002 needs the PIN to be verified first") from None
        if len(data) < total:
            raise MalformedCardDataError(f"EF 0002 ended after {len(data)} of {total} bytes", len(data))
        return decode_basic_four(data[:total])


def read_basic_four(
    connection: Connection,
    pin: Pin,
    *,
    confirm_last_try: bool = False,
    progress: ProgressCallback | None = None,
) -> BasicFour:
    """Select the AP, check the retry counter, verify the PIN once, read the four details."""
    session = KenmenHojoSession(connection)
    session.verify_pin(pin, confirm_last_try=confirm_last_try)
    return session.read_basic_four(progress)
