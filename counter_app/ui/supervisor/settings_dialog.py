"""The counter's settings, for a signed-in supervisor: edited, validated, saved, audited.

The values are those of ``madoguchi.toml`` (:mod:`counter_app.settings.config`): counter name, printer, card
reader, idle timeout, catalog folder, database URL. Saving validates with :meth:`Settings.replace` (and
loads a municipality's catalog folder to catch its errors now, not at the next start), writes the file
atomically with :func:`save_settings` and records one ``settings_change`` audit entry per changed key.
A database URL may hold a password: its values never go into the audit log, only that it changed.
A key overridden by an environment variable cannot be changed here (the file would not win).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtPrintSupport import QPrinterInfo
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from counter_app.adapters.recording import Recorder
from counter_app.adapters.store.records import MAX_DETAIL_VALUE, AuditKind, DetailValue
from counter_app.presenters.messages import clerk_message
from counter_app.settings.config import ConfigError, Settings, changed_keys, key_for_attribute, save_settings
from counter_app.ui.plain import PlainLabel

RESTART_NOTE = (
    "窓口名・監督者メニューを閉じるまでの時間・プリンター・カードリーダー・カタログ・データベースの変更は、"
    "アプリを再起動すると反映されます。"
)
DEFAULT_PRINTER_HINT = "空欄: OSの既定のプリンター"
DEFAULT_READER_HINT = "空欄: 最初に見つかったカードリーダー"
# Settings that take effect only when the kiosk is started again.
RESTART_KEYS = frozenset(
    {
        "counter.name",
        "counter.supervisor_idle_minutes",
        "devices.printer",
        "devices.reader",
        "catalog.folder",
        "database.url",
    }
)
SECRET_KEYS = frozenset({"database.url"})


def installed_printers() -> list[str]:
    """The printers the system knows (on Linux and macOS: the CUPS queues)."""
    return sorted(QPrinterInfo.availablePrinterNames())


def connected_readers() -> list[str]:
    """The PC/SC readers present now; none when pyscard or the PC/SC service is missing."""
    try:
        from card_reader.errors import CardError
        from card_reader.pcsc import PcscContext
    except ImportError:
        return []
    try:
        with PcscContext() as context:
            return context.readers()
    except CardError:
        return []


def _audit_value(key: str, value: object) -> DetailValue:
    if key in SECRET_KEYS:
        return "(設定あり)" if value else ""
    if isinstance(value, int | float | bool) or value is None:
        return value
    text = str(value)
    return text if len(text) <= MAX_DETAIL_VALUE else text[: MAX_DETAIL_VALUE - 1] + "…"


def split_password(url: str) -> tuple[str, str]:
    """The URL without its password (to show), and the password."""
    if not url:
        return "", ""
    from sqlalchemy.engine import URL, make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError:
        return url, ""
    if not parsed.password:
        return url, ""
    without = URL.create(
        parsed.drivername, parsed.username, None, parsed.host, parsed.port, parsed.database, parsed.query
    )
    return without.render_as_string(hide_password=False), str(parsed.password)


def join_password(url: str, password: str) -> str:
    """``url`` with ``password`` put back (unless the URL is empty or names a password itself)."""
    if not url or not password:
        return url
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError:
        return url  # refused with its own message by the validation
    if parsed.password or parsed.get_backend_name() != "postgresql":
        return url
    return parsed.set(password=password).render_as_string(hide_password=False)


def check_catalog_folder(folder: str) -> None:
    """Raise what loading the municipality's catalog would raise at the next start."""
    if not folder:
        return
    if not Path(folder).is_dir():
        raise ConfigError("settings", "catalog.folder", f"フォルダーが見つかりません: {folder}")
    from procedures.catalog import load_catalog

    load_catalog(folder)


