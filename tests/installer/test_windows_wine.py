"""The Windows installer, run for real under Wine: silent install, the app's commands, upgrade, uninstall.

A fresh Wine prefix stands in for a clean Windows PC (Windows 10 reported). Wine 8 (Debian 12) lacks
two things every Windows 10/11 has: ``bcryptprimitives.dll`` (a test-only stand-in is compiled from
``wine/bcryptprimitives.c``) and the Windows ICU ``icuuc.dll`` that Qt 6 uses, so Qt cannot load here
and the kiosk window is not started under Wine; the payload test checks Qt's files and imports
statically, and the Linux build's smoke test starts the kiosk itself. Everything else runs: the CLI
through the installed ``madoguchi.cmd``, forms with the bundled fonts, QR codes through the zbar we
built, SQLite storage in %LOCALAPPDATA%, and the PC/SC error path.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.installer.conftest import ROOT, WindowsInstaller, wine_env

pytestmark = [pytest.mark.installer, pytest.mark.timeout(900)]

INSTALL_DIR = "C:\\Madoguchi"
UNINSTALL_KEY = "HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\Madoguchi"
SHIM_SOURCE = Path(__file__).with_name("wine") / "bcryptprimitives.c"
CARD_DUMP = ROOT / "tests" / "fixtures" / "mynumber_ef0002_testcard.hex"


@dataclass
class WinePc:
    prefix: Path
    env: dict[str, str]
    work: Path

    @property
    def install_dir(self) -> Path:
        return self.prefix / "drive_c" / "Madoguchi"

    def local_app_data(self) -> Path:
        (users,) = [p for p in (self.prefix / "drive_c" / "users").iterdir() if p.name != "Public"]
        return users / "AppData" / "Local" / "madoguchi"

    def wine(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["wine", *args],
            env=self.env,
            cwd=self.work,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=timeout,
            check=False,
        )

    def madoguchi(self, *args: str) -> subprocess.CompletedProcess[str]:
        """The installed command line, as IT runs it: ``C:\\Madoguchi\\madoguchi.cmd …``."""
        return self.wine("cmd", "/c", f"{INSTALL_DIR}\\madoguchi.cmd", *args)

    @staticmethod
    def windows_path(path: Path) -> str:
        return "Z:" + str(path).replace("/", "\\")

    def registry(self, key: str) -> str:
        return self.wine("reg", "query", key).stdout


@pytest.fixture(scope="session")
def wine_pc(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WinePc]:
    assert shutil.which("wine"), "wine is missing: install scripts/debian-packages-installer.txt"
    # Outside the repository: the prefix's drive z: links to /, which tree walkers would follow.
    work = tmp_path_factory.mktemp("wine-pc")
    prefix = work / "prefix"
    env = wine_env(prefix, overrides="bcryptprimitives=n")  # the stand-in compiled below
    pc = WinePc(prefix, env, work)
    boot = pc.wine("wineboot", "--init")
    assert boot.returncode == 0, boot.stderr[-2000:]
    assert pc.wine("reg", "add", "HKCU\\Software\\Wine", "/v", "Version", "/d", "win10", "/f").returncode == 0
    shim = prefix / "drive_c" / "windows" / "system32" / "bcryptprimitives.dll"
    subprocess.run(
        ["x86_64-w64-mingw32-gcc", "-shared", "-O2", "-static-libgcc", "-o", str(shim), str(SHIM_SOURCE),
         "-ladvapi32"],
        check=True,
    )  # fmt: skip
    yield pc
    subprocess.run(["wineserver", "-k"], env=env, capture_output=True, timeout=60, check=False)


@pytest.fixture(scope="session")
def installed(wine_pc: WinePc, windows_installer: WindowsInstaller) -> WinePc:
    started = time.monotonic()
    result = wine_pc.wine(str(windows_installer.exe), "/S", f"/D={INSTALL_DIR}", timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    print(f"silent install under Wine: {time.monotonic() - started:.1f} s")
    return wine_pc


def _visit(tmp: Path) -> Path:
    """docs/visit-format.md's example household, its head named with 𠮷 (outside the BMP)."""
    text = (ROOT / "docs" / "visit-format.md").read_text(encoding="utf-8")
    example = text.split("```json", 1)[1].split("```", 1)[0]
    visit = json.loads(example)
    visit["members"][0]["name"] = "𠮷野\u3000花子"
    path = tmp / "visit.json"
    path.write_text(json.dumps(visit, ensure_ascii=False), encoding="utf-8")
    return path


