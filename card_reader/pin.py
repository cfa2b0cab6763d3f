"""The 4-digit PIN of the 券面事項入力補助AP, kept out of every repr, str and log line."""

from __future__ import annotations

from card_reader.errors import PinFormatError

PIN_LENGTH = 4


class Pin:
    """A PIN that never shows itself.

    ``repr()`` and ``str()`` give ``Pin(****)``; the digits leave the object only through
    :meth:`to_apdu_data`, which the VERIFY command calls. Pickling is refused so the PIN cannot be
    persisted by accident.
    """

    __slots__ = ("_digits",)

    def __init__(self, digits: str) -> None:
        if len(digits) != PIN_LENGTH or not all("0" <= c <= "9" for c in digits):
            # Never echo the rejected input: it may be a real PIN with a typo.
            raise PinFormatError("暗証番号は数字4桁です")
        self._digits = digits.encode("ascii")

    def to_apdu_data(self) -> bytes:
        return self._digits

    def __repr__(self) -> str:
        return "Pin(****)"

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return repr(self)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Pin) and other._digits == self._digits

    def __hash__(self) -> int:
        return hash(self._digits)

    def __reduce__(self) -> str:
        raise TypeError("a PIN is never serialised")
