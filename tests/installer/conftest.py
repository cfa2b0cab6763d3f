"""Shared by the installer tests: the Windows installer, built once per session."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from installer.windows.build import build

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class WindowsInstaller:
    exe: Path
    manifest: dict[str, object]


@pytest.fixture(scope="session")
def windows_installer(tmp_path_factory: pytest.TempPathFactory) -> WindowsInstaller:
    """The Windows installer, built like `make installer-windows` but stored without LZMA (``fast``).

    The downloads and the zbar build are cached in build/cache, so only the first run of a machine
    fetches anything.
    """
    for tool in ("makensis", "7z", "x86_64-w64-mingw32-gcc", "osslsigncode"):
        assert shutil.which(tool), f"{tool} is missing: install scripts/debian-packages-installer.txt"
    work = tmp_path_factory.mktemp("windows-build")
    result = build(work / "dist", work / "work", ROOT / "build" / "cache", fast=True)
    assert result.installer is not None
    shutil.rmtree(result.stage)  # what the tests see is what came out of the installer
    return WindowsInstaller(result.installer, result.manifest)
