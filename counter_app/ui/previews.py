"""Print previews at real size: each page as it will come out of the printer, legible at 100 %.

Pages are rendered by PDFium (the same pages that print) at the screen's logical resolution, so an A4
page is as wide on the screen as on paper; they stand one under the other in a scroll area (PageUp /
PageDown and the arrow keys scroll), each with its caption.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from counter_app.ui.plain import PlainLabel

POINTS_PER_INCH = 72.0


class Pages(Protocol):
    """A rendered document as the preview needs it (a ``PrintDocument``)."""

    @property
    def title(self) -> str: ...

    @property
    def pdf(self) -> bytes: ...

    @property
    def pages(self) -> int: ...


def page_images(pdf: bytes, dpi: float) -> list[QImage]:
    """Every page of ``pdf`` rendered at ``dpi`` (the screen's logical dpi: real size)."""
    import pypdfium2 as pdfium  # loaded with the first preview, not with the window

    document = pdfium.PdfDocument(pdf)
    images = []
    try:
        for index in range(len(document)):
            image = document[index].render(scale=dpi / POINTS_PER_INCH).to_pil().convert("RGB")
            data = image.tobytes("raw", "RGB")
            images.append(
                QImage(data, image.width, image.height, 3 * image.width, QImage.Format.Format_RGB888).copy()
            )
    finally:
        document.close()
    return images


class PagePreviews(QScrollArea):
    """The pages of some documents at real size, one under the other, scrollable with the keyboard."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.pages: list[QLabel] = []
        self._shown: tuple[int, ...] = ()
        self._clear()

    def _clear(self) -> None:
        holder = QWidget()
        self.column = QVBoxLayout(holder)
        self.column.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.setWidget(holder)  # the old holder (and its pages) is deleted by the scroll area
        self.pages = []

    def show_documents(self, documents: Sequence[Pages]) -> None:
        ids = tuple(id(d) for d in documents)
        if ids == self._shown:
            return
        self._shown = ids
        self._clear()
        dpi = float(self.logicalDpiX()) or 96.0
        for document in documents:
            for number, image in enumerate(page_images(document.pdf, dpi), start=1):
                caption = PlainLabel(f"{document.title} {number}/{document.pages}")
                caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
                page = QLabel()
                page.setPixmap(QPixmap.fromImage(image))
                page.setFrameShape(QLabel.Shape.Box)
                self.column.addWidget(caption)
                self.column.addWidget(page)
                self.pages.append(page)
