"""Showing and hiding several widgets of a page at once, with one layout pass.

Qt lays out a widget's parent and every layout above it, up to the window, there and then when the
widget is shown on screen (``QWidgetPrivate::setVisible`` activates them before the show): 0.3–1.4 ms a
widget on the kiosk's pages, measured, and an answer or a print step can show half a dozen. Widgets
shown while their area is hidden wait for the area, which is laid out once when it shows again.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import QWidget


def show_only(area: QWidget, wanted: Mapping[QWidget, bool]) -> None:
    """Give each widget of ``area`` in ``wanted`` its visibility; when some must show and ``area`` is on
    screen, ``area`` is hidden for the changes and shown once after them. Widgets already as wanted are
    left alone (nothing is laid out when nothing changes)."""
    changes = [(widget, show) for widget, show in wanted.items() if widget.isHidden() == show]
    if not changes:
        return
    regroup = any(show for _, show in changes) and not area.isHidden()
    if regroup:
        area.setVisible(False)
    for widget, show in changes:
        widget.setVisible(show)
    if regroup:
        area.setVisible(True)
