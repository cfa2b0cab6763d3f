"""A virtual My Number card with JICSAP semantics, for tests, the demo and staff training.

:class:`VirtualMyNumberCard` answers APDUs like the 券面事項入力補助AP of a real card:

* SELECT by DF name (P1=04) of the 券面事項入力補助AP, other names → 6A82;
* SELECT EF (P1=02) 0001, 0002, 0003, 0011 inside the AP, others → 6A82;
* VERIFY on EF 0011: empty → 63Cx (or 9000 once verified); wrong PIN counts down 63C2, 63C1, 63C0;
  then 6984 for every VERIFY;
* READ BINARY honours offset and Le; past the end → 6B00; fewer bytes than Le → data + 6282;
  EF 0001 / 0002 / 0003 before verification → 6982.

It runs in-process (:class:`InProcessConnection`) or as a TCP client of the ``vsmartcard-vpcd``
driver of pcscd (:class:`VpcdCardClient`), so pyscard talks to it through a real pcscd. Every APDU
it received is recorded in :attr:`VirtualMyNumberCard.received`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from card_reader.basic_four import Sex, encode_basic_four
from card_reader.connection import Response
from card_reader.errors import CardCommunicationError, CardRemovedError
from card_reader.mynumber import EF_BASIC_FOUR, EF_PIN, KENMEN_HOJO_AID, PIN_MAX_TRIES

log = logging.getLogger(__name__)

EF_MY_NUMBER = 0x0001
EF_INTEGRITY = 0x0003
# ATR of a My Number card as reported by PC/SC readers (T=1, historical bytes "EF" — not checked
# by anything here; cards are recognised by SELECT of the AP).
MYNUMBER_ATR = bytes.fromhex("3BE000FF8131FE4514")
VPCD_DEFAULT_PORT = 35963
SAMPLE_PIN = "1234"

_SW_OK = b"\x90\x00"


def _sw(value: int) -> bytes:
    return value.to_bytes(2, "big")


@dataclass
class VirtualCardProfile:
    """What the virtual card holds. The PIN lives only in the emulator, never in a log."""

    name: str = "黒桐\u3000幹也"
    address: str = "東京都清瀬市観布子南１２－７－２０２"
    birth_date: dt.date = dt.date(1980, 2, 17)
    sex: Sex = Sex.MALE
    pin: str = SAMPLE_PIN
    tries_left: int = PIN_MAX_TRIES
    outer_long_form: int = 0
    filler: int = 16
    basic_four_override: bytes | None = None  # raw EF 0002 bytes, e.g. a broken dump

    def __repr__(self) -> str:
        return f"VirtualCardProfile(<redacted>, tries_left={self.tries_left})"

    def basic_four_bytes(self) -> bytes:
        if self.basic_four_override is not None:
            return self.basic_four_override
        return encode_basic_four(
            self.name,
            self.address,
            self.birth_date,
            self.sex,
            outer_long_form=self.outer_long_form,
            filler=self.filler,
        )


@dataclass
class VirtualMyNumberCard:
    """The card's state machine. Thread-safe: vpcd and the test may touch it from two threads."""

    profile: VirtualCardProfile = field(default_factory=VirtualCardProfile)
    wrong_length_style: bool = False  # answer 6Cxx instead of 6282 when Le exceeds the file
    get_response_style: bool = False  # answer 61xx and hand data out through GET RESPONSE (T=0 style)
    on_apdu: Callable[[bytes], None] | None = None  # test hook, called before each APDU is answered
    received: list[bytes] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._files = {
            EF_MY_NUMBER: b"\xff\x10\x0c" + b"000000000000",  # never read by Madoguchi; a test value
            EF_BASIC_FOUR: self.profile.basic_four_bytes(),
            EF_INTEGRITY: b"\x30\x00",
        }
        self._pending: bytes = b""
        self.reset()

    def reset(self) -> None:
        """Power cycle: selection and verification are lost, the retry counter is kept."""
        with self._lock:
            self._ap_selected = False
            self._ef: int | None = None
            self._verified = False
            self._pending = b""

    @property
    def tries_left(self) -> int:
        return self.profile.tries_left

    @property
    def atr(self) -> bytes:
        return MYNUMBER_ATR

    def selected_files(self) -> list[int]:
        """Every EF id named by a SELECT EF this card received."""
        return [
            int.from_bytes(apdu[5:7], "big")
            for apdu in self.received
            if len(apdu) >= 7 and apdu[1] == 0xA4 and apdu[2] == 0x02
        ]

    def process(self, apdu: bytes) -> bytes:
        if self.on_apdu is not None:
            self.on_apdu(apdu)
        with self._lock:
            self.received.append(bytes(apdu))
            response = self._dispatch(bytes(apdu))
            is_get_response = len(apdu) >= 2 and apdu[1] == 0xC0
            if (
                self.get_response_style
                and not is_get_response
                and len(response) > 2
                and response[-2:] == _SW_OK
            ):
                self._pending = response[:-2]
                return bytes((0x61, len(self._pending) % 256))
            return response

    # --- command handlers -------------------------------------------------------------------
    def _dispatch(self, apdu: bytes) -> bytes:
        if len(apdu) < 4:
            return _sw(0x6700)
        cla, ins, p1, p2 = apdu[:4]
        if cla != 0x00:
            return _sw(0x6E00)
        body = apdu[4:]
        lc_data, le = _split_body(body)
        if lc_data is None:
            return _sw(0x6700)
        handlers = {
            0xA4: self._select,
            0x20: self._verify,
            0xB0: self._read_binary,
            0xC0: self._get_response,
        }
        handler = handlers.get(ins)
        if handler is None:
            return _sw(0x6D00)
        return handler(p1, p2, lc_data, le)

    def _select(self, p1: int, p2: int, data: bytes, le: int | None) -> bytes:
        if p1 == 0x04:
            self._ap_selected = data == KENMEN_HOJO_AID
            self._ef = None
            self._verified = False
            return _SW_OK if self._ap_selected else _sw(0x6A82)
        if p1 == 0x02 and len(data) == 2:
            fid = int.from_bytes(data, "big")
            if not self._ap_selected or fid not in (*self._files, EF_PIN):
                return _sw(0x6A82)
            self._ef = fid
            return _SW_OK
        return _sw(0x6A86)

    def _verify(self, p1: int, p2: int, data: bytes, le: int | None) -> bytes:
        if p1 != 0x00 or p2 != 0x80:
            return _sw(0x6A86)
        if not self._ap_selected or self._ef != EF_PIN:
            return _sw(0x6986)  # command not allowed: no current EF
        profile = self.profile
        if not data:
            if self._verified:
                return _SW_OK
            return _sw(0x63C0 | profile.tries_left)
        if profile.tries_left == 0:
            return _sw(0x6984)
        if data == profile.pin.encode("ascii"):
            profile.tries_left = PIN_MAX_TRIES
            self._verified = True
            return _SW_OK
        profile.tries_left -= 1
        self._verified = False
        return _sw(0x63C0 | profile.tries_left)

    def _read_binary(self, p1: int, p2: int, data: bytes, le: int | None) -> bytes:
        if p1 & 0x80:
            return _sw(0x6981)  # short EF id addressing is not offered
        if self._ef is None or self._ef == EF_PIN:
            return _sw(0x6986)
        if not self._verified:
            return _sw(0x6982)
        content = self._files[self._ef]
        offset = (p1 << 8) | p2
        wanted = 256 if le is None or le == 0 else le
        if offset > len(content) or (offset == len(content) and offset > 0):
            return _sw(0x6B00)
        chunk = content[offset : offset + wanted]
        if len(chunk) < wanted:
            if self.wrong_length_style:
                return _sw(0x6C00 | (len(chunk) % 256))
            return chunk + _sw(0x6282)
        return chunk + _SW_OK

    def _get_response(self, p1: int, p2: int, data: bytes, le: int | None) -> bytes:
        if not self._pending:
            return _sw(0x6985)
        wanted = 256 if le is None or le == 0 else le
        chunk, self._pending = self._pending[:wanted], self._pending[wanted:]
        if self._pending:
            return chunk + bytes((0x61, len(self._pending) % 256))
        return chunk + _SW_OK


