"""Trim PySide6 to what the kiosk loads: 320 MB of Qt becomes well under half of that.

The PySide6-Essentials and -Addons wheels carry all of Qt (Quick, QML, 3D, WebEngine resources,
Designer, command-line tools). The app imports a handful of modules; we keep those, the PySide6
modules they import in turn (the ``PySide6.QtX`` names in each module's binary), every Qt DLL in the
import closure of what is kept (read from the PE import tables, so nothing is guessed), the plugins a
widgets application on Windows loads, and the Japanese Qt translations. :func:`prune` returns the
removed paths; the payload test then proves that every remaining file's imports resolve.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from installer.files import tree_size
from installer.windows.pe import import_closure

# What the app imports (counter_app.ui and printing.qt_backend); the payload test checks this list
# against the source, so a new ``from PySide6.QtX import`` fails the build instead of a counter.
APP_QT_MODULES = frozenset(
    {"QtCore", "QtGui", "QtWidgets", "QtPrintSupport", "QtCharts", "QtMultimedia", "QtMultimediaWidgets"}
)
# Plugin folders a widgets application on Windows uses, and which files of them.
KEEP_PLUGINS: dict[str, tuple[str, ...]] = {
    "platforms": ("qwindows.dll", "qminimal.dll", "qoffscreen.dll"),
    "styles": ("*.dll",),
    "imageformats": ("qjpeg.dll", "qgif.dll", "qico.dll", "qsvg.dll"),
    "iconengines": ("qsvgicon.dll",),
    "multimedia": ("*.dll",),  # the camera for QR codes (Media Foundation / FFmpeg back ends)
}
KEEP_TRANSLATIONS = ("qt_ja.qm", "qtbase_ja.qm", "qtmultimedia_ja.qm")
# Whole folders of the wheels nothing in a widgets app reads.
DROP_FOLDERS = ("qml", "metatypes", "include", "typesystems", "glue", "resources", "scripts", "doc")
_MODULE_REFERENCE = re.compile(rb"PySide6\.(Qt[A-Za-z0-9]+)")


@dataclass(frozen=True, slots=True)
class Pruned:
    kept_modules: frozenset[str]
    removed: tuple[Path, ...]
    bytes_before: int
    bytes_after: int


def module_closure(pyside: Path, wanted: frozenset[str] = APP_QT_MODULES) -> frozenset[str]:
    """``wanted`` plus every PySide6 module their binaries name (they import those at load time)."""
    seen: set[str] = set()
    todo = list(wanted)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        binary = pyside / f"{name}.pyd"
        if not binary.is_file():
            raise FileNotFoundError(f"PySide6 has no {name}.pyd")
        seen.add(name)
        for match in set(_MODULE_REFERENCE.findall(binary.read_bytes())):
            other = match.decode()
            if other not in seen and (pyside / f"{other}.pyd").is_file():
                todo.append(other)
    return frozenset(seen)


def _kept_plugins(pyside: Path) -> list[Path]:
    kept: list[Path] = []
    for folder, patterns in KEEP_PLUGINS.items():
        for pattern in patterns:
            kept.extend(sorted((pyside / "plugins" / folder).glob(pattern)))
    return kept


def prune(pyside: Path) -> Pruned:
    """Remove from the staged ``PySide6`` folder everything the app cannot load."""
    before = tree_size(pyside)
    modules = module_closure(pyside)
    removed: list[Path] = []

    def drop(path: Path) -> None:
        removed.append(path)
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()

    for name in DROP_FOLDERS:
        if (pyside / name).exists():
            drop(pyside / name)
    for path in sorted(pyside.glob("Qt*.pyd")):
        if path.stem not in modules:
            drop(path)
    for path in sorted(pyside.glob("Qt*.pyi")):
        if path.stem not in modules:
            drop(path)
    for path in sorted(pyside.glob("*.exe")):
        drop(path)
    plugins = _kept_plugins(pyside)
    for path in sorted((pyside / "plugins").rglob("*")):
        if path.is_file() and path not in plugins:
            drop(path)
    for path in sorted((pyside / "plugins").glob("*")):
        if path.is_dir() and not any(path.iterdir()):
            drop(path)
    for path in sorted((pyside / "translations").glob("*")):
        if path.name not in KEEP_TRANSLATIONS:
            drop(path)
    # The Qt DLLs: the import closure of the kept modules and plugins, over the DLLs beside them.
    candidates = {p.name.lower(): p for p in pyside.glob("*.dll")}
    shiboken = pyside.parent / "shiboken6"
    candidates.update({p.name.lower(): p for p in shiboken.glob("*.dll")})
    start = [pyside / f"{name}.pyd" for name in modules] + plugins
    needed = import_closure(start, candidates)
    for path in sorted(pyside.glob("*.dll")):
        if path not in needed:
            drop(path)
    return Pruned(frozenset(modules), tuple(removed), before, tree_size(pyside))
