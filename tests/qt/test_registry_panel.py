"""The registry bar on the household step: one key (F10) fills the household from the resident registry
(the real encrypted extract index, built through ``madoguchi``'s own wiring from registry.yaml); a
search shows the strong badges; the registry down is a line on screen and the visit goes on."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from card_reader.basic_four import Sex as CardSex
from card_reader.virtual import VirtualCardProfile
from counter_app.adapters.card_source import DemoCardSource
from counter_app.adapters.registry.config import RegistryConfig
from counter_app.adapters.registry.extract import INDEX_FILE_NAME, KEY_PURPOSE, load_extract
from counter_app.presenters.kiosk import Step
from counter_app.settings.config import Settings
from counter_app.ui.main_window import MainWindow
from counter_app.wiring.kiosk import build_kiosk
from counter_app.workflow.tasks import ImmediateRunner
from tests.registry_data import card_address, generate, write_csv
from tests.unit.app.kiosk_helpers import DEMO_PIN, read_demo_card

SHIPPED = Path(__file__).parents[2] / "procedures" / "catalogs" / "sazanami"


def test_f7_fills_the_household_and_search_shows_badges(qtbot: QtBot, tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    shutil.copytree(SHIPPED, catalog)
    (catalog / "registry.yaml").write_text("format: madoguchi-registry/1\nsource: csv\n", encoding="utf-8")
    rows = generate(residents=600, households=250, seed=5)
    households: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        households.setdefault(row["世帯番号"], []).append(row)
    family = next(
        m for m in households.values()
        if len(m) == 3 and all(r["住民状態"] == "1" for r in m) and m[0]["続柄"] == "世帯主"
    )  # fmt: skip
    head = family[0]
    card = DemoCardSource(
        VirtualCardProfile(
            name=head["氏名"], address=card_address(head), birth_date=dt.date.fromisoformat(head["生年月日"]),
            sex=CardSex.MALE if head["性別"] == "1" else CardSex.FEMALE, pin=DEMO_PIN,
        )
    )  # fmt: skip
    settings = Settings(
        counter_name="1番窓口", data_dir=tmp_path / "data", config_path=tmp_path / "c.toml",
        catalog_folder=str(catalog),
    )  # fmt: skip
    parts = build_kiosk(settings, ImmediateRunner(), card_source=card)
    try:
        assert parts.registry is not None
        key = parts.storage.drafts.keys.subkey(KEY_PURPOSE)
        load_extract(
            write_csv(tmp_path / "x.csv", rows), RegistryConfig(), settings.data_dir / INDEX_FILE_NAME, key
        )
        window = MainWindow(
            parts.kiosk, parts.printer, parts.idle, "1番窓口", False, parts.status, registry=parts.registry
        )
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        panel = window.registry_panel
        assert panel is not None
        kiosk = parts.kiosk
        read_demo_card(kiosk)
        assert kiosk.confirm_member()
        kiosk.choose_event("tenkyo")
        assert kiosk.view.value.step is Step.HOUSEHOLD and panel.isVisible()
        qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
        target = QApplication.focusWidget()
        assert target is not None
        qtbot.keyClick(target, Qt.Key.Key_F10)  # a button's shortcut clicks it after 100 ms
        qtbot.waitUntil(lambda: kiosk.session is not None and len(kiosk.session.members) == 3)
        assert panel.list.count() == 3 and panel.message.text() == ""
        assert "住民記録から2人を追加しました" in panel.note.text()

        dead = next(r for r in rows if r["住民状態"] == "3")
        panel.search_box.setText(dead["宛名番号"])
        qtbot.mouseClick(panel.search_button, Qt.MouseButton.LeftButton)
        assert panel.list.count() == 1 and panel.list.item(0).text().startswith("【死亡】")
        assert panel.search_box.text() == ""
        assert all(label.textFormat() == Qt.TextFormat.PlainText for label in panel.findChildren(QLabel))

        (settings.data_dir / INDEX_FILE_NAME).unlink()  # the extract is gone: a line, the visit goes on
        qtbot.mouseClick(panel.fetch_button, Qt.MouseButton.LeftButton)
        assert panel.message.text().startswith("住民記録の抽出データが読み込まれていません")
        assert kiosk.view.value.step is Step.HOUSEHOLD
    finally:
        parts.printer.stop()
        parts.storage.close()