def _split_body(body: bytes) -> tuple[bytes | None, int | None]:
    """Split a short APDU body into (data, Le). Returns (None, None) when malformed."""
    if not body:
        return b"", None
    if len(body) == 1:
        return b"", body[0]
    lc = body[0]
    if lc == 0:
        return None, None  # extended APDUs are not supported by this card profile
    if len(body) == 1 + lc:
        return body[1:], None
    if len(body) == 2 + lc:
        return body[1 : 1 + lc], body[-1]
    return None, None


class VirtualCard(Protocol):
    """What a reader needs of an emulated card: an ATR, a reset, and an APDU answer."""

    @property
    def atr(self) -> bytes: ...

    def reset(self) -> None: ...

    def process(self, apdu: bytes) -> bytes: ...


class InProcessConnection:
    """A :class:`~card_reader.connection.Connection` straight to a virtual card in this process."""

    def __init__(self, card: VirtualCard) -> None:
        self.card = card
        self.present = True
        card.reset()

    def remove(self) -> None:
        self.present = False

    def transmit(self, apdu: bytes) -> Response:
        if not self.present:
            raise CardRemovedError("the virtual card was removed")
        return Response.from_bytes(self.card.process(apdu))

    def close(self) -> None:
        self.present = False


# --- vpcd --------------------------------------------------------------------------------------
VPCD_POWER_OFF = 0
VPCD_POWER_ON = 1
VPCD_RESET = 2
VPCD_GET_ATR = 4


