"""Base45 (RFC 9285): bytes as text in the 45 characters of the QR code's alphanumeric mode.

Alphanumeric mode stores 5.5 bits per character and carries no character set, so a scanner never has
to guess one (zbar guesses between UTF-8, Shift_JIS and ISO-8859-1 for byte-mode QR codes, and a
wrong guess corrupts Japanese text). Two bytes become three characters.
"""

from __future__ import annotations

import struct

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_INDEX = {ch: i for i, ch in enumerate(ALPHABET)}
_LOW = [ALPHABET[r % 45] + ALPHABET[r // 45] for r in range(45 * 45)]  # the first two characters of n


class Base45Error(ValueError):
    """Text that is not valid Base45."""


def b45encode(data: bytes) -> str:
    even = len(data) - len(data) % 2
    pairs = struct.unpack(f">{even // 2}H", data[:even])
    out = "".join([_LOW[n % 2025] + ALPHABET[n // 2025] for n in pairs])
    if len(data) % 2:
        d, c = divmod(data[-1], 45)
        out += ALPHABET[c] + ALPHABET[d]
    return out


def b45decode(text: str) -> bytes:
    try:
        values = [_INDEX[ch] for ch in text]
    except KeyError as exc:
        raise Base45Error(f"character {exc.args[0]!r} is not in the Base45 alphabet") from None
    if len(values) % 3 == 1:
        raise Base45Error("length leaves a single trailing character")
    out = bytearray()
    for i in range(0, len(values), 3):
        chunk = values[i : i + 3]
        if len(chunk) == 3:
            n = chunk[0] + chunk[1] * 45 + chunk[2] * 45 * 45
            if n > 0xFFFF:
                raise Base45Error("triplet out of range")
            out += n.to_bytes(2, "big")
        else:
            n = chunk[0] + chunk[1] * 45
            if n > 0xFF:
                raise Base45Error("final pair out of range")
            out.append(n)
    return bytes(out)
