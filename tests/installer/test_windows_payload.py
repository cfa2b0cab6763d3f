"""The Windows installer, built here and opened with 7-Zip: is everything the app needs inside?

The installer is built once per session without LZMA (``fast``: same payload, stored) and unpacked;
the tests then check it the way a clean Windows PC would find it: the embedded CPython, a module for
every import of the app's source, every DLL import resolvable, zbar new enough and free of the VC++
2013 runtime, the fonts and their licences, the catalog and form layouts byte for byte.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from importlib.metadata import version as package_version
from pathlib import Path

import pytest

from forms.fonts import FONT_SPECS, find_font
from installer.files import sha256_file
from installer.windows import pe
from installer.windows.embed import PYTHON_TAG, PYTHON_VERSION
from installer.windows.lock import normalize, read_lock
from installer.windows.qt_prune import APP_QT_MODULES
from tests.installer.conftest import WindowsInstaller

pytestmark = [pytest.mark.installer, pytest.mark.timeout(900)]

ROOT = Path(__file__).resolve().parents[2]
APP_PACKAGES = ("card_reader", "procedures", "forms", "printing", "counter_app")
# Imports of the app that Windows does not need, and why.
NOT_ON_WINDOWS = {
    "cups": "printing.cups_backend: Linux/macOS only; Windows prints through QtPrintSupport",
}
POSIX_ONLY = frozenset(
    {"fcntl", "grp", "pwd", "termios", "tty", "pty", "resource", "posix", "readline", "curses",
     "syslog", "crypt", "spwd", "nis", "ossaudiodev", "_posixsubprocess", "posixpath"}
)  # fmt: skip
DATA_SUFFIXES = (".yaml", ".yml", ".json", ".ini", ".mako", ".html", ".css", ".js", ".txt")


@dataclass(frozen=True)
class Payload:
    installer: Path
    root: Path
    listing: str

    @property
    def python(self) -> Path:
        return self.root / "python"

    @property
    def site_packages(self) -> Path:
        return self.python / "Lib" / "site-packages"


@pytest.fixture(scope="session")
def payload(windows_installer: WindowsInstaller, tmp_path_factory: pytest.TempPathFactory) -> Payload:
    exe = windows_installer.exe
    listing = subprocess.run(["7z", "l", str(exe)], capture_output=True, text=True, check=True).stdout
    root = tmp_path_factory.mktemp("windows-payload")
    subprocess.run(["7z", "x", "-y", f"-o{root}", str(exe)], capture_output=True, check=True)
    return Payload(exe, root, listing)


def test_the_installer_is_an_nsis_unicode_installer_with_an_uninstaller(payload: Payload) -> None:
    assert "Type = Nsis" in payload.listing
    assert "NSIS-3 Unicode 64-bit" in payload.listing  # a native x64 installer
    assert " uninstall.exe" in payload.listing  # written at install time by WriteUninstaller
    assert payload.installer.read_bytes()[:2] == b"MZ"
    manifest = json.loads((payload.root / "payload-manifest.json").read_text(encoding="utf-8"))
    assert manifest["version"] == package_version("madoguchi")


def test_the_embedded_python_is_the_pinned_cpython_with_site_packages_on_its_path(payload: Payload) -> None:
    for name in ("python.exe", "pythonw.exe", f"python{PYTHON_TAG[2:]}.dll", f"python{PYTHON_TAG[2:]}.zip"):
        assert (payload.python / name).is_file(), name
    from installer.windows.embed import file_version

    assert file_version(payload.python / f"python{PYTHON_TAG[2:]}.dll") == PYTHON_VERSION
    pth = (payload.python / f"python{PYTHON_TAG[2:]}._pth").read_text(encoding="ascii").splitlines()
    assert "Lib\\site-packages" in pth
    assert "import site" in pth


def _module_exists(site_packages: Path, dotted: str) -> bool:
    base = site_packages.joinpath(*dotted.split("."))
    if base.is_dir() or base.with_suffix(".py").is_file():
        return True
    return any(base.parent.glob(f"{base.name}.*.pyd")) or (base.parent / f"{base.name}.pyd").is_file()


def _app_imports() -> dict[str, set[str]]:
    """Every absolute import in the app's source (lazy ones inside functions included) → where."""
    found: dict[str, set[str]] = {}
    for package in APP_PACKAGES:
        for source in (ROOT / package).rglob("*.py"):
            tree = ast.parse(source.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                names: list[str] = []
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                for name in names:
                    found.setdefault(name, set()).add(str(source.relative_to(ROOT)))
    return found


def test_every_module_the_app_imports_is_in_the_payload(payload: Payload) -> None:
    """Third-party modules, statically; the Wine test imports the app's modules for real."""
    missing = []
    for dotted, where in sorted(_app_imports().items()):
        top = dotted.split(".")[0]
        if top in NOT_ON_WINDOWS or top in sys.stdlib_module_names:
            continue
        if not _module_exists(payload.site_packages, dotted):
            missing.append(f"{dotted} (imported by {sorted(where)[0]})")
    assert missing == []


def test_the_app_imports_no_posix_only_stdlib_module(payload: Payload) -> None:
    """e.g. ``fcntl`` or ``pwd`` exist on Linux and not in the embeddable CPython."""
    used = {dotted.split(".")[0] for dotted in _app_imports()}
    assert sorted(used & POSIX_ONLY) == []
    with zipfile.ZipFile(payload.python / f"python{PYTHON_TAG[2:]}.zip") as archive:
        names = set(archive.namelist())
    for package in ("sqlite3", "ctypes", "zoneinfo", "json"):
        assert f"{package}/__init__.pyc" in names, package
    for extension in ("_sqlite3.pyd", "_ctypes.pyd", "_ssl.pyd", "_hashlib.pyd", "_zoneinfo.pyd"):
        assert (payload.python / extension).is_file(), extension


def test_the_qt_modules_the_app_imports_survive_the_trim(payload: Payload) -> None:
    used = {dotted.split(".")[1] for dotted in _app_imports() if dotted.startswith("PySide6.Qt")}
    assert used <= APP_QT_MODULES
    for name in used:
        assert (payload.site_packages / "PySide6" / f"{name}.pyd").is_file(), name
    assert (payload.site_packages / "PySide6" / "plugins" / "platforms" / "qwindows.dll").is_file()
    assert not (payload.site_packages / "PySide6" / "qml").exists()


def test_every_locked_package_is_installed_at_its_locked_version(payload: Payload) -> None:
    installed = {}
    for meta in payload.site_packages.glob("*.dist-info"):
        name, _, version = meta.name.removesuffix(".dist-info").partition("-")
        installed[normalize(name)] = version
    for pin in read_lock():
        assert installed.get(pin.normalized) == pin.version, pin.name
    assert installed["madoguchi"] == package_version("madoguchi")
    assert "pycups" not in installed
    # Windows-only, skipped on Linux (colorama left the lock with qrcode, which alone needed it)
    assert {"tzdata", "pywin32-ctypes"} <= installed.keys()
    assert "qrcode" not in installed and "colorama" not in installed


def test_every_dll_import_resolves_on_a_clean_windows_pc(payload: Payload) -> None:
    folders = pe.package_dll_directories(payload.site_packages)
    missing = pe.unresolved_imports(payload.root, payload.python, folders)
    assert [f"{m.importer.relative_to(payload.root)} → {m.dll}" for m in missing] == []
    assert pe.foreign_machines(payload.root) == []
    assert not list(payload.root.rglob("*.so"))
    assert not list(payload.root.rglob("bcryptprimitives.dll"))  # the Wine tests' stand-in stays there


def test_zbar_is_0_23_built_here_without_the_vcpp_2013_runtime(payload: Payload) -> None:
    pyzbar = payload.site_packages / "pyzbar"
    zbar = pe.read_pe(pyzbar / "libzbar-64.dll")
    imports = {name.lower() for name in zbar.imports}
    assert "msvcr120.dll" not in imports
    assert imports <= {"libiconv.dll"} | {i for i in imports if pe.is_system_dll(i)}
    # the functions card_reader.qr binds; zbar_image_scanner_set_config must accept ZBAR_CFG_BINARY,
    # which only zbar >= 0.23 knows (the wheel's own DLL is zbar 0.10)
    for symbol in ("zbar_image_scanner_set_config", "zbar_scan_image", "zbar_symbol_get_data_length"):
        assert symbol in zbar.exports
    manifest = json.loads((payload.root / "payload-manifest.json").read_text(encoding="utf-8"))
    assert "0.23" in json.dumps(manifest["zbar"])
    sources = {path.name for path in (payload.root / "licenses" / "zbar").iterdir()}
    assert any(name.startswith("zbar_0.23.92") for name in sources)  # LGPL: the source ships too


def test_the_fonts_and_their_licences_are_bundled(payload: Payload) -> None:
    fonts = payload.root / "fonts"
    for spec in FONT_SPECS:
        assert sha256_file(fonts / spec.file_name) == sha256_file(find_font(spec)), spec.file_name
        assert (fonts / f"{spec.package}-copyright.txt").is_file()
    agreement = (fonts / "IPA_Font_License_Agreement_v1.0.txt").read_text(encoding="utf-8", errors="replace")
    assert "IPA" in agreement
    launcher = (payload.root / "madoguchi_launcher.py").read_text(encoding="utf-8")
    assert "MADOGUCHI_FONT_DIR" in launcher


def test_the_catalogs_and_form_layouts_ship_byte_for_byte(payload: Payload) -> None:
    tracked = subprocess.run(
        ["git", "ls-files", *APP_PACKAGES], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    checked = 0
    for relative in tracked:
        if not relative.endswith(DATA_SUFFIXES):
            continue
        shipped = payload.site_packages / relative
        assert shipped.is_file(), relative
        assert shipped.read_bytes() == (ROOT / relative).read_bytes(), relative
        checked += 1
    catalogs = list((payload.site_packages / "procedures" / "catalogs").glob("*/catalog.yaml"))
    assert len(catalogs) >= 2
    assert checked >= 30  # 26 YAML files, templates, the pre-fill page's assets


def test_the_launchers_run_the_embedded_python(payload: Payload) -> None:
    cmd = (payload.root / "madoguchi.cmd").read_text(encoding="ascii")
    assert "python\\python.exe" in cmd and "madoguchi_launcher.py" in cmd and "%*" in cmd
    assert (payload.root / "madoguchi_launcher.py").read_bytes() == (
        ROOT / "installer" / "windows" / "app_launcher.py"
    ).read_bytes()
    assert (payload.root / "madoguchi.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"