class VpcdCardClient:
    """Connects a virtual card to pcscd's ``vsmartcard-vpcd`` driver (the card is the TCP client).

    Connecting is inserting the card; :meth:`remove` closes the socket, which pcscd sees as the card
    taken off the reader. Each message is a 2-byte big-endian length and a payload: one control
    byte (0 off, 1 on, 2 reset, 4 ATR) or a command APDU.
    """

    def __init__(
        self,
        card: VirtualCard,
        host: str = "127.0.0.1",
        port: int = VPCD_DEFAULT_PORT,
        *,
        low_latency: bool = True,
    ) -> None:
        """``low_latency=False`` leaves Nagle and delayed ACKs on (only the benchmark wants that)."""
        self.card = card
        self.low_latency = low_latency
        self.host = host
        self.port = port
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self.connected = threading.Event()

    def insert(self, timeout: float = 10.0) -> None:
        """Connect to vpcd (retrying until ``timeout`` while pcscd starts) and serve in a thread."""
        deadline = time.monotonic() + timeout
        last_error: OSError | None = None
        while time.monotonic() < deadline:
            try:
                sock = socket.create_connection((self.host, self.port), timeout=2.0)
                break
            except OSError as exc:
                last_error = exc
                self._stop.wait(0.1)
        else:
            raise CardCommunicationError(f"vpcd is not listening on {self.host}:{self.port}: {last_error}")
        sock.settimeout(None)
        if self.low_latency:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._sock = sock
        self._stop.clear()
        self.card.reset()
        self.connected.set()
        self._thread = threading.Thread(target=self._serve, name="vpcd-card", daemon=True)
        self._thread.start()

    def remove(self) -> None:
        """Take the card off the reader."""
        self._stop.set()
        sock, self._sock = self._sock, None
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=5)
        self.connected.clear()

    def serve_forever(self) -> None:
        """Serve in the calling thread until the connection ends (used by ``madoguchi card emulate``)."""
        if self._thread is not None:
            self._thread.join()

    def _serve(self) -> None:
        sock = self._sock
        assert sock is not None
        try:
            while not self._stop.is_set():
                message = _recv_message(sock, self.low_latency)
                if message is None:
                    break
                reply = self._handle(message)
                if reply is not None:
                    sock.sendall(struct.pack(">H", len(reply)) + reply)
        except OSError as exc:
            if not self._stop.is_set():
                log.warning("vpcd connection ended: %s", exc)
        finally:
            self.connected.clear()

    def _handle(self, message: bytes) -> bytes | None:
        if len(message) == 1:
            code = message[0]
            if code in (VPCD_POWER_OFF, VPCD_POWER_ON, VPCD_RESET):
                self.card.reset()
                return None
            if code == VPCD_GET_ATR:
                return self.card.atr
            log.warning("unknown vpcd control code %d", code)
            return None
        return self.card.process(message)


def _recv_exact(sock: socket.socket, n: int, quickack: bool) -> bytes | None:
    buf = bytearray()
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            return None
        buf += chunk
    if quickack:
        _quickack(sock)
    return bytes(buf)


def _recv_message(sock: socket.socket, quickack: bool) -> bytes | None:
    header = _recv_exact(sock, 2, quickack)
    if header is None:
        return None
    (length,) = struct.unpack(">H", header)
    return _recv_exact(sock, length, quickack) if length else b""


def _quickack(sock: socket.socket) -> None:
    # Linux resets TCP_QUICKACK after use; without it every APDU waits for a delayed ACK (~40 ms).
    quickack = getattr(socket, "TCP_QUICKACK", None)
    if quickack is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.IPPROTO_TCP, quickack, 1)
