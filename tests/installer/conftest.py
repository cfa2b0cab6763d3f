"""Shared by the installer tests: the Windows installer, built once per session."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from installer.windows.build import build

ROOT = Path(__file__).resolve().parents[2]


def wine_env(prefix: Path, overrides: str = "") -> dict[str, str]:
    """The environment for Wine on ``prefix``: a 64-bit prefix, quiet, nothing of this machine's own
    Wine, display or Madoguchi settings; ``overrides`` adds DLL overrides (``name=n;…``)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WINE", "DISPLAY", "MADOGUCHI_"))}
    env.update(
        WINEPREFIX=str(prefix),
        WINEARCH="win64",
        WINEDEBUG="-all",
        # No Mono/Gecko installers; no WMI: Python's platform module asks WMI for the Windows
        # version, and Wine 8's WMI provider calls propsys.VariantToString, which Wine 8 lacks
        # (the process aborts). Without wbemprox, platform falls back to GetVersionEx.
        WINEDLLOVERRIDES="mscoree,mshtml,wbemprox=" + (f";{overrides}" if overrides else ""),
    )
    return env


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
