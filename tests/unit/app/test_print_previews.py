"""The print step's previews are rendered by the worker with the papers: the screen gets pixels to show,
the same pages PDFium renders from the PDFs that print; the result of an earlier request (the clerk went
back, or the visit ended while the worker ran) is never shown."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from counter_app.presenters.printing import PrintStep
from counter_app.wiring.kiosk import Kiosk
from tests.helpers.runners import HeldRunner
from tests.unit.app.kiosk_helpers import answer_all, demo_kiosk, identify

DPI = 96.0


@pytest.fixture
def parts(tmp_path: Path) -> Iterator[Kiosk]:
    built = demo_kiosk(tmp_path)
    built.kiosk.today = lambda: dt.date(2026, 11, 23)
    yield built
    built.printer.stop()
    built.storage.close()


def to_review(parts: Kiosk) -> None:
    identify(parts.kiosk)
    answer_all(parts.kiosk, "tennyu")


def rgb_pages(pdf: bytes) -> list[tuple[int, int, bytes]]:
    """Each page as PDFium renders it for a picture (24-bit RGB): (width, height, pixels)."""
    document = pdfium.PdfDocument(pdf)
    try:
        pages = []
        for index in range(len(document)):
            image = document[index].render(scale=DPI / 72).to_pil().convert("RGB")
            pages.append((image.width, image.height, image.tobytes()))
        return pages
    finally:
        document.close()


def bgrx_to_rgb(width: int, height: int, stride: int, pixels: memoryview) -> bytes:
    data = bytes(pixels)
    rows = [data[y * stride : y * stride + 4 * width] for y in range(height)]
    out = bytearray()
    for row in rows:
        out += bytes(b for i in range(0, len(row), 4) for b in (row[i + 2], row[i + 1], row[i]))
    return bytes(out)


def to_print_with_the_worker_held(parts: Kiosk) -> HeldRunner:
    """A visit to the review page, then to the print step on a screen (previews at DPI); the worker's
    tasks wait in the returned runner."""
    to_review(parts)
    held = HeldRunner()
    parts.printer.runner = held
    parts.printer.preview_dpi = DPI
    parts.kiosk.go_print()
    return held


def test_the_worker_renders_the_previews_with_the_papers(parts: Kiosk) -> None:
    held = to_print_with_the_worker_held(parts)
    assert parts.printer.view.value.step is PrintStep.RENDERING and parts.printer.view.value.previews == ()
    held.run_all()  # the worker
    view = parts.printer.view.value
    assert view.step is PrintStep.PREVIEW
    assert len(view.previews) == sum(d.pages for d in view.documents) > 0
    expected = [
        (document.title, number, page)
        for document in view.documents
        for number, page in enumerate(rgb_pages(document.pdf), start=1)
    ]
    assert [(p.title, p.number) for p in view.previews] == [(t, n) for t, n, _ in expected]
    first, last = view.previews[0], view.previews[-1]
    for preview, (_, _, (width, height, rgb)) in ((first, expected[0]), (last, expected[-1])):
        assert (preview.width, preview.height) == (width, height)
        assert bgrx_to_rgb(preview.width, preview.height, preview.stride, preview.pixels) == rgb


def test_without_a_screen_no_previews_are_rendered(parts: Kiosk) -> None:
    to_review(parts)
    parts.kiosk.go_print()
    assert parts.printer.view.value.step is PrintStep.PREVIEW and parts.printer.view.value.previews == ()


def print_step(parts: Kiosk) -> PrintStep:
    return parts.printer.view.value.step


def test_papers_of_an_earlier_request_are_never_shown(parts: Kiosk) -> None:
    held = to_print_with_the_worker_held(parts)
    parts.kiosk.request_cancel()
    parts.kiosk.cancel("resident_request")  # the visit ends while the worker renders
    held.run_all()
    assert print_step(parts) is PrintStep.IDLE and parts.printer.view.value.documents == ()

    to_review(parts)  # the next visit: back to review and to print again while the first is rendering
    parts.kiosk.go_print()
    first = held.tasks.pop()
    parts.printer.reset()
    parts.kiosk.back_to_review()
    parts.kiosk.go_print()
    held.tasks.insert(0, first)  # the earlier result arrives first
    work, on_done, _ = held.tasks.pop(0)
    on_done(work())
    assert print_step(parts) is PrintStep.RENDERING  # not the earlier papers
    held.run_all()
    assert print_step(parts) is PrintStep.PREVIEW and parts.printer.view.value.previews
