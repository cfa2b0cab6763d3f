"""The supervisor screens' work, without widgets: exporting statistics and saving settings say what
went wrong in Japanese (never the operating system's English text) and audit what they did."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from counter_app.adapters.storage import CounterStorage
from counter_app.presenters.supervisor import SettingsEditor, StatsQuery, SupervisorStats
from counter_app.settings.config import Settings

ENGLISH_OS_TEXT = ("No such file", "Permission denied", "Errno", "Is a directory")


@pytest.fixture
def storage(tmp_path: Path) -> Iterator[CounterStorage]:
    settings = Settings(counter_name="1番窓口", data_dir=tmp_path / "data", config_path=tmp_path / "c.toml")
    opened = CounterStorage(settings, background=False)
    opened.start()
    yield opened
    opened.close()


def test_a_failed_export_says_so_in_japanese_and_audits_nothing(
    storage: CounterStorage, tmp_path: Path
) -> None:
    stats = SupervisorStats(storage, clerk_id="kanri")
    report = stats.report(StatsQuery.day(dt.date(2026, 12, 4)))
    assert not isinstance(report, str)
    message = stats.export(report, tmp_path / "no-such-folder" / "out.csv")
    assert message.startswith("CSVを書き出せませんでした。")
    assert not any(text in message for text in ENGLISH_OS_TEXT)
    assert stats.export(report, tmp_path / "out.csv") == ""
    assert (tmp_path / "out.csv").read_bytes() == report.to_csv()


def test_settings_that_cannot_be_written_say_so_in_japanese(storage: CounterStorage, tmp_path: Path) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the settings folder should be", encoding="utf-8")
    settings = storage.settings.replace(config_path=blocked / "madoguchi.toml")
    editor = SettingsEditor(settings, storage.recorder, clerk_id="kanri")
    outcome = editor.save(settings.replace(idle_timeout_minutes=9))
    assert outcome.settings is None and not outcome.changed
    assert outcome.message.startswith("設定ファイルを保存できませんでした")
    assert not any(text in outcome.message for text in ENGLISH_OS_TEXT)
    unchanged = editor.save(settings)
    assert unchanged.settings == settings and unchanged.result == "変更はありません。"
