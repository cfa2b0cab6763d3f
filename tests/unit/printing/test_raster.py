"""PDF pages as pixels through PDFium's one lock: the pages come out at the size asked for, their pixels
stay valid after PDFium's objects are closed, and PDFium is never called from two threads at once —
previews on workers, the reprint panel on the GUI thread and the Windows print backend take turns
(pypdfium2's documentation: PDFium is not thread-safe, even across documents)."""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pytest

from printing.raster import PDFIUM_LOCK, raster_pages

A4 = (595.0, 842.0)  # points


def _pdf(*sizes: tuple[float, float]) -> bytes:
    document = pdfium.PdfDocument.new()
    try:
        for width, height in sizes:
            document.new_page(width, height).close()
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()
    finally:
        document.close()


def test_every_page_at_the_dpi_asked_for_with_pixels_that_outlive_pdfium() -> None:
    pdf = _pdf(A4, (420.0, 595.0))
    pages = list(raster_pages(pdf, 144))
    assert [(p.width, p.height) for p in pages] == [(1190, 1684), (840, 1190)]
    assert [(round(p.width_pt), round(p.height_pt)) for p in pages] == [(595, 842), (420, 595)]
    for page in pages:
        assert page.stride >= 4 * page.width and len(page.pixels) == page.stride * page.height
        # PDFium's bitmaps are closed by now: the pixels (an empty page is white) are still there.
        middle = page.stride * (page.height // 2)
        row = bytes(page.pixels[middle : middle + 4 * page.width])
        assert set(row[0::4]) == {255} and set(row[1::4]) == {255} and set(row[2::4]) == {255}
    assert not PDFIUM_LOCK.locked()


@dataclass
class _Calls:
    """Counts PDFium calls in progress (a fake PDFium that takes its time in every call)."""

    inside: int = 0
    most: int = 0
    guard: threading.Lock = field(default_factory=threading.Lock)
    opened: int = 0
    closed: int = 0

    def call(self) -> None:
        with self.guard:
            self.inside += 1
            self.most = max(self.most, self.inside)
        time.sleep(0.005)
        with self.guard:
            self.inside -= 1


def _fake_pdfium(calls: _Calls) -> type:
    class Bitmap:
        def __init__(self) -> None:
            calls.opened += 1
            self.width, self.height, self.stride = 2, 1, 8
            self.buffer = bytearray(8)

        def close(self) -> None:
            calls.call()
            calls.closed += 1

    class Page:
        def __init__(self) -> None:
            calls.opened += 1

        def get_size(self) -> tuple[float, float]:
            calls.call()
            return A4

        def render(self, **_options: object) -> Bitmap:
            calls.call()
            return Bitmap()

        def close(self) -> None:
            calls.call()
            calls.closed += 1

    class Document:
        def __init__(self, _pdf: bytes) -> None:
            calls.call()
            calls.opened += 1

        def __len__(self) -> int:
            calls.call()
            return 3

        def __getitem__(self, _index: int) -> Page:
            calls.call()
            return Page()

        def close(self) -> None:
            calls.call()
            calls.closed += 1

    return Document


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[_Calls]:
    calls = _Calls()
    monkeypatch.setattr(pdfium, "PdfDocument", _fake_pdfium(calls))
    yield calls


def test_threads_rendering_at_once_take_turns_and_close_everything(calls: _Calls) -> None:
    results: list[int] = []

    def render() -> None:
        results.append(len(list(raster_pages(b"%PDF", 96))))

    workers = [threading.Thread(target=render) for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(20)
    assert results == [3, 3, 3]
    assert calls.most == 1  # never two PDFium calls at once
    assert calls.opened == calls.closed == 3 * (1 + 3 + 3)  # document, pages and bitmaps, all closed


def test_between_pages_the_lock_is_free_and_an_abandoned_iteration_closes_its_document(calls: _Calls) -> None:
    pages = raster_pages(b"%PDF", 96)
    next(pages)
    assert not PDFIUM_LOCK.locked()  # a preview can render while a print job waits between its pages
    pages.close()
    assert calls.opened == calls.closed == 1 + 1 + 1