def test_the_silent_install_puts_the_program_menu_and_uninstall_entry_in_place(installed: WinePc) -> None:
    folder = installed.install_dir
    expected = (
        "python/python.exe", "python/pythonw.exe", "madoguchi.cmd", "madoguchi_launcher.py", "uninstall.exe",
        "fonts/ipamjm.ttf", "python/Lib/site-packages/pyzbar/libzbar-64.dll",
    )  # fmt: skip
    for name in expected:
        assert (folder / name).is_file(), name
    # the modules were compiled at install time, so the first start does not compile 1,400 files
    assert list((folder / "python/Lib/site-packages/counter_app/cli/__pycache__").glob("*.cpython-313.pyc"))
    menu = installed.prefix / "drive_c/ProgramData/Microsoft/Windows/Start Menu/Programs/Madoguchi"
    assert {p.name for p in menu.glob("*.lnk")} == {
        "窓口 (Madoguchi).lnk",
        "窓口 全画面 (Madoguchi).lnk",
        "Madoguchi コマンド.lnk",
        "Madoguchi のアンインストール.lnk",
    }
    entry = installed.registry(UNINSTALL_KEY)
    assert "0.1.0" in entry or "DisplayVersion" in entry
    assert f"{INSTALL_DIR}\\uninstall.exe" in entry and "QuietUninstallString" in entry


def test_the_installed_command_line_runs(installed: WinePc, windows_installer: WindowsInstaller) -> None:
    version = installed.madoguchi("--version")
    assert version.returncode == 0, version.stderr[-2000:]
    assert version.stdout.strip() == f"madoguchi {windows_installer.manifest['version']}"
    check = installed.madoguchi("catalog", "check")
    # Notes (a municipality's changes to national entries, with their reasons) come first, then OK.
    assert check.returncode == 0 and check.stdout.splitlines()[-1].startswith("OK:"), (
        check.stdout + check.stderr
    )


IMPORT_ALL = r"""
import importlib, json, pkgutil, sys
errors = {}
count = 0
for package in ("card_reader", "procedures", "forms", "printing", "counter_app"):
    module = importlib.import_module(package)
    for info in pkgutil.walk_packages(module.__path__, package + "."):
        if info.name.endswith((".__main__", ".env")):  # the command line; Alembic's env scripts
            continue
        count += 1
        try:
            importlib.import_module(info.name)
        except Exception as exc:
            errors[info.name] = f"{type(exc).__name__}: {exc}"
print(json.dumps({"count": count, "errors": errors}))
"""


def test_every_module_of_the_app_imports_on_windows(installed: WinePc) -> None:
    """Under Wine 8 only Qt cannot load (no Windows ICU); everything else must import."""
    python = f"{INSTALL_DIR}\\python\\python.exe"
    result = installed.wine(python, "-X", "utf8", "-c", IMPORT_ALL)
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["count"] > 80
    unexpected = [
        f"{name}: {error}"
        for name, error in report["errors"].items()
        if "while importing Qt" not in error and name != "printing.cups_backend"
    ]
    assert unexpected == []


def test_the_real_card_dump_decodes(installed: WinePc) -> None:
    result = installed.madoguchi("card", "decode", installed.windows_path(CARD_DUMP), "--json")
    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads(result.stdout) == {
        "name": "黒桐\u3000幹也",
        "address": "東京都清瀬市観布子南１２－７－２０２",
        "birth_date": "1980-02-17",
        "sex": "male",
    }


