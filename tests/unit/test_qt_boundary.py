"""Only ``counter_app.ui`` may import Qt widgets (import-linter cannot name PySide6.QtWidgets)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("card_reader", "procedures", "forms", "printing", "counter_app")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_qt_widgets_only_in_counter_app_ui() -> None:
    offenders = []
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            if module == "counter_app.ui" or module.startswith("counter_app.ui."):
                continue
            if any(
                name == "PySide6.QtWidgets" or name.startswith("PySide6.QtWidgets.")
                for name in _imports(path)
            ):
                offenders.append(module)
    assert offenders == [], f"Qt widgets imported outside counter_app.ui: {offenders}"


def test_the_checker_sees_a_widget_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("from PySide6.QtWidgets import QLabel\n", encoding="utf-8")
    assert "PySide6.QtWidgets" in _imports(sample)
