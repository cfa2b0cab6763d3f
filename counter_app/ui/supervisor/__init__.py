"""Supervisor-only screens behind the sign-in: statistics (統計) and the counter's settings (設定).

``open_supervisor(parent, storage, settings)`` opens the sign-in dialog and, on the right password, a
dialog with the two tabs. Both are window-modal and opened with ``open()``: the call returns at once and
the kiosk's event loop keeps running (card watcher, print queue, idle timer).
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTabWidget, QVBoxLayout, QWidget

from counter_app.config import Settings
from counter_app.services.storage import CounterStorage
from counter_app.services.supervisors import SupervisorSession
from counter_app.ui.plain import PlainLabel
from counter_app.ui.supervisor.settings_dialog import SettingsPanel
from counter_app.ui.supervisor.sign_in import SignInDialog
from counter_app.ui.supervisor.stats_view import StatsView, catalog_labels

__all__ = ["SignInDialog", "SupervisorDialog", "open_supervisor"]


class SupervisorDialog(QDialog):
    """統計 and 設定 for one signed-in supervisor."""

    def __init__(
        self,
        storage: CounterStorage,
        settings: Settings,
        session: SupervisorSession,
        *,
        labels: Mapping[str, str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(f"監督者メニュー({session.login})")
        self.stats = StatsView(storage, clerk_id=session.login, labels=labels)
        self.settings_panel = SettingsPanel(settings, storage.recorder, clerk_id=session.login)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.stats, "統計")
        self.tabs.addTab(self.settings_panel, "設定")
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText("閉じる")
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(PlainLabel(f"サインイン中: {session.login}"))
        layout.addWidget(self.tabs, 1)
        layout.addWidget(close)
        self.resize(1200, 800)
        self.stats.refresh()


def open_supervisor(
    parent: QWidget,
    storage: CounterStorage,
    settings: Settings,
    *,
    labels: Mapping[str, str] | None = None,
) -> None:
    """Sign in first; on success show the supervisor dialog. Returns at once (nothing blocks).
    ``labels`` (id → 名称) default to the names in the counter's catalog."""
    sign_in = SignInDialog(storage.supervisors, parent)
    sign_in.setWindowModality(Qt.WindowModality.WindowModal)
    sign_in.finished.connect(sign_in.deleteLater)

    def signed_in(session: object) -> None:
        assert isinstance(session, SupervisorSession)
        names = catalog_labels(settings) if labels is None else labels
        dialog = SupervisorDialog(storage, settings, session, labels=names, parent=parent)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    sign_in.signed_in.connect(signed_in)
    sign_in.open()
