"""QR codes in images and camera frames, decoded to their raw payload bytes. The only module that
imports zxing-cpp (``zxingcpp``) and pyzbar.

Two decoders, one after the other: **zxing-cpp first**, **zbar only when zxing-cpp finds nothing**.
On the degraded camera frames of ``tests/qr_corpus.py`` (phones tilted 15–30°, blur, JPEG, moiré,
glare, dim screens, small codes in clutter, inverted codes, two codes in a frame) zxing-cpp reads
more frames than zbar at a fraction of the time, and reads inverted (light-on-dark) codes, which
zbar never does; zbar still reads a few frames zxing-cpp misses (glare over a finder pattern, heavy
moiré), so together they read at least as many as either alone (``bench/qr.py`` prints the figures).
Both return the payload bytes exactly as encoded: zxing-cpp's ``Barcode.bytes`` is the raw content,
zbar runs in binary mode (below).

zbar, by default, guesses a character set for byte-mode QR codes (UTF-8, Shift_JIS, ISO-8859-1) and
converts the payload to UTF-8 text — a wrong guess corrupts Japanese text and binary payloads alike.
This module sets zbar's ``ZBAR_CFG_BINARY`` option on the QR symbology, so the bytes come back
exactly as they were encoded; interpreting them (a pre-fill payload, the back-office code of a printed
form) is the caller's business.

``ZBAR_CFG_BINARY`` appeared in zbar 0.23 (Debian 12 ships 0.23.92) as value 4, between
``ZBAR_CFG_ASCII`` (3) and ``ZBAR_CFG_NUM``; pyzbar's own enum predates it, so it is defined here.
A zbar too old to know it refuses the setting, and the decoder says so instead of guessing.

Three ways in, one scanner underneath:

* :func:`decode_file` — an image file (PNG, JPEG …);
* :func:`decode_image` — a PIL image;
* :class:`FrameDecoder` / :func:`decode_frame` — a raw camera frame buffer (greyscale, RGB/BGR with
  or without alpha, or the luma plane of NV12 / NV21 / I420 / YV12), with a row stride. A
  :class:`FrameDecoder` keeps one zbar scanner for a stream of frames; it is not thread-safe, so a
  camera worker thread owns its own. zbar runs through ctypes, which releases the GIL while it scans;
  zxing-cpp's binding releases it too.

``FrameDecoder(engines=("zbar",))`` or ``("zxing-cpp",)`` runs one decoder alone (the bench and the
corpus test compare them); the default is both, in that order.

Keyboard-wedge scanners type text instead: see :mod:`card_reader.wedge`.
"""

from __future__ import annotations

import io
import warnings
from ctypes import POINTER, c_char_p, c_int, c_void_p, cast, string_at
from pathlib import Path
from types import TracebackType
from typing import Final, Literal

