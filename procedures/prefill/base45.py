"""Base45 (RFC 9285), the text form of every pre-fill QR part.

Base45 uses exactly the 45 characters of the QR code's alphanumeric mode, so the symbol carries no
character set (a camera decoder never guesses one) and a keyboard-wedge scanner types nothing but
digits, capital letters and ``space $ % * + - . / :``. Two bytes become three characters.

``procedures`` may not import ``forms`` (which has its own codec for the back-office code), so the
pre-fill format keeps this small one; both follow the RFC and its test vectors.
"""

from __future__ import annotations

from typing import Final

ALPHABET: Final = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_VALUE: Final = {char: value for value, char in enumerate(ALPHABET)}


class Base45Error(ValueError):
    """Text that is not Base45; ``position`` is the 0-based index of the first bad character."""

    def __init__(self, reason: str, position: int | None = None) -> None:
        self.reason = reason
        self.position = position
        super().__init__(reason if position is None else f"{reason} (at {position})")


def encode(data: bytes) -> str:
    """``data`` as Base45 text (little-endian digits of each big-endian byte pair)."""
    chars: list[str] = []
    pairs, odd = divmod(len(data), 2)
    for i in range(pairs):
        number = int.from_bytes(data[2 * i : 2 * i + 2], "big")
        for _ in range(3):
            number, digit = divmod(number, 45)
            chars.append(ALPHABET[digit])
    if odd:
        high, low = divmod(data[-1], 45)
        chars += (ALPHABET[low], ALPHABET[high])
    return "".join(chars)


def decode(text: str) -> bytes:
    """The bytes of Base45 ``text``; :class:`Base45Error` for a foreign character or a bad length."""
    digits: list[int] = []
    for position, char in enumerate(text):
        value = _VALUE.get(char)
        if value is None:
            raise Base45Error("character outside the Base45 alphabet", position)
        digits.append(value)
    if len(digits) % 3 == 1:
        raise Base45Error("a lone trailing character")
    out = bytearray()
    for start in range(0, len(digits), 3):
        group = digits[start : start + 3]
        number = sum(d * 45**k for k, d in enumerate(group))
        width = len(group) - 1  # 3 characters carry 2 bytes, 2 characters carry 1
        if number >= 1 << (8 * width):
            raise Base45Error("a character group out of range", start)
        out += number.to_bytes(width, "big")
    return bytes(out)
