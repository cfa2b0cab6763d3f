"""PDF pages as pixels, through PDFium, one process-wide lock for every PDFium call.

PDFium is not thread-safe: two threads calling it at once, even on two documents, can crash or corrupt
the process (pypdfium2's documentation, "Incompatibility with Threading"). In the kiosk it runs on the
print worker (the Windows backend rasterises the pages it prints), on the preview workers and on the GUI
thread (the F8 reprint panel): each goes through :func:`raster_pages`, which calls PDFium only while it
holds :data:`PDFIUM_LOCK`, one page at a time (so a long print job lets a preview in between its pages),
and closes every PDFium object itself before it lets the lock go — an object left to the garbage
collector would be closed later, on whatever thread collects it, outside the lock.
"""

from __future__ import annotations

import threading
from collections.abc import Generator
from dataclasses import dataclass, field

POINTS_PER_INCH = 72.0
PDFIUM_LOCK = threading.Lock()
"""Held for every PDFium call of the process."""


@dataclass(frozen=True)
class RasterPage:
    """One page as 32-bit ``BGRx`` rows of ``stride`` bytes (Qt's ``Format_RGB32`` in memory), in memory
    Python owns: the pixels outlive the PDF document and its page."""

    width_pt: float  # the page's size in points
    height_pt: float
    width: int  # in pixels
    height: int
    stride: int
    pixels: memoryview = field(repr=False, compare=False)


def raster_pages(pdf: bytes, dpi: float) -> Generator[RasterPage, None, None]:
    """Every page of ``pdf`` at ``dpi``, in order, rendered when asked for. The document stays open
    between pages (no PDFium call is made then) and is closed, under the lock, when the iteration ends
    or is abandoned."""
    import pypdfium2 as pdfium  # (loaded with the first page: not at start-up)

    with PDFIUM_LOCK:
        document = pdfium.PdfDocument(pdf)
    try:
        with PDFIUM_LOCK:
            count = len(document)
        for index in range(count):
            with PDFIUM_LOCK:
                page = document[index]
                try:
                    width_pt, height_pt = page.get_size()
                    # In memory Python allocates ("native"): closing the bitmap releases PDFium's handle
                    # now, under the lock, and the pixels stay. (A PDFium-allocated "foreign" bitmap
                    # would be destroyed, by PDFium, whenever its pixels are dropped — on any thread.)
                    bitmap = page.render(
                        scale=dpi / POINTS_PER_INCH,
                        prefer_bgrx=True,
                        bitmap_maker=pdfium.PdfBitmap.new_native,
                    )
                    try:
                        raster = RasterPage(
                            width_pt,
                            height_pt,
                            bitmap.width,
                            bitmap.height,
                            bitmap.stride,
                            memoryview(bitmap.buffer).cast("B"),
                        )
                    finally:
                        bitmap.close()
                finally:
                    page.close()
            yield raster
    finally:
        with PDFIUM_LOCK:
            document.close()
