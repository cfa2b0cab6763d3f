"""Supervisor-only screens behind the sign-in: statistics (統計), today's hand-offs to the back office
(引き渡し) and the counter's settings (設定).

``open_supervisor(parent, menu)`` (a :class:`~counter_app.presenters.supervisor.SupervisorMenu`) opens
the sign-in dialog and, on the right password, a dialog with the three tabs. Both are window-modal and
opened with ``open()``: the call returns at once and the kiosk's event loop keeps running (card watcher,
print queue, idle timer).

The supervisor dialog signs out by itself (closes, emits ``expired``) after ``counter.supervisor_idle_
minutes`` without a key, click, wheel or touch anywhere in the app: a supervisor who walks away from the
counter does not leave the statistics and the settings open to the next person.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QInputEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from counter_app.presenters.supervisor import SupervisorMenu, SupervisorSession
from counter_app.ui.plain import PlainLabel
from counter_app.ui.reprint_panel import ReprintPanel
from counter_app.ui.supervisor.handoff_view import HandoffView
from counter_app.ui.supervisor.registry_view import RegistryLookupsView
from counter_app.ui.supervisor.settings_dialog import SettingsPanel
from counter_app.ui.supervisor.sign_in import SignInDialog
from counter_app.ui.supervisor.stats_view import StatsView

__all__ = ["SignInDialog", "SupervisorDialog", "open_supervisor"]


_INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)


class _InputWatcher(QObject):
    """Restarts the sign-out timer on any input the application receives."""

    def __init__(self, timer: QTimer) -> None:
        super().__init__()
        self.timer = timer

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(event, QInputEvent) and event.type() in _INPUT_EVENTS:  # the cheap check first
            self.timer.start()
        return False


class SupervisorDialog(QDialog):
    """統計 and 設定 for one signed-in supervisor; closes itself after ``idle_timeout`` without input."""

    expired = Signal()

    def __init__(
        self,
        menu: SupervisorMenu,
        session: SupervisorSession,
        *,
        labels: Mapping[str, str] | None = None,
        parent: QWidget | None = None,
        idle_timeout: dt.timedelta | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        timeout = menu.idle_timeout if idle_timeout is None else idle_timeout
        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.setInterval(max(1, int(timeout.total_seconds() * 1000)))
        self.idle_timer.timeout.connect(self._expire)
        self._watcher = _InputWatcher(self.idle_timer)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self._watcher)
        self.finished.connect(self._stop_watching)
        self.setWindowTitle(f"監督者メニュー({session.login})")
        self.stats = StatsView(menu.stats(session.login, labels))
        self.settings_panel = SettingsPanel(menu.settings_editor(session.login))
        self.tabs = QTabWidget()
        self.handoff = HandoffView(menu.handoffs())
        self.tabs.addTab(self.stats, "統計")
        self.tabs.addTab(self.handoff, "引き渡し")
        self.registry_lookups = RegistryLookupsView(menu.registry_lookups())
        self.tabs.addTab(self.registry_lookups, "住民記録の照会")
        self.tabs.addTab(self.settings_panel, "設定")
        self.reprint: ReprintPanel | None = None
        reprint = menu.reprint
        if reprint is not None:  # today's visits: reprint and correct, audited as this supervisor
            reprint.actor = f"supervisor:{session.login}"
            self.reprint = ReprintPanel(reprint)
            self.tabs.addTab(self.reprint, "再印刷・訂正")
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText("閉じる")
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(PlainLabel(f"サインイン中: {session.login}"))
        layout.addWidget(self.tabs, 1)
        layout.addWidget(close)
        self.resize(1200, 800)
        self.stats.refresh()
        self.handoff.refresh()
        self.registry_lookups.refresh()
        self.idle_timer.start()

    def _expire(self) -> None:
        """Sign out: close the menu (unsaved settings are dropped); the next use signs in again."""
        self.expired.emit()
        self.reject()

    def _stop_watching(self) -> None:
        self.idle_timer.stop()
        if self.reprint is not None:
            self.reprint.presenter.actor = "clerk"
            self.reprint.presenter.close()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self._watcher)


def open_supervisor(parent: QWidget, menu: SupervisorMenu) -> None:
    """Sign in first; on success show the supervisor dialog. Returns at once (nothing blocks).
    The statistics name ids (id → 名称) as :meth:`SupervisorMenu.labels` says (the counter's catalog)."""
    sign_in = SignInDialog(menu.sign_in(), parent)
    sign_in.setWindowModality(Qt.WindowModality.WindowModal)
    sign_in.finished.connect(sign_in.deleteLater)

    def signed_in(session: object) -> None:
        assert isinstance(session, SupervisorSession)
        dialog = SupervisorDialog(menu, session, labels=menu.labels(), parent=parent)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    sign_in.signed_in.connect(signed_in)
    sign_in.open()
