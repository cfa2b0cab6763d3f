"""Tests share helpers through tests/helpers (and tests/services*.py), never a test module's private
names: a helper imported elsewhere is public and lives where the next reader looks for it."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def test_no_test_imports_a_private_name_from_another_test_module() -> None:
    offenders = []
    for path in TESTS.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("tests."):
                private = [alias.name for alias in node.names if alias.name.startswith("_")]
                if private:
                    offenders.append(f"{path.relative_to(TESTS)}: {node.module} {private}")
    assert offenders == []
