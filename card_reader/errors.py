"""Typed errors of the card layer.

Every error derives from :class:`CardError`. Subclasses carry data (status word, tries left), never a
PIN and never card-holder data, so they are safe to log. ``counter_app.presenters.messages`` turns them
into the Japanese line a clerk reads.
"""

from __future__ import annotations


class CardError(Exception):
    """Base of every error raised by :mod:`card_reader`."""


class PcscUnavailableError(CardError):
    """The PC/SC service (pcscd / Windows Smart Card service) cannot be reached."""


class NoReaderError(CardError):
    """No card reader is connected, or none matches the requested name."""

    def __init__(self, wanted: str | None = None, available: tuple[str, ...] = ()) -> None:
        self.wanted = wanted
        self.available = available
        super().__init__(f"no reader (wanted={wanted!r}, available={list(available)!r})")


class NoCardError(CardError):
    """The reader holds no card (or the wait for one timed out)."""


class CardRemovedError(CardError):
    """The card was taken off the reader while it was being used."""


class CardCommunicationError(CardError):
    """The reader or the card did not answer as the protocol requires."""


class StatusWordError(CardError):
    """The card answered with a status word that means failure."""

    def __init__(self, sw: int, command: str = "") -> None:
        self.sw = sw
        self.command = command
        super().__init__(f"{command} failed: SW={sw:04X}" if command else f"SW={sw:04X}")


class FileNotFoundOnCardError(StatusWordError):
    """6A82: the application or file does not exist on this card."""


class SecurityStatusNotSatisfiedError(StatusWordError):
    """6982: the file needs a verified PIN first."""


class WrongLengthError(StatusWordError):
    """6700 / 6Cxx that could not be recovered."""


class NotMyNumberCardError(CardError):
    """The card has no 券面事項入力補助AP: it is not a My Number card."""


class PinFormatError(CardError, ValueError):
    """The PIN is not exactly four ASCII digits. The message never contains the PIN."""


class WrongPinError(CardError):
    """The card refused the PIN; ``tries_left`` tries remain (at least 1)."""

    def __init__(self, tries_left: int) -> None:
        self.tries_left = tries_left
        super().__init__(f"wrong PIN, {tries_left} tries left")


class PinLockedError(CardError):
    """The PIN is blocked (63C0, 6983, 6984). Only the municipal office can unlock it.

    ``just_locked`` is true when the PIN just sent used up the last try.
    """

    def __init__(self, just_locked: bool = False) -> None:
        self.just_locked = just_locked
        super().__init__("PIN locked" + (" by the last wrong PIN" if just_locked else ""))


class LastTryConfirmationRequired(CardError):
    """Only one try is left: the PIN is not sent unless the caller confirms explicitly."""

    def __init__(self, tries_left: int = 1) -> None:
        self.tries_left = tries_left
        super().__init__(f"only {tries_left} PIN try left; explicit confirmation required")


class MalformedCardDataError(CardError):
    """EF 0002 (or another file) does not have the structure the standard requires."""

    def __init__(self, reason: str, offset: int | None = None) -> None:
        self.reason = reason
        self.offset = offset
        where = f" at byte {offset}" if offset is not None else ""
        super().__init__(f"malformed card data{where}: {reason}")
