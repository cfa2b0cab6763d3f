"""Hostile values typed into the supervisor's settings panel (issue 16, item 5): each is refused with
one Japanese line that says what to do, nothing is saved, nothing is audited."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from counter_app.adapters.storage import CounterStorage
from counter_app.presenters.supervisor import SettingsEditor
from counter_app.settings.config import Settings
from counter_app.ui.supervisor.settings_dialog import SettingsPanel
from tests.hostile.harness import CATCH_ALL, JAPANESE

HOSTILE: dict[str, tuple[str, str]] = {
    # name: (field, value typed)
    "counter_star": ("counter_name", "*"),
    "counter_empty": ("counter_name", "   "),
    "counter_escape": ("counter_name", "\x1b[2J窓口"),
    "counter_newline": ("counter_name", "1番\n窓口"),
    "printer_escape": ("printer", "\x1b]0;owned\x07LP"),
    "printer_huge": ("printer", "P" * 5_000),
    "reader_control": ("reader", "Reader\x00\x07"),
    "catalog_dev_zero": ("catalog_folder", "/dev/zero"),
    "catalog_missing": ("catalog_folder", "/no/such/folder"),
    "catalog_a_file": ("catalog_folder", "/etc/hostname"),
    "database_mysql": ("database_url", "mysql://root@db/x"),
    "database_garbage": ("database_url", "postgresql://\x1b[2J@/"),
    "database_huge": ("database_url", "postgresql://u@h/" + "d" * 5_000),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_settings_are_refused(
    name: str, qtbot: QtBot, storage: CounterStorage, settings: Settings
) -> None:
    field, value = HOSTILE[name]
    panel = SettingsPanel(SettingsEditor(settings, storage.recorder), printers=[], readers=[], environ={})
    qtbot.addWidget(panel)
    widget = getattr(panel, field)
    if hasattr(widget, "setEditText"):
        widget.setEditText(value)
    else:
        widget.setText(value)
    pending = storage.local.counts().pending
    assert panel.save() is None, name
    line = panel.message.text()
    assert line and "\n" not in line and JAPANESE.search(line) and CATCH_ALL not in line, line
    assert not settings.config_path.exists()  # nothing written
    assert storage.local.counts().pending == pending  # nothing audited
