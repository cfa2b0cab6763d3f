"""QR codes in images, decoded to their raw payload bytes. The only module that imports pyzbar.

zbar, by default, guesses a character set for byte-mode QR codes (UTF-8, Shift_JIS, ISO-8859-1) and
converts the payload to UTF-8 text — a wrong guess corrupts Japanese text and binary payloads alike.
This module sets zbar's ``ZBAR_CFG_BINARY`` option on the QR symbology, so the bytes come back
exactly as they were encoded; interpreting them (a pre-fill payload, the back-office code of a printed
form) is the caller's business.

``ZBAR_CFG_BINARY`` appeared in zbar 0.23 (Debian 12 ships 0.23.92) as value 4, between
``ZBAR_CFG_ASCII`` (3) and ``ZBAR_CFG_NUM``; pyzbar's own enum predates it, so it is defined here.
A zbar too old to know it refuses the setting, and :func:`decode_image` says so instead of guessing.

Later: camera frames and keyboard-wedge scanners decode through the same function.
"""

from __future__ import annotations

from ctypes import POINTER, c_char_p, c_int, c_void_p, cast, string_at
from pathlib import Path

from PIL import Image, UnidentifiedImageError
from pyzbar.wrapper import (
    ZBarConfig,
    ZBarSymbol,
    zbar_function,
    zbar_image_create,
    zbar_image_destroy,
    zbar_image_first_symbol,
    zbar_image_scanner_create,
    zbar_image_scanner_destroy,
    zbar_image_scanner_set_config,
    zbar_image_set_data,
    zbar_image_set_format,
    zbar_image_set_size,
    zbar_scan_image,
    zbar_symbol,
    zbar_symbol_get_data,
    zbar_symbol_get_data_length,
    zbar_symbol_next,
)

from card_reader.errors import CardError

ZBAR_CFG_BINARY = 4  # zbar >= 0.23: return the payload bytes without character-set conversion
zbar_symbol_get_type = zbar_function("zbar_symbol_get_type", c_int, POINTER(zbar_symbol))
_FOURCC_Y800 = ord("Y") | ord("8") << 8 | ord("0") << 16 | ord("0") << 24  # 8-bit greyscale


class QrImageError(CardError):
    """An image that cannot be read (missing, not an image), or a zbar without binary mode."""

    def __init__(self, reason: str, path: str = "") -> None:
        self.reason = reason
        self.path = path
        super().__init__(f"{path}: {reason}" if path else reason)


def decode_image(image: Image.Image) -> list[bytes]:
    """The raw payloads of every QR code in ``image``, top to bottom as zbar finds them."""
    grey = image.convert("L")
    width, height = grey.size
    pixels = grey.tobytes()
    scanner = zbar_image_scanner_create()
    try:
        zbar_image_scanner_set_config(scanner, ZBarSymbol.NONE, ZBarConfig.CFG_ENABLE, 0)
        zbar_image_scanner_set_config(scanner, ZBarSymbol.QRCODE, ZBarConfig.CFG_ENABLE, 1)
        if zbar_image_scanner_set_config(scanner, ZBarSymbol.QRCODE, ZBAR_CFG_BINARY, 1) != 0:
            raise QrImageError("zbar is older than 0.23 and cannot return QR payloads as bytes")
        zimage = zbar_image_create()
        try:
            zbar_image_set_format(zimage, _FOURCC_Y800)
            zbar_image_set_size(zimage, width, height)
            zbar_image_set_data(zimage, cast(c_char_p(pixels), c_void_p), len(pixels), None)
            if zbar_scan_image(scanner, zimage) < 0:
                raise QrImageError("zbar failed to scan the image")
            payloads: list[bytes] = []
            symbol = zbar_image_first_symbol(zimage)
            while symbol:
                if zbar_symbol_get_type(symbol) == ZBarSymbol.QRCODE:
                    payloads.append(
                        string_at(zbar_symbol_get_data(symbol), zbar_symbol_get_data_length(symbol))
                    )
                symbol = zbar_symbol_next(symbol)
            return payloads
        finally:
            zbar_image_destroy(zimage)
    finally:
        zbar_image_scanner_destroy(scanner)


def decode_file(path: Path | str) -> list[bytes]:
    """The raw payloads of every QR code in the image file ``path`` (PNG, JPEG, …)."""
    try:
        with Image.open(path) as image:
            return decode_image(image)
    except FileNotFoundError:
        raise QrImageError("file not found", str(path)) from None
    except (UnidentifiedImageError, OSError) as exc:
        raise QrImageError(f"not a readable image ({type(exc).__name__})", str(path)) from None
