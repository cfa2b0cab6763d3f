"""Starting the kiosk: the QApplication, the clerk's window, the resident's window."""

from __future__ import annotations

import sys
from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QWidget

from counter_app.presenters.messages import clerk_message
from counter_app.presenters.supervisor import SupervisorMenu
from counter_app.settings.config import Settings
from counter_app.ui.camera import CameraScanner
from counter_app.ui.main_window import MainWindow
from counter_app.ui.resident_window import ResidentWindow
from counter_app.ui.style import STYLESHEET, ui_font
from counter_app.ui.supervisor import open_supervisor
from counter_app.ui.tasks import QtTaskRunner
from counter_app.ui.translations import install_japanese
from counter_app.wiring.kiosk import build_kiosk


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


def run_kiosk(
    settings: Settings,
    *,
    demo: bool | None = None,
    fullscreen: bool = False,
    quit_after_ms: int | None = None,
) -> int:
    app = _application()
    runner = QtTaskRunner()
    parts = build_kiosk(settings, runner, demo=demo)
    window = MainWindow(
        parts.kiosk,
        parts.printer,
        parts.idle,
        settings.counter_name,
        parts.demo,
        parts.status,
        reprint=parts.reprint,
        registry=parts.registry,
        resident_language=parts.resident_language,
    )
    supervisor = QShortcut(QKeySequence("F12"), window)  # 監督者: statistics and settings, after sign-in
    menu = SupervisorMenu(parts.storage, settings, reprint=parts.reprint)
    supervisor.activated.connect(lambda: open_supervisor(window, menu))
    screens = app.screens()
    # devices.resident_screen: auto = when a second monitor is connected; on = always (one monitor
    # shows it as a second window); off = never.
    show_resident = settings.resident_screen == "on" or (
        settings.resident_screen == "auto" and len(screens) > 1
    )
    resident = ResidentWindow(parts.kiosk, settings.counter_name, parts.resident_language)
    if show_resident:
        target = screens[1] if len(screens) > 1 else screens[0]
        resident.setGeometry(target.availableGeometry())
        resident.show()
        window.pin_on_resident_screen(True)
    if fullscreen:
        window.showFullScreen()
    else:
        window.resize(1280, 800)
        window.show()
    parts.window_shown()  # watch for cards; no full garbage collection walks the start's objects
    # A camera (if the counter has one) reads the resident's QR codes too; decoding runs off the GUI thread.
    camera = CameraScanner(window)
    camera.payloadScanned.connect(parts.kiosk.qr_scanned)
    if camera.start():
        parts.status += " ／ QRカメラ: 使用中"

    def show_storage() -> None:
        # The database may be down: the counter keeps working (visits wait in the local outbox).
        status = parts.storage.status()
        extra = f" ／ {clerk_message(status.problem).text}" if status.problem is not None else ""
        if status.pending:
            extra += f" ／ 記録の送信待ち {status.pending}件"
        window.set_status(parts.status + extra)

    storage_timer = QTimer(window)
    storage_timer.setInterval(15_000)
    storage_timer.timeout.connect(show_storage)
    storage_timer.start()
    _every_minute(window, parts.purge_spool)  # the spool's day-end purge (drafts: the sync thread)
    show_storage()
    if quit_after_ms is not None:
        QTimer.singleShot(quit_after_ms, window.close)
    try:
        return int(app.exec())
    finally:
        camera.stop()
        if parts.watcher is not None:
            parts.watcher.stop()
        parts.printer.stop()
        runner.wait()
        resident.close()
        parts.storage.close()
