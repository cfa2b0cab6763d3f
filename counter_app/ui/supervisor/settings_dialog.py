"""The counter's settings form, for a signed-in supervisor (saving: :class:`SettingsEditor`).

The values are those of ``madoguchi.toml`` (:mod:`counter_app.settings.config`): counter name, printer, card
reader, idle timeout, catalog folder, database URL. The form validates with :meth:`Settings.replace`;
:class:`~counter_app.presenters.supervisor.SettingsEditor` checks a new catalog folder, writes the file
and audits each change. A database URL may hold a password: it is never shown.
A key overridden by an environment variable cannot be changed here (the file would not win).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from counter_app.presenters.messages import clerk_message
from counter_app.presenters.supervisor import SettingsEditor
from counter_app.settings.config import Settings, join_password, key_for_attribute, split_password
from counter_app.ui.plain import PlainLabel

RESTART_NOTE = (
    "窓口名・監督者メニューを閉じるまでの時間・プリンター・カードリーダー・カタログ・データベースの変更は、"
    "アプリを再起動すると反映されます。"
)
DEFAULT_PRINTER_HINT = "空欄: OSの既定のプリンター"
DEFAULT_READER_HINT = "空欄: 最初に見つかったカードリーダー"


class SettingsPanel(QWidget):
    """The settings form with its save button; emits :attr:`saved` with the new :class:`Settings`."""

    saved = Signal(object)

    def __init__(
        self,
        editor: SettingsEditor,
        *,
        printers: Sequence[str] | None = None,
        readers: Sequence[str] | None = None,
        environ: Mapping[str, str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.editor = editor
        settings = editor.settings
        env = os.environ if environ is None else environ

        self.counter_name = QLineEdit(settings.counter_name)
        self.counter_name.setMaxLength(64)
        self.printer = self._choice(
            printers if printers is not None else editor.printers(), settings.printer, DEFAULT_PRINTER_HINT
        )
        self.reader = self._choice(
            readers if readers is not None else editor.readers(), settings.reader, DEFAULT_READER_HINT
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

    @property
    def settings(self) -> Settings:
        return self.editor.settings

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
        """Validate and hand the settings to the editor; on any error say why and keep the form."""
        self.result.clear()
        try:
            new = self.edited()
        except Exception as exc:  # ConfigError …: every one has a Japanese message
            self.message.setText(clerk_message(exc).text)
            return None
        outcome = self.editor.save(new)
        self.message.setText(outcome.message)
        self.result.setText(outcome.result)
        if outcome.changed and outcome.settings is not None:
            self.saved.emit(outcome.settings)
        return outcome.settings
