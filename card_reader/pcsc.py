"""PC/SC readers through pyscard — the only module that imports ``smartcard``.

Uses pyscard's thin ``smartcard.scard`` layer so that every failure arrives as a PC/SC return code,
translated here into :mod:`card_reader.errors`. Waiting for a card (or for its removal) blocks in
``SCardGetStatusChange`` inside pcscd: no polling loop in this process.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from smartcard import scard

from card_reader.connection import Response
from card_reader.errors import (
    CardCommunicationError,
    CardError,
    CardRemovedError,
    NoCardError,
    NoReaderError,
    PcscUnavailableError,
)

log = logging.getLogger(__name__)

PNP_NOTIFICATION = "\\\\?PnP?\\Notification"
_WAIT_SLICE_MS = 1000  # a blocking wait is cut in slices so Ctrl-C and cancellation are honoured
REMOVAL_GRACE = 1.5  # seconds a reader may take to report a card pulled mid-command

_NO_SERVICE = {scard.SCARD_E_NO_SERVICE, scard.SCARD_E_SERVICE_STOPPED}
_REMOVED = {
    scard.SCARD_W_REMOVED_CARD,
    scard.SCARD_E_NO_SMARTCARD,
    scard.SCARD_W_RESET_CARD,
    scard.SCARD_W_UNPOWERED_CARD,
    scard.SCARD_W_UNRESPONSIVE_CARD,
}


def _describe(hresult: int) -> str:
    try:
        return str(scard.SCardGetErrorMessage(hresult))
    except Exception:  # pragma: no cover - message lookup only
        return f"0x{hresult & 0xFFFFFFFF:08X}"


@dataclass(frozen=True, slots=True)
class ReaderState:
    name: str
    card_present: bool
    atr: bytes


class PcscContext:
    """One PC/SC context: list readers, wait for cards, connect."""

    def __init__(self) -> None:
        hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
        if hresult != scard.SCARD_S_SUCCESS:
            raise PcscUnavailableError(f"SCardEstablishContext: {_describe(hresult)}")
        self._context = context
        self._cancelled = False

    def close(self) -> None:
        if self._context is not None:
            scard.SCardReleaseContext(self._context)
            self._context = None

    def __enter__(self) -> PcscContext:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def cancel(self) -> None:
        """Interrupt a wait from another thread."""
        self._cancelled = True
        scard.SCardCancel(self._context)

    def readers(self) -> list[str]:
        hresult, readers = scard.SCardListReaders(self._context, [])
        if hresult == scard.SCARD_E_NO_READERS_AVAILABLE:
            return []
        if hresult in _NO_SERVICE:
            raise PcscUnavailableError(f"SCardListReaders: {_describe(hresult)}")
        if hresult != scard.SCARD_S_SUCCESS:
            raise CardCommunicationError(f"SCardListReaders: {_describe(hresult)}")
        return list(readers)

    def states(self, readers: list[str] | None = None) -> list[ReaderState]:
        names = self.readers() if readers is None else readers
        if not names:
            return []
        hresult, states = scard.SCardGetStatusChange(
            self._context, 0, [(name, scard.SCARD_STATE_UNAWARE) for name in names]
        )
        if hresult in _NO_SERVICE:
            raise PcscUnavailableError(f"SCardGetStatusChange: {_describe(hresult)}")
        if hresult != scard.SCARD_S_SUCCESS:
            raise CardCommunicationError(f"SCardGetStatusChange: {_describe(hresult)}")
        return [
            ReaderState(name, bool(event & scard.SCARD_STATE_PRESENT), bytes(atr))
            for name, event, atr in states
        ]

    def pick_reader(self, wanted: str | None = None) -> ReaderState:
        """The reader named ``wanted`` (exact, else unique case-insensitive substring), else the first
        reader holding a card, else the first reader."""
        states = self.states()
        if not states:
            raise NoReaderError(wanted, ())
        names = tuple(s.name for s in states)
        if wanted:
            exact = [s for s in states if s.name == wanted]
            if exact:
                return exact[0]
            partial = [s for s in states if wanted.casefold() in s.name.casefold()]
            if len(partial) == 1:
                return partial[0]
            raise NoReaderError(wanted, names)
        with_card = [s for s in states if s.card_present]
        return with_card[0] if with_card else states[0]

    def wait_for_card(self, wanted: str | None = None, timeout: float | None = None) -> ReaderState:
        """Block until a card is on the chosen reader (or on any reader). Raises :class:`NoCardError`
        on timeout. Readers plugged in during the wait are noticed."""
        return self._wait(wanted, timeout, want_present=True)

    def wait_for_removal(self, reader: str, timeout: float | None = None) -> None:
        """Block until the card on ``reader`` is taken off."""
        self._wait(reader, timeout, want_present=False)

    def _wait(self, wanted: str | None, timeout: float | None, *, want_present: bool) -> ReaderState:
        deadline = None if timeout is None else time.monotonic() + timeout
        self._cancelled = False
        known: dict[str, int] = {}
        while True:
            states = self.states()
            candidates = [
                s
                for s in states
                if wanted is None or s.name == wanted or (wanted.casefold() in s.name.casefold())
            ]
            for state in candidates:
                if state.card_present == want_present:
                    return state
            remaining_ms = _WAIT_SLICE_MS
            if deadline is not None:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise NoCardError(
                        "timed out waiting for the card" if want_present else "card still present"
                    )
                remaining_ms = max(1, min(_WAIT_SLICE_MS, int(remaining * 1000)))
            watch = [(PNP_NOTIFICATION, known.get(PNP_NOTIFICATION, scard.SCARD_STATE_UNAWARE))]
            watch += [(s.name, known.get(s.name, scard.SCARD_STATE_UNAWARE)) for s in candidates]
            hresult, new_states = scard.SCardGetStatusChange(self._context, remaining_ms, watch)
            if hresult == scard.SCARD_E_CANCELLED or self._cancelled:
                raise NoCardError("waiting for the card was cancelled")
            if hresult in _NO_SERVICE:
                raise PcscUnavailableError(f"SCardGetStatusChange: {_describe(hresult)}")
            if hresult not in (scard.SCARD_S_SUCCESS, scard.SCARD_E_TIMEOUT, scard.SCARD_E_UNKNOWN_READER):
                raise CardCommunicationError(f"SCardGetStatusChange: {_describe(hresult)}")
            if hresult == scard.SCARD_S_SUCCESS:
                known = {name: event & ~scard.SCARD_STATE_CHANGED for name, event, _atr in new_states}

    def connect(self, reader: str, *, exclusive: bool = True) -> PcscConnection:
        share = scard.SCARD_SHARE_EXCLUSIVE if exclusive else scard.SCARD_SHARE_SHARED
        hresult, hcard, protocol = scard.SCardConnect(
            self._context, reader, share, scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1
        )
        if hresult in _NO_SERVICE:
            raise PcscUnavailableError(f"SCardConnect: {_describe(hresult)}")
        if hresult in _REMOVED:
            raise NoCardError(f"no card in {reader}")
        if hresult == scard.SCARD_E_UNKNOWN_READER:
            raise NoReaderError(reader, tuple(self.readers()))
        if hresult == scard.SCARD_E_SHARING_VIOLATION:
            raise CardCommunicationError("the card is in use by another program")
        if hresult != scard.SCARD_S_SUCCESS:
            raise CardCommunicationError(f"SCardConnect: {_describe(hresult)}")
        return PcscConnection(self, reader, hcard, protocol)


class PcscConnection:
    """A :class:`~card_reader.connection.Connection` to the card in one PC/SC reader."""

    def __init__(self, context: PcscContext, reader: str, hcard: int, protocol: int) -> None:
        self.context = context
        self.reader = reader
        self._hcard: int | None = hcard
        self._protocol = protocol

    def transmit(self, apdu: bytes) -> Response:
        if self._hcard is None:
            raise CardError("the connection is closed")
        hresult, response = scard.SCardTransmit(self._hcard, self._protocol, list(apdu))
        if hresult != scard.SCARD_S_SUCCESS:
            raise self._translate(hresult, "SCardTransmit")
        if len(response) < 2:
            # No status word at all: vpcd answers so when the card left mid-command.
            raise self._translate(None, "SCardTransmit (empty response)")
        return Response.from_bytes(bytes(response))

    def _translate(self, hresult: int | None, what: str) -> CardError:
        detail = what if hresult is None else f"{what}: {_describe(hresult)}"
        if hresult in _NO_SERVICE:
            return PcscUnavailableError(detail)
        if hresult in _REMOVED:
            return CardRemovedError(detail)
        # A transfer that failed because the card left looks like NOT_TRANSACTED or a comm error on
        # some readers (vpcd among them), and the reader reports the removal a moment later: give it
        # up to REMOVAL_GRACE seconds (blocking in SCardGetStatusChange, not polling).
        try:
            self.context.wait_for_removal(self.reader, timeout=REMOVAL_GRACE)
        except NoCardError:
            return CardCommunicationError(detail)
        except CardError:
            pass
        return CardRemovedError(detail)

    def close(self) -> None:
        """Disconnect and reset the card, so its PIN verification does not outlive this read."""
        if self._hcard is not None:
            scard.SCardDisconnect(self._hcard, scard.SCARD_RESET_CARD)
            self._hcard = None

    def __enter__(self) -> PcscConnection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
