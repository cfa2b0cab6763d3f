"""The connection interface: transmit one APDU, get data and a status word back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from card_reader.errors import CardCommunicationError


@dataclass(frozen=True, slots=True)
class Response:
    """A response APDU: data field and the two status bytes."""

    data: bytes
    sw1: int
    sw2: int

    @property
    def sw(self) -> int:
        return (self.sw1 << 8) | self.sw2

    @classmethod
    def from_bytes(cls, raw: bytes) -> Response:
        if len(raw) < 2:
            raise CardCommunicationError(f"response too short ({len(raw)} bytes)")
        return cls(bytes(raw[:-2]), raw[-2], raw[-1])

    def to_bytes(self) -> bytes:
        return self.data + bytes((self.sw1, self.sw2))

    def __repr__(self) -> str:
        # Data may hold card-holder details: show only its length.
        return f"Response(len={len(self.data)}, sw={self.sw:04X})"


@runtime_checkable
class Connection(Protocol):
    """A channel to one card. Implementations: PC/SC (pyscard) and in-process (virtual card)."""

    def transmit(self, apdu: bytes) -> Response:
        """Send one command APDU and return the card's response.

        Raises :class:`card_reader.errors.CardRemovedError` when the card is gone and
        :class:`card_reader.errors.CardCommunicationError` for other transport failures.
        """
        ...

    def close(self) -> None:
        """Release the card."""
        ...
