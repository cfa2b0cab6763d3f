"""Step: preview of the exact pages, then printing with progress and the printer's state."""

from __future__ import annotations

from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counter_app.presenters.kiosk import KioskPresenter
from counter_app.presenters.printing import PrintPresenter, PrintStep, PrintView
from counter_app.ui.keys import enter_clicks, focus_first
from counter_app.ui.plain import PlainLabel
from counter_app.ui.previews import PagePreviews
from counter_app.ui.visibility import show_only


class PrintPage(QWidget):
    def __init__(self, kiosk: KioskPresenter, printer: PrintPresenter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kiosk = kiosk
        self.printer = printer
        layout = QVBoxLayout(self)
        title = PlainLabel("印刷")
        title.setObjectName("title")
        layout.addWidget(title)
        self.message = PlainLabel()
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.progress = QProgressBar()
        layout.addWidget(self.progress)
        self.previews = PagePreviews()  # at real size (legible at 100 %), scrollable
        printer.preview_dpi = float(self.previews.logicalDpiX()) or 96.0  # rendered by the worker
        layout.addWidget(self.previews, 1)
        self.buttons = QWidget()  # shown and hidden as one (counter_app.ui.visibility)
        row = QHBoxLayout(self.buttons)
        row.setContentsMargins(0, 0, 0, 0)
        self.back_button = QPushButton("確認に戻る")
        self.back_button.clicked.connect(self._back)
        self.print_button = QPushButton("印刷する(Enter)")
        self.print_button.setObjectName("primary")
        self.print_button.clicked.connect(printer.print_all)
        self.shrink_button = QPushButton("文字を小さくする")
        self.shrink_button.clicked.connect(printer.accept_smaller_font)
        self.retry_button = QPushButton("再試行")
        self.retry_button.clicked.connect(printer.retry)
        self.done_button = QPushButton("受付を終える")
        self.done_button.setObjectName("primary")
        self.done_button.clicked.connect(self._finish)
        for button in (self.back_button, self.retry_button, self.shrink_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.print_button)
        row.addWidget(self.done_button)
        layout.addWidget(self.buttons)
        printer.view.subscribe(self.show_view)

    def show_view(self, view: PrintView) -> None:
        self.message.setText(f"プリンター: {view.printer}\n{view.message}")
        warn = view.step in (PrintStep.WAITING, PrintStep.FAILED) or bool(view.held)
        if self.message.objectName() != ("warning" if warn else ""):  # re-polish on change only (2 ms)
            self.message.setObjectName("warning" if warn else "")
            self.message.style().polish(self.message)
        busy = view.step in (PrintStep.RENDERING,)
        self.progress.setRange(0, 0 if busy else max(1, view.pages))
        self.progress.setValue(view.printed_pages)
        self.print_button.setDefault(view.step is PrintStep.PREVIEW)
        show_only(
            self.buttons,
            {
                self.print_button: view.step is PrintStep.PREVIEW,
                self.retry_button: view.step in (PrintStep.WAITING, PrintStep.FAILED),
                self.shrink_button: view.step is PrintStep.PREVIEW and view.can_shrink,
                self.back_button: view.step in (PrintStep.PREVIEW, PrintStep.FAILED),
                self.done_button: view.step is PrintStep.DONE,
            },
        )
        if self.isVisible():
            focus_first([self.print_button, self.done_button, self.retry_button])
        self.previews.show_pages(view.previews)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter prints from the preview, finishes once printed, retries after a printer problem.
        if not enter_clicks(event, self._main_button):
            super().keyPressEvent(event)

    def _main_button(self) -> QPushButton | None:
        for button in (self.print_button, self.done_button, self.retry_button):
            if button.isVisible():
                return button
        return None

    def _back(self) -> None:
        self.printer.reset()
        self.kiosk.back_to_review()

    def _finish(self) -> None:
        printed = self.printer.printed()
        language = self.printer.language
        self.printer.reset()
        self.kiosk.finish(printed, guide_language=language)