class SettingsPanel(QWidget):
    """The settings form with its save button; emits :attr:`saved` with the new :class:`Settings`."""

    saved = Signal(object)

    def __init__(
        self,
        settings: Settings,
        recorder: Recorder,
        *,
        clerk_id: str = "",
        printers: Sequence[str] | None = None,
        readers: Sequence[str] | None = None,
        environ: Mapping[str, str] | None = None,
        catalog_check: Callable[[str], None] = check_catalog_folder,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.recorder = recorder
        self.clerk_id = clerk_id
        self.catalog_check = catalog_check
        env = os.environ if environ is None else environ

        self.counter_name = QLineEdit(settings.counter_name)
        self.counter_name.setMaxLength(64)
        self.printer = self._choice(
            printers if printers is not None else installed_printers(), settings.printer, DEFAULT_PRINTER_HINT
        )
        self.reader = self._choice(
            readers if readers is not None else connected_readers(), settings.reader, DEFAULT_READER_HINT
        )
        self.idle_timeout = QSpinBox()
        self.idle_timeout.setRange(1, 120)
        self.idle_timeout.setSuffix(" 分")
        self.idle_timeout.setValue(settings.idle_timeout_minutes)
        self.supervisor_idle = QSpinBox()
        self.supervisor_idle.setRange(1, 60)
        self.supervisor_idle.setSuffix(" 分")
        self.supervisor_idle.setValue(settings.supervisor_idle_minutes)
        self.catalog_folder = QLineEdit(settings.catalog_folder)
        self.catalog_folder.setPlaceholderText("空欄: 同梱のカタログ")
        browse = QPushButton("参照…")
        browse.clicked.connect(self._browse_catalog)
        # The password never appears on screen: the URL is shown without it, and a new one is typed in
        # a masked field (left empty, the stored password is kept).
        shown_url, self._database_password = split_password(settings.database_url)
        self.database_url = QLineEdit(shown_url)
        self.database_url.setPlaceholderText(
            "空欄: この端末のSQLite(例: postgresql://user@db-host/madoguchi)"
        )
        self.database_password = QLineEdit()
        self.database_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.database_password.setPlaceholderText(
            "設定済み(変更するときだけ入力)" if self._database_password else "パスワード(必要なときだけ)"
        )
        self.message = PlainLabel("")
        self.message.setObjectName("warning")
        self.message.setWordWrap(True)
        self.result = PlainLabel("")
        self.result.setWordWrap(True)
        self.save_button = QPushButton("保存")
        self.save_button.setObjectName("primary")
        self.save_button.clicked.connect(self.save)

        self._fields: dict[str, QWidget] = {
            "counter_name": self.counter_name,
            "printer": self.printer,
            "reader": self.reader,
            "idle_timeout_minutes": self.idle_timeout,
            "supervisor_idle_minutes": self.supervisor_idle,
            "catalog_folder": self.catalog_folder,
            "database_url": self.database_url,
        }
        self.database_password.setToolTip("データベースのパスワード。画面には表示しません")
        overridden = []
        for attr, widget in self._fields.items():
            key = key_for_attribute(attr)
            widget.setToolTip(key.doc)
            if key.env in env:
                widget.setEnabled(False)
                overridden.append(key.env)
        browse.setEnabled(self.catalog_folder.isEnabled())
        self.database_password.setEnabled(self.database_url.isEnabled())
        self._lay_out(browse, overridden)

    def _lay_out(self, browse: QPushButton, overridden: list[str]) -> None:
        catalog_row = QHBoxLayout()
        catalog_row.addWidget(self.catalog_folder, 1)
        catalog_row.addWidget(browse)
        form = QFormLayout()
        form.addRow("窓口の名前", self.counter_name)
        form.addRow("プリンター", self.printer)
        form.addRow("カードリーダー", self.reader)
        form.addRow("操作がないときの保存・消去まで", self.idle_timeout)
        form.addRow("監督者メニューを自動で閉じるまで", self.supervisor_idle)
        form.addRow("手続カタログのフォルダー", catalog_row)
        form.addRow("データベースのURL", self.database_url)
        form.addRow("データベースのパスワード", self.database_password)
        note = PlainLabel(RESTART_NOTE)
        note.setObjectName("hint")
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        if overridden:
            env_note = PlainLabel(
                "環境変数で指定されている項目はここでは変更できません: " + ", ".join(overridden)
            )
            env_note.setObjectName("hint")
            env_note.setWordWrap(True)
            layout.addWidget(env_note)
        layout.addWidget(note)
        layout.addWidget(self.message)
        layout.addWidget(self.result)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)

    @staticmethod
    def _choice(options: Sequence[str], current: str, hint: str) -> QComboBox:
        box = QComboBox()
        box.setEditable(True)
        edit = box.lineEdit()
        assert edit is not None
        edit.setPlaceholderText(hint)
        box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        box.addItem("")
        for option in dict.fromkeys([*options, *([current] if current else [])]):
            box.addItem(option)
        box.setCurrentText(current)
        return box

    def _browse_catalog(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, "手続カタログのフォルダー", self.catalog_folder.text()
        )
        if folder:
            self.catalog_folder.setText(folder)

    def edited(self) -> Settings:
        """The settings as filled in (validated; raises :class:`ConfigError`)."""
        return self.settings.replace(
            counter_name=self.counter_name.text().strip(),
            printer=self.printer.currentText().strip(),
            reader=self.reader.currentText().strip(),
            idle_timeout_minutes=self.idle_timeout.value(),
            supervisor_idle_minutes=self.supervisor_idle.value(),
            catalog_folder=self.catalog_folder.text().strip(),
            database_url=join_password(
                self.database_url.text().strip(), self.database_password.text() or self._database_password
            ),
        )

    def save(self) -> Settings | None:
        """Validate, write the file, audit each change; on any error say why and keep the form."""
        self.result.clear()
        try:
            new = self.edited()
            if new.catalog_folder != self.settings.catalog_folder:
                self.catalog_check(new.catalog_folder)
        except Exception as exc:  # ConfigError, CatalogError …: every one has a Japanese message
            self.message.setText(clerk_message(exc).text)
            return None
        changes = changed_keys(self.settings, new)
        if not changes:
            self.message.clear()
            self.result.setText("変更はありません。")
            return self.settings
        try:
            save_settings(new)
        except (OSError, ConfigError) as exc:
            self.message.setText(
                clerk_message(exc).text
                if isinstance(exc, ConfigError)
                else f"設定ファイルを保存できませんでした({exc.strerror or exc}): {new.config_path}"
            )
            return None
        for key, old_value, new_value in changes:
            self.recorder.audit(
                AuditKind.SETTINGS_CHANGE,
                clerk_id=self.clerk_id,
                detail={
                    "setting": key,
                    "old": _audit_value(key, old_value),
                    "new": _audit_value(key, new_value),
                },
            )
        self.settings = new
        self.message.clear()
        restart = any(key in RESTART_KEYS for key, _, _ in changes)
        self.result.setText("保存しました。" + ("再起動すると反映される項目があります。" if restart else ""))
        self.saved.emit(new)
        return new


class SettingsDialog(QDialog):
    """The panel on its own, as a dialog (the supervisor window shows the panel in a tab)."""

    def __init__(
        self,
        settings: Settings,
        recorder: Recorder,
        *,
        clerk_id: str = "",
        printers: Sequence[str] | None = None,
        readers: Sequence[str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("窓口の設定")
        self.panel = SettingsPanel(settings, recorder, clerk_id=clerk_id, printers=printers, readers=readers)
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel)
