"""The kiosk's first screen imports no more than it needs (issue 22, docs/architecture.md "Start-up
order"): the catalog's models, the engine, forms (reportlab), the storage (SQLAlchemy, Alembic), the
spool's cryptography, pdfium and the QR decoders load on the worker after the window shows. A module
level import that pulls one of them back costs the cold start tens to hundreds of milliseconds."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# What `madoguchi kiosk` imports before its window shows: the CLI, the kiosk command, the Qt entry.
FIRST_SCREEN = ("counter_app.cli", "counter_app.cli.kiosk", "counter_app.ui.app")
LATER = (
    "procedures.catalog",
    "procedures.schema",
    "procedures.engine",
    "forms.fonts",
    "forms.render",
    "forms.guide",
    "reportlab",
    "sqlalchemy",
    "alembic",
    "cryptography",
    "pypdfium2",
    "pyzbar",
    "zxingcpp",
    "PIL",
    "PySide6.QtMultimedia",
    "counter_app.adapters.storage",
    "counter_app.presenters.supervisor",
)


def test_the_first_screen_does_not_import_what_loads_after_the_window() -> None:
    script = (
        "import json, sys\n"
        f"for name in {FIRST_SCREEN!r}:\n"
        "    __import__(name)\n"
        f"print(json.dumps([m for m in {LATER!r} if m in sys.modules]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        cwd=ROOT,  # this checkout's packages, as pytest imports them
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert json.loads(result.stdout.splitlines()[-1]) == []


def test_the_modules_named_later_exist() -> None:
    """The list above names real modules (a renamed module would make the first test pass silently)."""
    import importlib.util

    missing = [name for name in LATER if importlib.util.find_spec(name) is None]
    assert missing == []
