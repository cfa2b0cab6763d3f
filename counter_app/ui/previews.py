"""Print previews at real size: each page as it will come out of the printer, legible at 100 %.

Pages are rendered by PDFium (the same pages that print) at the screen's logical resolution, so an A4
page is as wide on the screen as on paper; they stand one under the other in a scroll area (PageUp /
PageDown and the arrow keys scroll), each with its caption. The print step's pages are rendered to
pixels by a worker (``PrintView.previews``): the screen only wraps them in images.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget

from counter_app.presenters.printing import Pages, PreviewPage, render_previews
from counter_app.ui.plain import PlainLabel


def page_image(page: PreviewPage) -> QImage:
    """The page's pixels as an image, without a copy (BGRx rows are Qt's RGB32): valid while ``page`` is."""
    return QImage(page.pixels, page.width, page.height, page.stride, QImage.Format.Format_RGB32)


class PageView(QFrame):
    """One page at real size, painted straight from the worker's pixels: showing a page converts and
    copies nothing, and a repaint draws only the part that is on screen."""

    def __init__(self, page: PreviewPage) -> None:
        super().__init__()
        self.page = page  # keeps the pixels alive as long as the image points at them
        self._image = page_image(page)
        self.setFrameShape(QFrame.Shape.Box)
        self.setFixedSize(self.sizeHint())

    def image(self) -> QImage:
        return self._image

    def sizeHint(self) -> QSize:
        frame = 2 * self.frameWidth()
        return QSize(self.page.width + frame, self.page.height + frame)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            inside = self.contentsRect()
            area = event.rect().intersected(inside)
            painter.drawImage(area, self._image, area.translated(-inside.topLeft()))
        finally:
            painter.end()
        super().paintEvent(event)  # the frame


class PagePreviews(QScrollArea):
    """The pages of some documents at real size, one under the other, scrollable with the keyboard."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.pages: list[PageView] = []
        self._shown: tuple[PreviewPage, ...] = ()
        self._documents: tuple[int, ...] = ()
        self._clear()

    def _clear(self) -> None:
        holder = QWidget()
        self.column = QVBoxLayout(holder)
        self.column.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.setWidget(holder)  # the old holder (and its pages) is deleted by the scroll area
        self.pages = []

    def showing(self, pages: Sequence[PreviewPage]) -> bool:
        """Whether exactly ``pages`` are on screen."""
        return len(pages) == len(self._shown) and all(a is b for a, b in zip(pages, self._shown, strict=True))

    def show_pages(self, pages: Sequence[PreviewPage]) -> None:
        """Show pages already rendered (by a worker)."""
        if self.showing(pages):
            return
        self._shown = tuple(pages)
        self._documents = ()
        self._clear()
        for preview in pages:
            caption = PlainLabel(preview.caption)
            caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
            page = PageView(preview)
            self.column.addWidget(caption)
            self.column.addWidget(page)
            self.pages.append(page)

    def show_documents(self, documents: Sequence[Pages]) -> None:
        """Render ``documents`` here and show them (the reprint panel, between visits)."""
        ids = tuple(id(d) for d in documents)
        if ids == self._documents:
            return
        self.show_pages(render_previews(documents, float(self.logicalDpiX()) or 96.0))
        self._documents = ids