def test_without_pc_sc_the_clerk_gets_the_japanese_message_and_exit_code_3(installed: WinePc) -> None:
    result = installed.madoguchi("card", "status")
    assert result.returncode == 3
    assert "カードリーダー" in result.stderr


def test_forms_embed_the_bundled_fonts_with_the_non_bmp_fallback(installed: WinePc, tmp_path: Path) -> None:
    visit = _visit(tmp_path)
    out = tmp_path / "forms"
    result = installed.madoguchi(
        "forms", "render", "--visit", installed.windows_path(visit), "--out", installed.windows_path(out),
        "--allow-incomplete",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-1000:] + result.stderr[-2000:]
    pdfs = sorted(out.glob("*.pdf"))
    assert len(pdfs) >= 3
    fonts = subprocess.run(["pdffonts", str(pdfs[0])], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(" yes " in row for row in rows)  # every font embedded
    names = " ".join(row.split()[0] for row in rows)
    assert "IPAmj" in names  # 𠮷 came from IPAmj明朝, found in the installed fonts folder
    text = subprocess.run(["pdftotext", str(pdfs[0]), "-"], capture_output=True, text=True, check=True).stdout
    assert "𠮷野" in text


def test_qr_codes_round_trip_through_the_zbar_we_built(installed: WinePc, tmp_path: Path) -> None:
    visit = _visit(tmp_path)
    out = tmp_path / "qr"
    encoded = installed.madoguchi(
        "qr", "encode", "--visit", installed.windows_path(visit), "--out", installed.windows_path(out)
    )
    assert encoded.returncode == 0, encoded.stderr[-2000:]
    images = sorted(out.glob("*.png"))
    assert images
    decoded = installed.madoguchi("qr", "decode", *map(installed.windows_path, reversed(images)), "--json")
    assert decoded.returncode == 0, decoded.stderr[-2000:]
    members = json.loads(decoded.stdout)["members"]
    assert [m["name"] for m in members] == [m["name"] for m in json.loads(visit.read_text())["members"]]


def test_storage_lives_in_local_app_data_and_survives_upgrade_and_uninstall(
    installed: WinePc, windows_installer: WindowsInstaller
) -> None:
    upgrade = installed.madoguchi("db", "upgrade")
    assert upgrade.returncode == 0, upgrade.stderr[-2000:]
    data = installed.local_app_data()
    assert (data / "madoguchi.sqlite3").is_file() and (data / "counter-local.sqlite3").is_file()
    (data / "madoguchi.toml").write_text('[counter]\nname = "3番窓口"\n', encoding="utf-8")

    # Upgrade: the same installer again over the installation; settings and data stay.
    stale = installed.install_dir / "python" / "Lib" / "site-packages" / "stale_module_of_old_version.py"
    stale.write_text("", encoding="utf-8")
    again = installed.wine(str(windows_installer.exe), "/S", timeout=600)  # finds C:\Madoguchi itself
    assert again.returncode == 0, again.stderr[-2000:]
    assert not stale.exists()  # old program files are replaced, not merged
    shown = installed.madoguchi("config", "show")
    assert shown.returncode == 0 and "3番窓口" in shown.stdout, shown.stdout + shown.stderr
    status = installed.madoguchi("db", "status")
    assert status.returncode == 0, status.stderr[-2000:]

    # Uninstall: the uninstaller copies itself away and returns at once; wait for it to finish.
    result = installed.wine(str(installed.install_dir / "uninstall.exe"), "/S")
    assert result.returncode == 0
    deadline = time.monotonic() + 120
    while installed.install_dir.exists() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not installed.install_dir.exists()
    assert "Madoguchi" not in installed.registry(UNINSTALL_KEY.rsplit("\\", 1)[0])
    menu = installed.prefix / "drive_c/ProgramData/Microsoft/Windows/Start Menu/Programs/Madoguchi"
    assert not menu.exists()
    # the users' settings and records stay (docs/install.md says how to delete them)
    assert (data / "madoguchi.toml").is_file() and (data / "madoguchi.sqlite3").is_file()
