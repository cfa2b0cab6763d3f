"""The preview area reuses its page views from one set of pages to the next: what shows is exactly the
pages given, in order, from the top, and views not needed keep no pixels of an earlier visit."""

from __future__ import annotations

from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from counter_app.presenters.printing import PreviewPage
from counter_app.ui.plain import PlainLabel
from counter_app.ui.previews import PagePreviews, PageView


def _page(title: str, number: int, of: int, shade: int, width: int = 400, height: int = 560) -> PreviewPage:
    pixels = bytearray(bytes((shade, shade, shade, 255)) * (width * height))
    return PreviewPage(title, number, of, width, height, width * 4, memoryview(pixels))


def _shown(previews: PagePreviews) -> list[tuple[str, int, int]]:
    """(caption, width, grey level) of every page on screen, top to bottom."""
    views = [w for w in previews.holder.findChildren(PageView) if w.isVisible()]
    views.sort(key=lambda w: w.y())
    result = []
    for view in views:
        item = previews.column.itemAt(previews.column.indexOf(view) - 1)  # its caption, above it
        caption = item.widget() if item is not None else None
        assert isinstance(caption, PlainLabel)
        image = view.image()
        result.append((caption.text(), image.width(), QColor(image.pixel(5, 5)).red()))
    return result


def test_pages_replace_the_pages_before_and_nothing_of_them_stays(qtbot: QtBot) -> None:
    previews = PagePreviews()
    qtbot.addWidget(previews)
    previews.resize(600, 500)
    previews.show()
    qtbot.waitExposed(previews)
    first = [_page("転入届", 1, 2, 10), _page("転入届", 2, 2, 20), _page("窓口案内シート", 1, 1, 30)]
    previews.show_pages(first)
    assert previews.showing(first)
    assert _shown(previews) == [
        ("転入届 1/2", 400, 10),
        ("転入届 2/2", 400, 20),
        ("窓口案内シート 1/1", 400, 30),
    ]
    made = set(previews.holder.findChildren(PageView))
    bar = previews.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)  # laid out: three pages are taller than the area
    bar.setValue(bar.maximum())
    assert bar.value() > 0

    second = [_page("国民健康保険異動届", 1, 1, 200, width=380), _page("窓口案内シート", 1, 1, 220)]
    previews.show_pages(second)
    qtbot.waitUntil(previews.pages[0].isVisible)
    assert _shown(previews) == [("国民健康保険異動届 1/1", 380, 200), ("窓口案内シート 1/1", 400, 220)]
    assert previews.pages == sorted(previews.pages, key=lambda w: w.y())
    assert [view.page for view in previews.pages] == second
    assert bar.value() == 0  # the new pages start at the top
    assert set(previews.holder.findChildren(PageView)) == made  # the views were reused, none made
    spare = [view for view in made if view not in previews.pages]
    assert spare and all(view.page is None and view.image().isNull() for view in spare)
    assert all(not view.isVisible() for view in spare)

    previews.show_pages([])  # the visit is over
    assert previews.pages == []
    assert all(view.page is None and view.image().isNull() for view in made)
    assert not any(view.isVisible() for view in made)
    # Nothing of the pages is referenced any more: their pixels can go.
    assert all(view.page is not second[0] for view in made)


def test_a_view_without_a_page_paints_its_frame_only(qtbot: QtBot) -> None:
    view = PageView()
    qtbot.addWidget(view)
    assert view.page is None and view.image().isNull()
    view.show()
    assert not view.grab().isNull()  # paints without an image
    assert view.sizeHint().width() == 2 * view.frameWidth()
