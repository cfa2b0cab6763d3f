"""The clerk's window: one page per step, a status line, the idle countdown; keyboard first."""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QInputEvent, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from counter_app.presenters.idle import IdlePresenter, IdleView
from counter_app.presenters.kiosk import CANCEL_REASONS, KioskPresenter, KioskView, Step
from counter_app.presenters.printing import PrintPresenter
from counter_app.presenters.registry import RegistryPresenter
from counter_app.presenters.reprint import ReprintPresenter
from counter_app.presenters.resident_language import ResidentLanguage
from counter_app.presenters.screen_texts import screen_texts
from counter_app.ui.extras_dialog import ExtrasDialog
from counter_app.ui.pages.done import DonePage
from counter_app.ui.pages.event import EventPage
from counter_app.ui.pages.household import HouseholdPage
from counter_app.ui.pages.member import MemberPage
from counter_app.ui.pages.print_page import PrintPage
from counter_app.ui.pages.questions import QuestionsPage
from counter_app.ui.pages.registry_panel import RegistryPanel
from counter_app.ui.pages.review import ReviewPage
from counter_app.ui.pages.waiting import WaitingPage
from counter_app.ui.pin_pad import IdentifyPage
from counter_app.ui.plain import PlainLabel
from counter_app.ui.qr_input import WedgeFilter
from counter_app.ui.reprint_panel import ReprintDialog

_INPUT_EVENTS = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.TouchBegin,
    QEvent.Type.Wheel,
}


class ActivityFilter(QObject):
    """Any key, click or touch anywhere in the app counts as the clerk being there."""

    def __init__(self, idle: IdlePresenter) -> None:
        super().__init__()
        self.idle = idle

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The class check first: every event of the application passes here (see WedgeFilter).
        if isinstance(event, QInputEvent) and event.type() in _INPUT_EVENTS:
            self.idle.activity(time.monotonic())
        return False


class QrOfferBar(QFrame):
    """A complete QR set of another household: the clerk chooses, nothing is merged silently."""

    def __init__(self, kiosk: KioskPresenter) -> None:
        super().__init__()
        self.setObjectName("qrOffer")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.text = PlainLabel()
        self.text.setWordWrap(True)
        self.new_visit = QPushButton("新しい受付にする")
        self.add = QPushButton("この受付に追加する")
        self.dismiss = QPushButton("使わない")
        self.new_visit.clicked.connect(kiosk.qr_offer_new_visit)
        self.add.clicked.connect(kiosk.qr_offer_add)
        self.dismiss.clicked.connect(kiosk.qr_offer_dismiss)
        buttons = QHBoxLayout()
        for button in (self.new_visit, self.add, self.dismiss):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addLayout(buttons)
        self.hide()

    def show_offer(self, text: str, can_add: bool) -> None:
        self.text.setText(text)
        self.add.setVisible(can_add)
        self.new_visit.setText("新しい受付にする" if can_add else "この組で受付を始める")
        self.setVisible(bool(text))


