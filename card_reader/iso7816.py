"""ISO/IEC 7816-4 commands over a :class:`~card_reader.connection.Connection`.

Short APDUs only (Lc and Le of one byte), because several readers and the My Number card's
T=1 profile are only certified for those. 61xx is answered with GET RESPONSE, 6Cxx by re-sending
with the length the card asked for; failure status words become typed exceptions.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from card_reader.connection import Connection, Response
from card_reader.errors import (
    CardCommunicationError,
    FileNotFoundOnCardError,
    SecurityStatusNotSatisfiedError,
    StatusWordError,
    WrongLengthError,
)

log = logging.getLogger(__name__)

SW_OK = 0x9000
SW_END_OF_FILE = 0x6282  # fewer bytes than Le: warning, data is valid
SW_WRONG_LENGTH = 0x6700
SW_SECURITY_NOT_SATISFIED = 0x6982
SW_AUTH_METHOD_BLOCKED = 0x6983
SW_REFERENCE_DATA_UNUSABLE = 0x6984
SW_FILE_NOT_FOUND = 0x6A82
SW_WRONG_P1P2 = 0x6B00

INS_SELECT = 0xA4
INS_VERIFY = 0x20
INS_READ_BINARY = 0xB0
INS_GET_RESPONSE = 0xC0

MAX_SHORT_LE = 256  # Le byte 00
MAX_GET_RESPONSE_ROUNDS = 64


@dataclass(frozen=True, slots=True)
class VerifyStatus:
    """Result of a VERIFY: verified, or the retry counter the card reports."""

    verified: bool
    tries_left: int | None
    blocked: bool = False


def build_apdu(cla: int, ins: int, p1: int, p2: int, data: bytes = b"", le: int | None = None) -> bytes:
    """Encode a short command APDU. ``le=256`` is encoded as 00."""
    if len(data) > 255:
        raise ValueError("short APDUs carry at most 255 data bytes")
    apdu = bytes((cla, ins, p1, p2))
    if data:
        apdu += bytes((len(data),)) + data
    if le is not None:
        if not 1 <= le <= MAX_SHORT_LE:
            raise ValueError("Le must be 1..256 for a short APDU")
        apdu += bytes((le % 256,))
    return apdu


def describe_apdu(apdu: bytes) -> str:
    """A log-safe description of a command: header only, never the data field (it may be a PIN)."""
    if len(apdu) < 4:
        return f"APDU(len={len(apdu)})"
    return f"APDU({apdu[0]:02X} {apdu[1]:02X} {apdu[2]:02X} {apdu[3]:02X}, len={len(apdu)})"


def raise_for_status(sw: int, command: str) -> None:
    if sw in (SW_OK, SW_END_OF_FILE):
        return
    if sw == SW_FILE_NOT_FOUND:
        raise FileNotFoundOnCardError(sw, command)
    if sw == SW_SECURITY_NOT_SATISFIED:
        raise SecurityStatusNotSatisfiedError(sw, command)
    if sw == SW_WRONG_LENGTH or (sw >> 8) == 0x6C:
        raise WrongLengthError(sw, command)
    raise StatusWordError(sw, command)


class Iso7816:
    """ISO 7816-4 commands on one connection."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def send(self, apdu: bytes) -> Response:
        """Transmit, then resolve 61xx (GET RESPONSE) and 6Cxx (re-send with the right Le)."""
        log.debug("-> %s", describe_apdu(apdu))
        response = self.connection.transmit(apdu)
        if response.sw1 == 0x6C and len(apdu) >= 4:
            # Wrong Le: the card tells the exact length; re-send once with it.
            le = response.sw2 or MAX_SHORT_LE
            base = apdu[:-1] if _has_le(apdu) else apdu
            response = self.connection.transmit(base + bytes((le % 256,)))
        data = response.data
        rounds = 0
        while response.sw1 == 0x61:
            rounds += 1
            if rounds > MAX_GET_RESPONSE_ROUNDS:
                raise CardCommunicationError("too many GET RESPONSE rounds")
            le = response.sw2 or MAX_SHORT_LE
            response = self.connection.transmit(build_apdu(0x00, INS_GET_RESPONSE, 0, 0, le=le))
            data += response.data
        log.debug("<- SW=%04X len=%d", response.sw, len(data))
        return Response(data, response.sw1, response.sw2)

    def select_df_name(self, aid: bytes) -> None:
        """SELECT by DF name (P1=04), no response data requested (P2=0C)."""
        response = self.send(build_apdu(0x00, INS_SELECT, 0x04, 0x0C, aid))
        raise_for_status(response.sw, "SELECT DF")

    def select_ef(self, fid: int) -> None:
        """SELECT an EF under the current DF by its 2-byte identifier (P1=02, P2=0C)."""
        response = self.send(build_apdu(0x00, INS_SELECT, 0x02, 0x0C, fid.to_bytes(2, "big")))
        raise_for_status(response.sw, f"SELECT EF {fid:04X}")

    def verify_status(self, p2: int = 0x80) -> VerifyStatus:
        """VERIFY without data: asks the retry counter and spends no try."""
        response = self.send(build_apdu(0x00, INS_VERIFY, 0x00, p2))
        return self._verify_result(response.sw, "VERIFY (status)")

    def verify(self, pin_data: bytes, p2: int = 0x80) -> VerifyStatus:
        """VERIFY with reference data. The caller owns the safety checks (see ``mynumber``)."""
        response = self.send(build_apdu(0x00, INS_VERIFY, 0x00, p2, pin_data))
        return self._verify_result(response.sw, "VERIFY")

    @staticmethod
    def _verify_result(sw: int, command: str) -> VerifyStatus:
        if sw == SW_OK:
            return VerifyStatus(verified=True, tries_left=None)
        if (sw & 0xFFF0) == 0x63C0:
            tries = sw & 0x0F
            return VerifyStatus(verified=False, tries_left=tries, blocked=tries == 0)
        if sw in (SW_AUTH_METHOD_BLOCKED, SW_REFERENCE_DATA_UNUSABLE):
            return VerifyStatus(verified=False, tries_left=0, blocked=True)
        raise_for_status(sw, command)
        raise StatusWordError(sw, command)  # pragma: no cover - raise_for_status always raises here

    def read_binary(self, offset: int, length: int) -> bytes:
        """READ BINARY of up to ``length`` bytes from ``offset`` of the current EF, in short chunks.

        Stops early when the card reports the end of the file (6282 or fewer bytes than asked).
        """
        if offset < 0 or offset > 0x7FFF:
            raise ValueError("READ BINARY offset must fit 15 bits")
        out = bytearray()
        while len(out) < length:
            chunk = min(MAX_SHORT_LE, length - len(out))
            pos = offset + len(out)
            response = self.send(build_apdu(0x00, INS_READ_BINARY, pos >> 8, pos & 0xFF, le=chunk))
            raise_for_status(response.sw, "READ BINARY")
            out += response.data
            if response.sw == SW_END_OF_FILE or len(response.data) < chunk or not response.data:
                break
        return bytes(out[:length])


def _has_le(apdu: bytes) -> bool:
    """Whether a short APDU ends with an Le byte (case 2 or case 4)."""
    if len(apdu) == 5:
        return True  # case 2: header + Le
    if len(apdu) > 5:
        return len(apdu) == 5 + apdu[4] + 1  # case 4: header + Lc + data + Le
    return False
