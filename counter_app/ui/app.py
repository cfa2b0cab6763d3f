"""Starting the kiosk: the QApplication, the clerk's window, the resident's window.

Start-up order (docs/architecture.md): the window shows first, with the card watcher armed; the
catalog (loaded and checked), fonts, layouts and the storage load on a worker meanwhile
(:func:`~counter_app.wiring.kiosk.load_services`); what a visit needs from them waits for them. When
that load fails the clerk reads the same Japanese message as before and the kiosk closes.
"""

from __future__ import annotations

import importlib
import logging
import sys
from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from counter_app.presenters.messages import clerk_message
from counter_app.settings.config import Settings
from counter_app.settings.startup import READY, mark
from counter_app.ui.main_window import MainWindow
from counter_app.ui.resident_window import ResidentWindow
from counter_app.ui.style import STYLESHEET, ui_font
from counter_app.ui.tasks import QtTaskRunner
from counter_app.ui.translations import install_japanese
from counter_app.wiring.kiosk import (
    Kiosk,
    KioskServices,
    KioskStart,
    finish_kiosk,
    load_services,
    settle_after_start,
    start_kiosk,
)

log = logging.getLogger(__name__)


def _application() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Madoguchi")
    install_japanese(app)  # Qt's own dialog texts (buttons, print dialog) in Japanese
    app.setFont(ui_font())
    app.setStyleSheet(STYLESHEET)
    return app


def _every_minute(window: QWidget, task: Callable[[], object]) -> QTimer:
    timer = QTimer(window)
    timer.setInterval(60_000)
    timer.timeout.connect(task)
    timer.start()
    return timer


class KioskStartUp:
    """The window first, then the services from a worker; the kiosk's parts once they are there."""

    def __init__(
        self,
        app: QApplication,
        runner: QtTaskRunner,
        settings: Settings,
        start: KioskStart,
        window: MainWindow,
        quit_app: Callable[[int], None] | None = None,
    ) -> None:
        """``quit_app`` ends the application with an exit code (``app.exit``; tests pass their own)."""
        self.app = app
        self.quit_app = quit_app or app.exit
        self.runner = runner
        self.settings = settings
        self.start = start
        self.window = window
        self.parts: Kiosk | None = None
        self.problem: str = ""
        self.exit_code = 0
        self.camera: object | None = None  # the CameraScanner, started after the services

    def load(self) -> None:
        def work() -> KioskServices:
            services = load_services(self.settings)
            importlib.import_module("counter_app.ui.camera")  # Qt Multimedia, off the GUI thread
            return services

        self.runner.run(work, self.loaded, self.failed)

    def loaded(self, services: object) -> None:
        assert isinstance(services, KioskServices)
        try:  # e.g. a registry.yaml that cannot be used: the same message as a failed load
            parts = finish_kiosk(self.start, services)
        except Exception as exc:
            services.storage.close()
            self.failed(exc)
            return
        self.parts = parts
        if parts.registry is not None:
            self.window.add_registry(parts.registry)
        self.window.reprint = parts.reprint
        storage_timer = QTimer(self.window)
        storage_timer.setInterval(15_000)
        storage_timer.timeout.connect(self.show_storage)
        storage_timer.start()
        _every_minute(self.window, parts.purge_spool)  # the spool's day-end purge (drafts: the sync thread)
        self._start_camera(parts)
        self.show_storage()
        self.window.warm_up()  # the first visit finds the catalog's glyphs drawn once already
        settle_after_start()  # no full garbage collection walks what the start built, during a visit

    def failed(self, error: BaseException) -> None:
        """A broken catalog, layout or 外字 map, a database at another version: no visit starts, the
        clerk reads why (as the command line printed it before the window existed), the kiosk closes."""
        message = clerk_message(error)
        log.error("start-up failed: %s", type(error).__name__)
        self.problem = message.text
        self.exit_code = message.exit_code
        self.start.kiosk.services_failed(message.text)
        sys.stderr.write(message.text + "\n")
        box = QMessageBox(QMessageBox.Icon.Critical, "Madoguchi", message.text, parent=self.window)
        box.setObjectName("startProblem")
        box.finished.connect(lambda _result: self.quit_app(self.exit_code))
        box.open()

    def _start_camera(self, parts: Kiosk) -> None:
        # A camera (if the counter has one) reads the resident's QR codes too; decoding runs off the GUI
        # thread. Qt Multimedia is loaded here, after the window, not before it.
        from counter_app.ui.camera import CameraScanner

        camera = CameraScanner(self.window)
        camera.payloadScanned.connect(parts.kiosk.qr_scanned)
        if camera.start():
            parts.status += " ／ QRカメラ: 使用中"
        self.camera = camera

    def show_storage(self) -> None:
        # The database may be down: the counter keeps working (visits wait in the local outbox).
        parts = self.parts
        if parts is None:
            return
        status = parts.storage.status()
        extra = f" ／ {clerk_message(status.problem).text}" if status.problem is not None else ""
        if status.pending:
            extra += f" ／ 記録の送信待ち {status.pending}件"
        self.window.set_status(parts.status + extra)

    def open_supervisor(self) -> None:
        """F12 (監督者: statistics and settings, after sign-in), once the storage is open."""
        if self.parts is None:
            self.window.set_status(self.start.status + " ／ 監督者メニューは準備ができてから開けます")
            return
        from counter_app.presenters.supervisor import SupervisorMenu
        from counter_app.ui.supervisor import open_supervisor

        menu = SupervisorMenu(self.parts.storage, self.settings, reprint=self.parts.reprint)
        open_supervisor(self.window, menu)

    def stop(self) -> None:
        from counter_app.ui.camera import CameraScanner

        if isinstance(self.camera, CameraScanner):
            self.camera.stop()
        if self.start.watcher is not None:
            self.start.watcher.stop()
        self.start.printer.stop()
        self.runner.wait()
        self.app.processEvents()  # services loaded just now: delivered, so that the storage is closed
        if self.parts is not None:
            self.parts.storage.close()


