"""A configured printer that cannot be found stops the visit before printing, with a clear message;
PDF files are written only when no printer is configured and the system has none."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from counter_app.adapters.card_source import DemoCardSource
from counter_app.presenters.printing import PrintStep
from counter_app.settings.config import Settings
from counter_app.wiring.kiosk import build_kiosk, choose_print_backend
from counter_app.workflow.tasks import ImmediateRunner
from printing.folder_backend import FolderBackend
from tests.unit.app.kiosk_helpers import identify


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(counter_name="1番窓口", data_dir=tmp_path / "data", config_path=tmp_path / "c.toml")


def test_a_configured_printer_is_never_replaced_by_pdf_files(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CUPS_SERVER", "127.0.0.1:9")  # nothing answers: the print service is down
    configured = dataclasses.replace(settings, printer="2階窓口プリンター")
    backend, printer = choose_print_backend(configured)
    assert printer == "2階窓口プリンター"
    assert not isinstance(backend, FolderBackend)
    # Nothing configured and no print system: PDF files in the data folder (the demo set-up).
    backend, printer = choose_print_backend(settings)
    assert isinstance(backend, FolderBackend)


def test_printing_to_a_missing_printer_stops_before_the_preview(settings: Settings, tmp_path: Path) -> None:
    parts = build_kiosk(
        settings,
        ImmediateRunner(),
        card_source=DemoCardSource(),
        print_backend=FolderBackend(tmp_path / "printed"),
        printer_name="2階窓口プリンター",
    )
    try:
        kiosk = parts.kiosk
        kiosk.today = lambda: dt.date(2026, 11, 23)
        identify(kiosk)
        kiosk.choose_event("shoumei")
        assert kiosk.session is not None
        parts.printer.prepare(kiosk.session)
        view = parts.printer.view.value
        assert view.step is PrintStep.FAILED
        assert (
            view.message
            == "プリンター「2階窓口プリンター」が見つかりません。設定画面でプリンターを選び直してください。"
        )
        assert view.documents == ()
        assert not (tmp_path / "printed").exists() or not list((tmp_path / "printed").iterdir())
    finally:
        parts.storage.close()
