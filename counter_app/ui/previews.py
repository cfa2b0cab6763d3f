"""Print previews at real size: each page as it will come out of the printer, legible at 100 %.

Pages are rendered by PDFium (the same pages that print) at the screen's logical resolution, so an A4
page is as wide on the screen as on paper; they stand one under the other in a scroll area (PageUp /
PageDown and the arrow keys scroll), each with its caption. The print step's pages are rendered to
pixels by a worker (``PrintView.previews``): the screen only wraps them in images. The page views and
their captions are kept from one set of pages to the next and given the new pages (a new widget costs a
style polish and is laid out and deleted again: 16 of them took 7–10 ms of the GUI thread per visit); the
views not needed let go of their pages, so no pixels of an earlier visit stay behind.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget

from counter_app.presenters.printing import Pages, PreviewPage, render_previews
from counter_app.ui.plain import PlainLabel
from counter_app.ui.visibility import show_only


def page_image(page: PreviewPage) -> QImage:
    """The page's pixels as an image, without a copy (BGRx rows are Qt's RGB32): valid while ``page`` is."""
    return QImage(page.pixels, page.width, page.height, page.stride, QImage.Format.Format_RGB32)


class PageView(QFrame):
    """One page at real size, painted straight from the worker's pixels: showing a page converts and
    copies nothing, and a repaint draws only the part that is on screen."""

    def __init__(self, page: PreviewPage | None = None) -> None:
        super().__init__()
        self.page: PreviewPage | None = None
        self._image = QImage()
        self.setFrameShape(QFrame.Shape.Box)
        self.show_page(page)

    def show_page(self, page: PreviewPage | None) -> None:
        """Show ``page`` (None: no page, and no pixels kept)."""
        self.page = page  # keeps the pixels alive as long as the image points at them
        self._image = page_image(page) if page is not None else QImage()
        if page is not None:  # (a view without a page is hidden: its size does not matter)
            self.setFixedSize(self.sizeHint())
        self.update()

    def image(self) -> QImage:
        return self._image

    def sizeHint(self) -> QSize:
        frame = 2 * self.frameWidth()
        if self.page is None:
            return QSize(frame, frame)
        return QSize(self.page.width + frame, self.page.height + frame)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            inside = self.contentsRect()
            area = event.rect().intersected(inside)
            if not self._image.isNull():
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
        self.pages: list[PageView] = []  # the views showing the pages
        self._pool: list[tuple[PlainLabel, PageView]] = []  # every caption and view made
        self._shown: tuple[PreviewPage, ...] = ()
        self._documents: tuple[int, ...] = ()
        self.holder = QWidget()
        self.column = QVBoxLayout(self.holder)
        self.column.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.setWidget(self.holder)

    def showing(self, pages: Sequence[PreviewPage]) -> bool:
        """Whether exactly ``pages`` are on screen."""
        return len(pages) == len(self._shown) and all(a is b for a, b in zip(pages, self._shown, strict=True))

    def show_pages(self, pages: Sequence[PreviewPage]) -> None:
        """Show pages already rendered (by a worker)."""
        if self.showing(pages):
            return
        self._shown = tuple(pages)
        self._documents = ()
        while len(self._pool) < len(pages):
            caption = PlainLabel()
            caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
            view = PageView()
            self.column.addWidget(caption)
            self.column.addWidget(view)
            self._pool.append((caption, view))
        if not pages:  # the whole column goes first (the views as they are inside: one hide, not one each)
            self.holder.setVisible(False)
        wanted: dict[QWidget, bool] = {}
        for index, (caption, view) in enumerate(self._pool):
            preview = pages[index] if index < len(pages) else None
            caption.setText(preview.caption if preview is not None else "")
            view.show_page(preview)
            wanted[caption] = wanted[view] = preview is not None
        self.pages = [view for _, view in self._pool[: len(pages)]]
        if not pages:
            return
        show_only(self.holder, wanted)
        self.holder.setVisible(True)
        self.verticalScrollBar().setValue(0)  # new pages start at the top
        self.horizontalScrollBar().setValue(0)

    def show_documents(self, documents: Sequence[Pages]) -> None:
        """Render ``documents`` here and show them (the reprint panel, between visits)."""
        ids = tuple(id(d) for d in documents)
        if ids == self._documents:
            return
        self.show_pages(render_previews(documents, float(self.logicalDpiX()) or 96.0))
        self._documents = ids
