"""Enter does what the page's main button says, everywhere: the clerk never needs the mouse.

Qt's default buttons work only inside dialogs; the kiosk's pages are plain widgets, so each page asks
:func:`enter_clicks` to handle Return/Enter (QLineEdit and a closed QComboBox pass Enter on to the
page). A focused button is pressed itself; otherwise the page's main button is, if it is visible and
enabled. When a page appears, :func:`focus_first` puts the keyboard focus where typing starts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def enter_clicks(event: QKeyEvent, main: Callable[[], QPushButton | None]) -> bool:
    """Handle Enter for a page: press the focused button, else the page's main button."""
    if event.key() not in ENTER_KEYS or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
        return False
    focused = QApplication.focusWidget()
    button = focused if isinstance(focused, QPushButton) else main()
    if button is None or not button.isVisible() or not button.isEnabled():
        return False
    button.click()
    return True


def focus_first(candidates: Sequence[QWidget]) -> None:
    """Give the keyboard focus to the first visible, enabled candidate."""
    for widget in candidates:
        if widget.isVisible() and widget.isEnabled():
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
            return
