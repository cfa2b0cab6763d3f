"""Shared fixtures: where the test data lives, how to run the real ``madoguchi`` command."""

from __future__ import annotations

import os

# Qt runs offscreen in every test (pytest-qt creates the application on first use).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

# CI runs the property tests with a fixed seed, so a submission's result does not depend on luck;
# local runs keep exploring new examples (and record failures in .hypothesis/).
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True, deadline=None)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

FIXTURES = Path(__file__).parent / "fixtures"
MadoguchiRunner = Callable[..., subprocess.CompletedProcess[str]]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--device", action="store_true", help="run tests/device against a real reader and test card"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--device"):
        return
    skip = pytest.mark.skip(reason="needs a real reader and a test card: run with --device")
    for item in items:
        if "device" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def testcard_ef0002() -> bytes:
    return bytes.fromhex((FIXTURES / "mynumber_ef0002_testcard.hex").read_text().strip())


@pytest.fixture
def madoguchi() -> MadoguchiRunner:
    """Run the real CLI in a subprocess: ``madoguchi("card", "status", input=..., env=...)``."""

    def run(
        *args: str, input: str | None = None, env: dict[str, str] | None = None, timeout: float = 60
    ) -> subprocess.CompletedProcess[str]:
        full_env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
        argv: Sequence[str] = [sys.executable, "-m", "counter_app", *args]
        return subprocess.run(
            argv, input=input, capture_output=True, text=True, env=full_env, timeout=timeout, check=False
        )

    return run
