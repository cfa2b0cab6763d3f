"""Input devices of the counter: the My Number card over PC/SC, QR codes, and a virtual card.

Layers, lowest first (after yubikey-manager's ``yubikit``):

* :mod:`card_reader.connection` — one method, ``transmit(apdu) -> Response``; PC/SC and in-process
  implementations.
* :mod:`card_reader.iso7816` — SELECT / VERIFY / READ BINARY, 61xx / 6Cxx, status words as typed errors.
* :mod:`card_reader.mynumber` — the 券面事項入力補助AP session: PIN retry counter, verify, read the four
  basic details.
* :mod:`card_reader.basic_four` — the typed four details and the EF 0002 parser / encoder.
* :mod:`card_reader.virtual` — a virtual My Number card (in-process and as a vpcd client).
* :mod:`card_reader.pcsc` — the only module that imports pyscard.
"""

from card_reader.basic_four import BasicFour, Sex, decode_basic_four, encode_basic_four
from card_reader.errors import (
    CardError,
    CardRemovedError,
    LastTryConfirmationRequired,
    MalformedCardDataError,
    NoCardError,
    NoReaderError,
    NotMyNumberCardError,
    PcscUnavailableError,
    PinLockedError,
    WrongPinError,
)
from card_reader.pin import Pin

__all__ = [
    "BasicFour",
    "CardError",
    "CardRemovedError",
    "LastTryConfirmationRequired",
    "MalformedCardDataError",
    "NoCardError",
    "NoReaderError",
    "NotMyNumberCardError",
    "PcscUnavailableError",
    "Pin",
    "PinLockedError",
    "Sex",
    "WrongPinError",
    "decode_basic_four",
    "encode_basic_four",
]
