"""The import contracts in pyproject.toml catch what they are written for.

A copy of the five packages (their ``.py`` files) and of ``pyproject.toml`` goes to a temporary folder;
for each contract one forbidden import is planted in a module the contract covers (not one it names),
``lint-imports`` runs on the copy and must report exactly that contract broken. The unplanted copy keeps
every contract, so the failures come from the planted lines alone. The first four cases are the holes
found in issue 15 (pyscard in ``card_reader/wedge.py``, pycups in ``printing/qt_backend.py``, Qt in a
presenter, ``ui`` in the workflow), which the contracts listing modules by hand did not catch.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("card_reader", "procedures", "forms", "printing", "counter_app")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

# (contract id, module file, the planted line)
PLANTS = [
    ("pyscard-only-in-pcsc", "card_reader/wedge.py", "import smartcard"),
    ("pycups-only-in-cups-backend", "printing/qt_backend.py", "import cups"),
    ("qt-only-in-ui", "counter_app/presenters/idle.py", "from PySide6.QtCore import QTimer"),
    ("app-layers", "counter_app/workflow/documents.py", "from counter_app.ui import plain"),
    ("app-layers", "counter_app/adapters/postcode.py", "from counter_app.workflow import tasks"),
    ("app-layers", "counter_app/settings/config.py", "from counter_app.adapters import furigana"),
    ("app-layers", "counter_app/ui/plain.py", "from counter_app.cli import common"),
    ("app-layers", "counter_app/presenters/idle.py", "from counter_app.wiring import kiosk"),
    ("ui-through-presenters", "counter_app/ui/pages/done.py", "from counter_app.adapters import storage"),
    ("ui-through-presenters", "counter_app/ui/pages/review.py", "from card_reader import pcsc"),
    ("ui-through-presenters", "counter_app/ui/pages/waiting.py", "import printing.queue"),
    ("ui-through-presenters", "counter_app/ui/pages/event.py", "from counter_app.workflow import tasks"),
    ("qt-only-in-ui", "counter_app/cli/db.py", "import PySide6"),
    ("qt-only-in-ui", "forms/render.py", "from PySide6.QtGui import QImage"),
    ("barcode-only-in-qr", "card_reader/pcsc.py", "import zxingcpp"),
    ("barcode-only-in-qr", "counter_app/ui/camera.py", "from pyzbar import pyzbar"),
    ("pyscard-only-in-pcsc", "counter_app/adapters/card_source.py", "from smartcard import scard"),
    ("pycups-only-in-cups-backend", "counter_app/wiring/kiosk.py", "import cups"),
    ("sql-only-in-adapters", "counter_app/workflow/visit_session.py", "import sqlalchemy"),
    ("sql-only-in-adapters", "counter_app/presenters/kiosk.py", "from alembic import command"),
    ("libraries-independent", "card_reader/wedge.py", "import forms"),
    ("libraries-no-app", "procedures/describe.py", "from counter_app.settings import config"),
]


def _lint(folder: Path, *contracts: str) -> subprocess.CompletedProcess[str]:
    assert LINT_IMPORTS.exists(), f"lint-imports is a development dependency: {LINT_IMPORTS}"
    arguments = [str(LINT_IMPORTS), "--no-cache", "--no-logo"]
    for contract in contracts:
        arguments += ["--contract", contract]
    env = {**os.environ, "PYTHONPATH": str(folder)}
    return subprocess.run(
        arguments, cwd=folder, env=env, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("contracts")
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            target = folder / path.relative_to(ROOT)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    shutil.copyfile(ROOT / "pyproject.toml", folder / "pyproject.toml")
    yield folder


def test_the_unplanted_copy_keeps_every_contract(copy: Path) -> None:
    result = _lint(copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_every_contract_has_a_plant() -> None:
    import tomllib

    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"][
        "contracts"
    ]
    assert {contract["id"] for contract in contracts} == {contract for contract, _, _ in PLANTS}


@pytest.mark.parametrize(("contract", "module", "line"), PLANTS, ids=[f"{c}:{m}" for c, m, _ in PLANTS])
def test_a_planted_import_breaks_the_contract(copy: Path, contract: str, module: str, line: str) -> None:
    path = copy / module
    original = path.read_text(encoding="utf-8")
    path.write_text(original + f"\n{line}  # planted by the test\n", encoding="utf-8")
    try:
        result = _lint(copy, contract)
    finally:
        path.write_text(original, encoding="utf-8")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "BROKEN" in result.stdout and "1 broken" in result.stdout, result.stdout + result.stderr


def test_a_new_top_level_module_breaks_the_layers(copy: Path) -> None:
    """``exhaustive``: a module of counter_app outside every layer folder fails the layers contract."""
    stray = copy / "counter_app" / "helpers.py"
    stray.write_text('"""A module outside every layer."""\n', encoding="utf-8")
    try:
        result = _lint(copy, "app-layers")
    finally:
        stray.unlink()
    assert result.returncode != 0
    assert "counter_app.helpers" in result.stdout + result.stderr
