"""The municipality's 町丁目 list (towns.yaml in its catalog folder): read, checked by catalog check,
offered as completion of the address (issue 18)."""

from __future__ import annotations

import shutil
from pathlib import Path

from counter_app.adapters.card_source import DemoCardSource
from counter_app.presenters.kiosk import KioskPresenter
from counter_app.workflow.tasks import ImmediateRunner
from procedures.catalog import check_catalog, load_catalog, resolve_catalog_dir
from procedures.towns import TOWNS_FILE, read_towns


def test_the_default_catalog_lists_its_towns_and_the_kiosk_offers_them() -> None:
    towns, issues = read_towns(resolve_catalog_dir("default"))
    assert issues == []
    assert towns is not None and towns.prefix == "東京都みどり川区"
    assert "本町一丁目" in towns.names
    kiosk = KioskPresenter(load_catalog(), DemoCardSource(), ImmediateRunner())
    assert "東京都みどり川区本町一丁目" in kiosk.town_addresses


def test_a_folder_without_the_list_offers_nothing() -> None:
    assert read_towns(resolve_catalog_dir("sazanami")) == (None, [])


def test_catalog_check_reports_each_bad_town_with_its_line(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    shutil.copytree(resolve_catalog_dir("default"), folder)
    (folder / TOWNS_FILE).write_text(
        "format: madoguchi-towns/1\nprefix: 東京都みどり川区\ntowns:\n  - 本町一丁目\n  - 本町一丁目\n"
        "  - 東京都みどり川区若葉町\n  - 中 央\n",
        encoding="utf-8",
    )
    report = check_catalog(folder)
    messages = [str(i) for i in report.issues if i.file.endswith(TOWNS_FILE)]
    shown = str(folder / TOWNS_FILE)
    assert messages == [
        f"{shown}:5: 町丁目「本町一丁目」が2回あります",
        f"{shown}:6: 町丁目「東京都みどり川区若葉町」に prefix を重ねて書かないでください",
        f"{shown}:7: 町丁目の名前が正しくありません(空白なし・40文字まで)",
    ]
    assert not report.ok