class CancelBar(QFrame):
    """受付の中止: the clerk picks the reason with a number key (Esc keeps the visit going)."""

    def __init__(self, kiosk: KioskPresenter) -> None:
        super().__init__()
        self.kiosk = kiosk
        self.setObjectName("cancelBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        layout = QVBoxLayout(self)
        title = PlainLabel("この受付を中止しますか。理由を番号で選んでください(Esc: 中止しないで続ける)")
        title.setObjectName("warning")
        title.setWordWrap(True)
        layout.addWidget(title)
        grid = QGridLayout()
        self.buttons: list[QPushButton] = []
        for number, (code, label) in enumerate(CANCEL_REASONS.items(), start=1):
            button = QPushButton(f"{number}. {label}")
            button.clicked.connect(lambda _=False, c=code: kiosk.cancel(c))
            grid.addWidget(button, (number - 1) // 3, (number - 1) % 3)
            self.buttons.append(button)
        self.keep = QPushButton("続ける(Esc)")
        self.keep.clicked.connect(kiosk.keep_visit)
        grid.addWidget(self.keep, (len(self.buttons)) // 3, 2)
        layout.addLayout(grid)
        self.hide()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        if text.isascii() and text.isdigit() and 1 <= int(text) <= len(self.buttons):
            self.buttons[int(text) - 1].click()
        else:
            super().keyPressEvent(event)


class MainWindow(QMainWindow):
    def __init__(
        self,
        kiosk: KioskPresenter,
        printer: PrintPresenter,
        idle: IdlePresenter,
        counter_name: str,
        demo: bool,
        status: str = "",
        reprint: ReprintPresenter | None = None,
        registry: RegistryPresenter | None = None,
        resident_language: ResidentLanguage | None = None,
    ) -> None:
        super().__init__()
        self.kiosk = kiosk
        self.reprint = reprint
        self.printer = printer
        self.idle = idle
        self.setWindowTitle(f"Madoguchi — {counter_name}")
        self.stack = QStackedWidget()
        self.pages: dict[Step, QWidget] = {
            Step.WAITING: WaitingPage(kiosk, counter_name, demo),
            Step.IDENTIFY: IdentifyPage(kiosk.identify, type_instead=kiosk.type_instead),
            Step.MEMBER: MemberPage(kiosk),
            Step.EVENT: EventPage(kiosk),
            Step.HOUSEHOLD: HouseholdPage(kiosk),
            Step.QUESTIONS: QuestionsPage(kiosk),
            Step.REVIEW: ReviewPage(kiosk, resident_language),
            Step.PRINT: PrintPage(kiosk, printer),
            Step.DONE: DonePage(kiosk),
        }
        for page in self.pages.values():
            self.stack.addWidget(page)
        self.qr_offer = QrOfferBar(kiosk)
        self.cancel_bar = CancelBar(kiosk)
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.qr_offer)
        column.addWidget(self.cancel_bar)
        column.addWidget(self.stack, 1)
        self.column = column
        self.registry_panel: RegistryPanel | None = None
        if registry is not None:
            self.add_registry(registry)
        self.setCentralWidget(central)
        self._build_status_bar_and_keys(kiosk, status)
        self.activity = ActivityFilter(idle)
        self.wedge = WedgeFilter(kiosk)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.activity)
            app.installEventFilter(self.wedge)
        self.ticker = QTimer(self)
        self.ticker.setInterval(1000)
        self.ticker.timeout.connect(lambda: idle.tick(time.monotonic()))
        self.ticker.start()
        self._step: Step | None = None
        kiosk.view.subscribe(self.show_view)
        idle.view.subscribe(self.show_idle)

    def warm_up(self) -> None:
        """Draw the catalog's screen texts once, off screen, in the label styles the visit pages use,
        once the catalog is loaded: the first visit of the day then finds the glyphs ready."""
        if not self.kiosk.ready:  # the catalog is not loaded yet (nothing to draw)
            return
        text = screen_texts(self.kiosk.catalog)
        for name in ("", "title", "warning"):
            label = PlainLabel(text, self)
            label.setObjectName(name)
            label.setWordWrap(True)
            label.setFixedWidth(1200)
            label.grab()
            label.deleteLater()

    def _build_status_bar_and_keys(self, kiosk: KioskPresenter, status: str) -> None:
        """The status bar (status, errors, countdown, 中止) and the window's function keys."""
        self.countdown = PlainLabel()
        self.countdown.setObjectName("warning")
        self.status_text = PlainLabel(status)
        self.statusBar().addWidget(self.status_text, 1)
        self.statusBar().addPermanentWidget(self.countdown)
        self.error_box = PlainLabel()
        self.error_box.setObjectName("warning")
        self.statusBar().addWidget(self.error_box)
        self.cancel_button = QPushButton("受付を中止(Esc)")
        self.cancel_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.cancel_button.clicked.connect(kiosk.request_cancel)
        self.statusBar().addPermanentWidget(self.cancel_button)
        self.escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        self.escape.activated.connect(kiosk.escape)
        # 本日の再印刷 (F8): between visits only, so two residents' papers are never on screen at once.
        self.reprint_key = QShortcut(QKeySequence("F8"), self)
        self.reprint_key.activated.connect(self.open_reprint)
        # 受付の補足 (F7): 整理券, 代理人, procedures added by hand, note, certificate options.
        self.extras_key = QShortcut(QKeySequence("F7"), self)
        self.extras_key.activated.connect(self.open_extras)

    def pin_on_resident_screen(self, elsewhere: bool) -> None:
        page = self.pages[Step.IDENTIFY]
        assert isinstance(page, IdentifyPage)
        page.pad_on_resident_screen(elsewhere)

    def add_registry(self, registry: RegistryPresenter) -> None:
        """The resident registry (docs/registry.md): on the household step, and on the waiting page to
        search without a card. Absent when this counter has no registry configured; added once the
        storage is open (start-up order, docs/architecture.md)."""
        self.registry_panel = RegistryPanel(registry)
        self.column.addWidget(self.registry_panel)
        self.registry_panel.setVisible(self.kiosk.view.value.step in (Step.WAITING, Step.HOUSEHOLD))

    def set_status(self, text: str) -> None:
        self.status_text.setText(text)

    def show_view(self, view: KioskView) -> None:
        page = self.pages[view.step]
        self.error_box.setText(view.error)
        self.qr_offer.show_offer(view.qr_offer, view.qr_offer_can_add)
        in_visit = view.step not in (Step.WAITING, Step.DONE)
        if self.registry_panel is not None:
            self.registry_panel.setVisible(view.step in (Step.WAITING, Step.HOUSEHOLD))
        self.cancel_button.setVisible(in_visit)
        self.cancel_bar.setVisible(view.cancelling)
        if view.cancelling:
            self.cancel_bar.setFocus()
        if view.step is not self._step:
            entering = view.step
            self._step = entering
            self.stack.setCurrentWidget(page)
            focused = QApplication.focusWidget()
            if focused is None or not page.isAncestorOf(focused):
                page.setFocus()  # pages that chose a field or a button keep it
            if entering in (Step.WAITING, Step.DONE):
                self.idle.stop()
            elif not self.idle.view.value.active:
                self.idle.watch(time.monotonic())

    def open_extras(self) -> ExtrasDialog | None:
        if self.kiosk.session is None or self.kiosk.view.value.step in (Step.WAITING, Step.DONE):
            return None
        dialog = ExtrasDialog(self.kiosk, self)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def open_reprint(self) -> ReprintDialog | None:
        if self.reprint is None or self.kiosk.view.value.step not in (Step.WAITING, Step.DONE):
            return None
        dialog = ReprintDialog(self.reprint, self)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def show_idle(self, view: IdleView) -> None:
        self.countdown.setText(
            ""
            if view.countdown is None
            else f"操作がありません。あと{view.countdown}秒で受付を一時保存して画面を消去します"
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        # Closing mid-visit loses nothing: the visit is kept as an encrypted draft and offered again
        # at the next start (no modal question: a kiosk may be shut down by the OS at day end).
        if self.kiosk.view.value.step not in (Step.WAITING, Step.DONE):
            self.kiosk.put_aside()
        self.ticker.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.activity)
            app.removeEventFilter(self.wedge)
        event.accept()
