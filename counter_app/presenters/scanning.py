"""QR codes from scanners and image files, for the widgets that receive them (no Qt here).

The widgets hand over what they get — greyscale camera frames, the keys of a keyboard-wedge scanner,
image files — and these turn it into payloads for :class:`~counter_app.presenters.kiosk.KioskPresenter`
with the decoders of ``card_reader.qr`` and the pre-fill format's wedge prefixes.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from card_reader.errors import CardError
from card_reader.wedge import WedgeDetector
from counter_app.presenters.kiosk import KioskPresenter
from counter_app.presenters.messages import clerk_message
from procedures.prefill import WEDGE_PREFIXES

if TYPE_CHECKING:  # zbar/zxing and Pillow load with the first frame or file, not with the window
    from card_reader.qr import FrameDecoder

log = logging.getLogger(__name__)

PREFIXES = WEDGE_PREFIXES  # the pre-fill format (docs/qr-format.md), also when Caps Lock / layout garble it


class UnreadableFrameError(Exception):
    """A camera frame the decoders could not read; ``text`` is the clerk's line."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


class FrameReader:
    """The QR payloads in greyscale (``Y800``) frames; one per thread (a decoder is not shared)."""

    def __init__(self) -> None:
        self._decoder: FrameDecoder | None = None

    def payloads(self, luma: bytes, width: int, height: int, stride: int) -> list[bytes]:
        """The payloads in one frame (often none); :class:`UnreadableFrameError` when it cannot be read."""
        try:
            if self._decoder is None:
                from card_reader.qr import FrameDecoder

                self._decoder = FrameDecoder()
            return self._decoder.decode(luma, width, height, "Y800", stride)
        except (CardError, OSError, ValueError) as exc:
            log.warning("camera frame not decoded: %s", type(exc).__name__)
            raise UnreadableFrameError(clerk_message(exc).text) from exc

    def close(self) -> None:
        if self._decoder is not None:
            self._decoder.close()
            self._decoder = None


def wedge_detector() -> WedgeDetector:
    """Tells a scanner's burst (a pre-fill prefix … Enter, LF or Tab) from a person typing."""
    return WedgeDetector(PREFIXES)


def scan_files(kiosk: KioskPresenter, paths: Iterable[str]) -> None:
    """The QR codes in image files (a photo or a screenshot sent by the resident) into the visit."""
    for path in paths:
        try:
            from card_reader.qr import decode_file

            payloads = decode_file(path)
        except (CardError, OSError) as exc:
            kiosk.report_error(clerk_message(exc).text)
            return
        for payload in payloads:
            kiosk.qr_scanned(payload)