def run_kiosk(
    settings: Settings,
    *,
    demo: bool | None = None,
    fullscreen: bool = False,
    quit_after_ms: int | None = None,
) -> int:
    mark("imports")
    app = _application()
    mark("application")
    runner = QtTaskRunner()
    start = start_kiosk(settings, runner, demo=demo)
    window = MainWindow(
        start.kiosk,
        start.printer,
        start.idle,
        settings.counter_name,
        start.demo,
        start.status,
        resident_language=start.resident_language,
    )
    mark("window")
    startup = KioskStartUp(app, runner, settings, start, window)
    supervisor = QShortcut(QKeySequence("F12"), window)
    supervisor.activated.connect(startup.open_supervisor)
    screens = app.screens()
    # devices.resident_screen: auto = when a second monitor is connected; on = always (one monitor
    # shows it as a second window); off = never.
    show_resident = settings.resident_screen == "on" or (
        settings.resident_screen == "auto" and len(screens) > 1
    )
    resident: ResidentWindow | None = None
    if show_resident:  # built only when it is shown
        resident = ResidentWindow(start.kiosk, settings.counter_name, start.resident_language)
        target = screens[1] if len(screens) > 1 else screens[0]
        resident.setGeometry(target.availableGeometry())
        resident.show()
        window.pin_on_resident_screen(True)
    if fullscreen:
        window.showFullScreen()
    else:
        window.resize(1280, 800)
        window.show()
    mark("shown")
    if start.watcher is not None:
        start.watcher.start()

    def shown() -> None:  # the event loop runs, the window is painted and takes a card
        mark(READY)
        startup.load()  # catalog, fonts, layouts, storage: on a worker, after the window

    QTimer.singleShot(0, shown)
    if quit_after_ms is not None:
        QTimer.singleShot(quit_after_ms, window.close)
    try:
        code = int(app.exec())
        return code or startup.exit_code
    finally:
        startup.stop()
        if resident is not None:
            resident.close()