import zxingcpp
from PIL import Image, UnidentifiedImageError
from pyzbar.wrapper import (
    ZBarConfig,
    ZBarSymbol,
    zbar_function,
    zbar_image_create,
    zbar_image_destroy,
    zbar_image_first_symbol,
    zbar_image_scanner,
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
_QR_ONLY: Final = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
_FOURCC_Y800 = ord("Y") | ord("8") << 8 | ord("0") << 16 | ord("0") << 24  # 8-bit greyscale

PixelFormat = Literal[
    "Y800", "RGB", "BGR", "RGBA", "RGBX", "BGRA", "BGRX", "ARGB", "XRGB", "NV12", "NV21", "I420", "YV12"
]
_BYTES_PER_PIXEL: Final[dict[str, int]] = {
    "Y800": 1,
    "RGB": 3,
    "BGR": 3,
    "RGBA": 4,
    "RGBX": 4,
    "BGRA": 4,
    "BGRX": 4,
    "ARGB": 4,
    "XRGB": 4,
}
_LUMA_PLANE: Final = frozenset({"NV12", "NV21", "I420", "YV12"})  # the first plane is Y, full size


MAX_FILE_BYTES: Final = 30 * 1024 * 1024
"""An image file larger than this is refused before it is read (a phone photo is 2–12 MB)."""
MAX_PIXELS: Final = 50_000_000
"""An image with more pixels than this (e.g. 8,000 × 6,250) is refused from its header, before any
pixel is decoded: a 20 kB PNG can claim 13,000 × 13,000 pixels and take gigabytes to decode."""
SCAN_PIXELS: Final = 16_000_000
"""A larger image (a 48-megapixel photo) is reduced to at most this many pixels before it is scanned,
to bound time and memory; a QR code large enough to be read in a photo stays readable."""
IMAGE_FORMATS: Final = ("PNG", "JPEG", "BMP", "GIF", "WEBP")
"""The image formats read (the kiosk's file dialog offers PNG, JPEG and BMP)."""


Engine = Literal["zxing-cpp", "zbar"]
ENGINES: Final[tuple[Engine, ...]] = ("zxing-cpp", "zbar")
"""The default order: zxing-cpp, then zbar when zxing-cpp found nothing."""


class QrImageError(CardError):
    """An image that cannot be read (missing, not an image, a frame buffer of the wrong size), or a
    zbar without binary mode."""

    def __init__(self, reason: str, path: str = "") -> None:
        self.reason = reason
        self.path = path
        super().__init__(f"{path}: {reason}" if path else reason)


class FrameDecoder:
    """zxing-cpp, then one zbar scanner kept for a stream of frames. Use from one thread; :meth:`close`
    when done. ``engines`` picks the decoders and their order (default: :data:`ENGINES`)."""

    def __init__(self, engines: tuple[Engine, ...] = ENGINES) -> None:
        if not engines or any(e not in ENGINES for e in engines):
            raise QrImageError(f"unknown QR decoders {engines!r}")
        self.engines = engines
        self._closed = False
        self._scanner: zbar_image_scanner | None = None
        if "zbar" not in engines:
            return
        self._scanner = zbar_image_scanner_create()
        zbar_image_scanner_set_config(self._scanner, ZBarSymbol.NONE, ZBarConfig.CFG_ENABLE, 0)
        zbar_image_scanner_set_config(self._scanner, ZBarSymbol.QRCODE, ZBarConfig.CFG_ENABLE, 1)
        if zbar_image_scanner_set_config(self._scanner, ZBarSymbol.QRCODE, ZBAR_CFG_BINARY, 1) != 0:
            self.close()
            raise QrImageError("zbar is older than 0.23 and cannot return QR payloads as bytes")

    def close(self) -> None:
        self._closed = True
        if self._scanner is not None:
            zbar_image_scanner_destroy(self._scanner)
            self._scanner = None

    def __enter__(self) -> FrameDecoder:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __del__(self) -> None:
        self.close()

    def decode_grey(self, pixels: bytes, width: int, height: int) -> list[bytes]:
        """Payloads in a tightly packed 8-bit greyscale buffer of ``width × height`` bytes: those of the
        first decoder (in :attr:`engines` order) that finds any."""
        if self._closed:
            raise QrImageError("the frame decoder is closed")
        if width <= 0 or height <= 0 or len(pixels) < width * height:
            raise QrImageError(f"a {width}×{height} greyscale frame needs {width * height} bytes")
        for engine in self.engines:
            found = (
                self._zxing(pixels, width, height)
                if engine == "zxing-cpp"
                else self._zbar(pixels, width, height)
            )
            if found:
                return found
        return []

    @staticmethod
    def _zxing(pixels: bytes, width: int, height: int) -> list[bytes]:
        view = zxingcpp.ImageView(
            memoryview(pixels)[: width * height].cast("B", (height, width)),
            width,
            height,
            zxingcpp.ImageFormat.Lum,
        )
        found = zxingcpp.read_barcodes(
            view, formats=_QR_ONLY, try_rotate=True, try_downscale=True, try_invert=True
        )
        return [bytes(barcode.bytes) for barcode in found if barcode.valid]

    def _zbar(self, pixels: bytes, width: int, height: int) -> list[bytes]:
        assert self._scanner is not None
        zimage = zbar_image_create()
        try:
            zbar_image_set_format(zimage, _FOURCC_Y800)
            zbar_image_set_size(zimage, width, height)
            zbar_image_set_data(zimage, cast(c_char_p(pixels), c_void_p), width * height, None)
            if zbar_scan_image(self._scanner, zimage) < 0:
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

    def decode(
        self,
        data: bytes | bytearray | memoryview,
        width: int,
        height: int,
        fmt: PixelFormat = "Y800",
        stride: int | None = None,
    ) -> list[bytes]:
        """Payloads in a raw frame: ``stride`` is the length of one row in bytes (of the luma plane
        for the YUV formats); rows may be padded, as camera buffers and QImages often are."""
        buffer = bytes(data) if not isinstance(data, bytes) else data
        if fmt in _LUMA_PLANE:
            return self.decode_grey(_rows(buffer, width, height, stride or width, 1), width, height)
        per_pixel = _BYTES_PER_PIXEL.get(fmt)
        if per_pixel is None:
            raise QrImageError(f"unsupported pixel format {fmt!r}")
        packed = _rows(buffer, width, height, stride or width * per_pixel, per_pixel)
        if per_pixel == 1:
            return self.decode_grey(packed, width, height)
        return self.decode_image(_as_image(packed, width, height, fmt))

    def decode_image(self, image: Image.Image) -> list[bytes]:
        grey = image if image.mode == "L" else image.convert("L")
        width, height = grey.size
        return self.decode_grey(grey.tobytes(), width, height)


def _rows(buffer: bytes, width: int, height: int, stride: int, per_pixel: int) -> bytes:
    """The frame's pixel rows without their padding."""
    row = width * per_pixel
    if width <= 0 or height <= 0 or stride < row:
        raise QrImageError(f"frame of {width}×{height} with a row stride of {stride} bytes")
    if len(buffer) < stride * (height - 1) + row:
        raise QrImageError(f"frame buffer of {len(buffer)} bytes is too small for {width}×{height}")
    if stride == row:
        return buffer[: row * height]
    return b"".join(buffer[y * stride : y * stride + row] for y in range(height))


_RAW_MODES: Final[dict[str, tuple[str, str]]] = {
    # format: (PIL mode, PIL raw decoder) — PIL unpacks each of these layouts in C.
    "RGB": ("RGB", "RGB"),
    "BGR": ("RGB", "BGR"),
    "RGBX": ("RGB", "RGBX"),
    "BGRX": ("RGB", "BGRX"),
    "XRGB": ("RGB", "XRGB"),
    "RGBA": ("RGBA", "RGBA"),
    "BGRA": ("RGBA", "BGRA"),
    "ARGB": ("RGBA", "ARGB"),
}


def _as_image(packed: bytes, width: int, height: int, fmt: str) -> Image.Image:
    mode, raw_mode = _RAW_MODES[fmt]
    return Image.frombuffer(mode, (width, height), packed, "raw", raw_mode, 0, 1)


def decode_frame(
    data: bytes | bytearray | memoryview,
    width: int,
    height: int,
    fmt: PixelFormat = "Y800",
    stride: int | None = None,
) -> list[bytes]:
    """The raw payloads of every QR code in one raw frame (see :meth:`FrameDecoder.decode`)."""
    with FrameDecoder() as decoder:
        return decoder.decode(data, width, height, fmt, stride)


def decode_image(image: Image.Image) -> list[bytes]:
    """The raw payloads of every QR code in ``image``, in the order zbar finds them."""
    with FrameDecoder() as decoder:
        return decoder.decode_image(image)


def decode_file(path: Path | str) -> list[bytes]:
    """The raw payloads of every QR code in the image file ``path`` (PNG, JPEG, …).

    Hostile files are refused before the work starts (:class:`QrImageError`): more than
    :data:`MAX_FILE_BYTES` (read no further: ``/dev/zero`` ends at once), more than
    :data:`MAX_PIXELS` by the image's header, a PNG whose text chunks inflate beyond Pillow's
    limits (``PngImagePlugin.MAX_TEXT_CHUNK`` / ``MAX_TEXT_MEMORY``), a format not in
    :data:`IMAGE_FORMATS`. Images above :data:`SCAN_PIXELS` are reduced before scanning.
    """
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise QrImageError("file not found", str(path)) from None
    except OSError as exc:
        raise QrImageError(f"not a readable image ({type(exc).__name__})", str(path)) from None
    if len(data) > MAX_FILE_BYTES:
        raise QrImageError(f"file too large (more than {MAX_FILE_BYTES} bytes)", str(path))
    try:
        with warnings.catch_warnings():
            # Our own pixel limit is lower than Pillow's warning threshold; never print its warning.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=IMAGE_FORMATS) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise QrImageError(f"too many pixels ({width}×{height})", str(path))
                return decode_image(_reduced(image))
    except Image.DecompressionBombError:
        raise QrImageError("too many pixels", str(path)) from None
    except (UnidentifiedImageError, OSError, ValueError, EOFError, SyntaxError) as exc:
        # ValueError: a PNG text chunk that inflates beyond Pillow's limit ("Decompressed Data Too
        # Large"), among others; SyntaxError: Pillow's word for a broken PNG chunk.
        raise QrImageError(f"not a readable image ({type(exc).__name__})", str(path)) from None


def _reduced(image: Image.Image) -> Image.Image:
    """``image``, reduced by a whole factor to at most :data:`SCAN_PIXELS` (a JPEG is decoded at the
    reduced size directly)."""
    width, height = image.size
    if width * height <= SCAN_PIXELS:
        return image
    factor = 1
    while (width // factor) * (height // factor) > SCAN_PIXELS:
        factor += 1
    if image.format == "JPEG":
        image.draft("L", (width // factor, height // factor))
        if image.size[0] * image.size[1] <= SCAN_PIXELS:
            return image
        width, height = image.size
        factor = 1
        while (width // factor) * (height // factor) > SCAN_PIXELS:
            factor += 1
    grey = image if image.mode == "L" else image.convert("L")
    return grey.reduce(factor)
