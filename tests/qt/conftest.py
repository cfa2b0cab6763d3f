"""pytest-qt on offscreen Qt. A test that leaves worker threads running fails."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from pytestqt.qtbot import QtBot

if TYPE_CHECKING:
    from counter_app.ui.main_window import MainWindow
    from counter_app.wiring.kiosk import Kiosk


@pytest.fixture(autouse=True)
def no_leftover_threads() -> Iterator[None]:
    before = {t.ident for t in threading.enumerate()}
    yield
    leftover = [t for t in threading.enumerate() if t.ident not in before and t.is_alive() and not t.daemon]
    for thread in leftover:
        thread.join(timeout=5)
    still = [t.name for t in leftover if t.is_alive()]
    assert not still, f"threads left running: {still}"


@pytest.fixture
def kiosk_window(qtbot: QtBot, tmp_path: Path) -> Iterator[tuple[Kiosk, MainWindow]]:
    """The kiosk's parts and its window, shown and active (demo card, tasks run at once, printing to a
    folder), as ``bench.clerk_keys`` opens them."""
    from bench import clerk_keys

    parts, window = clerk_keys.open_kiosk(tmp_path)
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    yield parts, window
    parts.printer.stop()
    parts.storage.close()
