"""Where the kiosk gets cards from: a PC/SC reader, or the demo card when there is no reader.

``counter_app.wiring.kiosk`` picks the implementation; everything above sees only :class:`CardSource`.
Each method opens and closes its own card connection (reset on close), so a PIN verification never
outlives a read.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Protocol

from card_reader.basic_four import BasicFour, Sex
from card_reader.errors import CardError, NoCardError
from card_reader.mynumber import KenmenHojoSession, PinStatus
from card_reader.pin import Pin
from card_reader.virtual import InProcessConnection, VirtualCardProfile, VirtualMyNumberCard

ProgressCallback = Callable[[str, float], None]


class CardSource(Protocol):
    name: str

    def wait_for_card(self, timeout: float | None = None) -> str:
        """Block until a card is present; returns the reader name. Raises NoCardError on timeout/cancel."""
        ...

    def wait_for_removal(self, timeout: float | None = None) -> None: ...

    def cancel(self) -> None:
        """Interrupt a wait from another thread."""
        ...

    def pin_status(self) -> PinStatus: ...

    def read(
        self, pin: Pin, *, confirm_last_try: bool, progress: ProgressCallback | None = None
    ) -> BasicFour: ...


def connected_readers() -> list[str]:
    """The PC/SC readers present now (for the settings screen); none when pyscard or the PC/SC service
    is missing."""
    try:
        from card_reader.pcsc import PcscContext
    except ImportError:
        return []
    try:
        with PcscContext() as context:
            return context.readers()
    except CardError:
        return []


class PcscCardSource:
    """A real reader through PC/SC (``reader`` = configured name, or any reader)."""

    def __init__(self, reader: str | None = None) -> None:
        from card_reader.pcsc import PcscContext

        self._context_type = PcscContext
        self.reader = reader
        self.name = reader or "PC/SC"
        self._waiting: PcscContext | None = None
        self._lock = threading.Lock()

    def wait_for_card(self, timeout: float | None = None) -> str:
        with self._context_type() as context:
            with self._lock:
                self._waiting = context
            try:
                state = context.wait_for_card(self.reader, timeout=timeout)
            finally:
                with self._lock:
                    self._waiting = None
        self.name = state.name
        return state.name

    def wait_for_removal(self, timeout: float | None = None) -> None:
        with self._context_type() as context:
            with self._lock:
                self._waiting = context
            try:
                context.wait_for_removal(self.name, timeout=timeout)
            finally:
                with self._lock:
                    self._waiting = None

    def cancel(self) -> None:
        with self._lock:
            if self._waiting is not None:
                self._waiting.cancel()

    def pin_status(self) -> PinStatus:
        with self._context_type() as context:
            state = context.pick_reader(self.reader)
            if not state.card_present:
                raise NoCardError("no card")
            with context.connect(state.name, exclusive=False) as connection:
                return KenmenHojoSession(connection).pin_status()

    def read(
        self, pin: Pin, *, confirm_last_try: bool, progress: ProgressCallback | None = None
    ) -> BasicFour:
        with self._context_type() as context:
            state = context.pick_reader(self.reader)
            if not state.card_present:
                raise NoCardError("no card")
            with context.connect(state.name) as connection:
                if progress:
                    progress("pin", 0.0)
                session = KenmenHojoSession(connection)
                session.verify_pin(pin, confirm_last_try=confirm_last_try)
                return session.read_basic_four(progress)


DEMO_PIN = "1234"
DEMO_HOUSEHOLD = (
    VirtualCardProfile(
        name="窓口\u3000花子",
        address="東京都みどり区本町一丁目２番３号",
        birth_date=dt.date(1988, 6, 12),
        sex=Sex.FEMALE,
        pin=DEMO_PIN,
    ),
)


class DemoCardSource:
    """The in-process virtual card with a sample resident, for training and counters without a reader.

    The card is "placed" as soon as the kiosk waits for one; the demo PIN is 1234.
    """

    def __init__(self, profile: VirtualCardProfile | None = None) -> None:
        self.card = VirtualMyNumberCard(profile or DEMO_HOUSEHOLD[0])
        self.name = "デモ用カード"
        self.present = threading.Event()
        self.present.set()
        self._cancel = threading.Event()

    def wait_for_card(self, timeout: float | None = None) -> str:
        self._cancel.clear()
        if not self.present.wait(timeout):
            raise NoCardError("timed out")
        if self._cancel.is_set():
            raise NoCardError("cancelled")
        return self.name

    def wait_for_removal(self, timeout: float | None = None) -> None:
        self.present.clear()

    def cancel(self) -> None:
        self._cancel.set()
        self.present.set()

    def pin_status(self) -> PinStatus:
        return KenmenHojoSession(InProcessConnection(self.card)).pin_status()

    def read(
        self, pin: Pin, *, confirm_last_try: bool, progress: ProgressCallback | None = None
    ) -> BasicFour:
        session = KenmenHojoSession(InProcessConnection(self.card))
        session.verify_pin(pin, confirm_last_try=confirm_last_try)
        return session.read_basic_four(progress)
