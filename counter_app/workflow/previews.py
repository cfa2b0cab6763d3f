"""Print previews as pixels: each page rendered by PDFium (the same pages that print), without Qt.

Rendering a page is tens of milliseconds of work for a full form: it runs on a worker, next to the
rendering of the papers, and the screen only wraps the finished pixels in an image (32-bit ``BGRx``,
which is Qt's ``Format_RGB32`` in memory, so showing it converts nothing).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from printing.raster import raster_pages


class Pages(Protocol):
    """A rendered document as the preview needs it (a ``PrintDocument``)."""

    @property
    def title(self) -> str: ...

    @property
    def pdf(self) -> bytes: ...

    @property
    def pages(self) -> int: ...


@dataclass(frozen=True)
class PreviewPage:
    """One page of a document as pixels: 32-bit BGRx rows of ``stride`` bytes (Qt's RGB32)."""

    title: str
    number: int  # 1-based
    of: int
    width: int
    height: int
    stride: int
    pixels: memoryview = field(repr=False, compare=False)

    @property
    def caption(self) -> str:
        return f"{self.title} {self.number}/{self.of}"


def page_pixels(pdf: bytes, dpi: float) -> list[tuple[int, int, int, memoryview]]:
    """Every page of ``pdf`` at ``dpi`` as (width, height, stride, BGRx pixels), through PDFium's one
    lock (:mod:`printing.raster`)."""
    return [(page.width, page.height, page.stride, page.pixels) for page in raster_pages(pdf, dpi)]


def render_previews(documents: Iterable[Pages], dpi: float) -> tuple[PreviewPage, ...]:
    """The pages of ``documents``, in order, at ``dpi`` (the screen's logical dpi: real size)."""
    previews: list[PreviewPage] = []
    for document in documents:
        pages = page_pixels(document.pdf, dpi)
        for number, (width, height, stride, pixels) in enumerate(pages, start=1):
            previews.append(PreviewPage(document.title, number, len(pages), width, height, stride, pixels))
    return tuple(previews)


def same_pages(shown: Sequence[PreviewPage], pages: Sequence[PreviewPage]) -> bool:
    """Whether ``pages`` are the very pages shown (the same objects, in order)."""
    return len(shown) == len(pages) and all(a is b for a, b in zip(shown, pages, strict=True))
