"""What the Windows loader will need: the DLL imports of every PE file in a staged tree.

A ``.pyd`` or ``.dll`` that imports a DLL the PC does not have fails to load with "The specified module
could not be found" — the classic case being pyzbar's zbar, which needs the VC++ 2013 runtime
(MSVCR120.dll). :func:`unresolved_imports` applies the loader's search rules for an app-local Python
(the importing file's folder, the folder of python.exe, the folders the packages add with
``os.add_dll_directory``, then the system) to every file in the tree, so a missing DLL is found at
build time instead of at a counter.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pefile

IMAGE_FILE_MACHINE_AMD64 = 0x8664
PE_SUFFIXES = (".dll", ".pyd", ".exe")

# DLLs present on every Windows 10/11 x64 installation (System32), as imported by the packages we ship.
# The Universal CRT (ucrtbase, api-ms-win-crt-*) is part of Windows 10 and later. The VC++ runtime
# (vcruntime140*.dll, msvcp140*.dll) is NOT here: it must be shipped beside the files that need it.
SYSTEM_DLLS = frozenset(
    name.lower()
    for name in (
        "advapi32.dll", "authz.dll", "avrt.dll", "bcrypt.dll", "bcryptprimitives.dll", "cfgmgr32.dll",
        "comctl32.dll", "comdlg32.dll", "crypt32.dll", "cryptbase.dll", "cryptnet.dll", "d2d1.dll",
        "d3d9.dll", "d3d11.dll", "d3d12.dll", "d3dcompiler_47.dll", "dbghelp.dll", "dcomp.dll", "dnsapi.dll",
        "dwmapi.dll", "dwrite.dll", "dxgi.dll", "dxva2.dll", "evr.dll", "gdi32.dll", "gdiplus.dll",
        "glu32.dll", "hid.dll", "imm32.dll", "iphlpapi.dll", "kernel32.dll", "ksuser.dll", "mf.dll",
        "mfplat.dll", "mfreadwrite.dll", "mpr.dll", "msimg32.dll", "msvcrt.dll", "mswsock.dll",
        "ncrypt.dll", "netapi32.dll", "normaliz.dll", "ntdll.dll", "ole32.dll", "oleacc.dll",
        "oleaut32.dll", "opengl32.dll", "powrprof.dll", "propsys.dll", "psapi.dll", "rpcrt4.dll",
        "secur32.dll", "setupapi.dll", "shcore.dll", "shell32.dll", "shlwapi.dll", "sspicli.dll",
        "ucrtbase.dll", "user32.dll", "userenv.dll", "usp10.dll", "uxtheme.dll", "version.dll",
        "winhttp.dll", "wininet.dll", "winmm.dll", "winscard.dll", "winspool.drv", "wintrust.dll",
        "wldap32.dll", "ws2_32.dll", "wtsapi32.dll", "mfuuid.dll", "wmcodecdspuuid.dll", "shcore.dll",
        "mscms.dll", "dwmapi.dll", "netutils.dll", "credui.dll", "cryptui.dll", "winusb.dll",
        "bluetoothapis.dll", "bthprops.cpl", "d3d10.dll", "d3d10_1.dll", "dinput8.dll", "xinput1_4.dll",
        "comppkgsup.dll", "dxcore.dll", "wsock32.dll", "uiautomationcore.dll",
        "icuuc.dll", "icuin.dll", "icu.dll",  # Windows' own ICU (Windows 10 1903 and later), used by Qt6Core
    )
)  # fmt: skip
SYSTEM_PREFIXES = ("api-ms-win-", "ext-ms-win-")


@dataclass(frozen=True, slots=True)
class PeFile:
    path: Path
    machine: int
    imports: tuple[str, ...]
    exports: frozenset[str]


@dataclass(frozen=True, slots=True)
class Unresolved:
    importer: Path
    dll: str


def load_pe(path: Path) -> pefile.PE:
    """The file with its import, delay-import and export tables parsed (the caller closes it)."""
    pe = pefile.PE(str(path), fast_load=True)
    pe.parse_data_directories(
        directories=[
            pefile.DIRECTORY_ENTRY["IMAGE_DIRECTORY_ENTRY_IMPORT"],
            pefile.DIRECTORY_ENTRY["IMAGE_DIRECTORY_ENTRY_DELAY_IMPORT"],
            pefile.DIRECTORY_ENTRY["IMAGE_DIRECTORY_ENTRY_EXPORT"],
        ]
    )
    return pe


def read_pe(path: Path) -> PeFile:
    pe = load_pe(path)
    try:
        imports = [entry.dll.decode() for entry in getattr(pe, "DIRECTORY_ENTRY_IMPORT", [])]
        exports = frozenset(
            symbol.name.decode()
            for symbol in getattr(getattr(pe, "DIRECTORY_ENTRY_EXPORT", None), "symbols", [])
            if symbol.name
        )
        return PeFile(path, pe.FILE_HEADER.Machine, tuple(imports), exports)
    finally:
        pe.close()


def pe_files(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*")):
        if path.suffix.lower() in PE_SUFFIXES and path.is_file():
            yield path


def is_system_dll(name: str) -> bool:
    lowered = name.lower()
    return lowered in SYSTEM_DLLS or lowered.startswith(SYSTEM_PREFIXES)


class DllIndex:
    """Which DLL names exist in which folders of a staged tree (Windows: case-insensitive)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._by_folder: dict[Path, set[str]] = {}
        for path in pe_files(root):
            self._by_folder.setdefault(path.parent, set()).add(path.name.lower())

    def has(self, folder: Path, name: str) -> bool:
        return name.lower() in self._by_folder.get(folder, set())


def package_dll_directories(site_packages: Path) -> dict[Path, list[Path]]:
    """The folders packages add with ``os.add_dll_directory`` when imported.

    PySide6 adds its own folder and shiboken6's; wheels repaired by delvewheel keep their vendored
    DLLs in ``<package>.libs`` and add it from the package's ``__init__``.
    """
    pyside, shiboken = site_packages / "PySide6", site_packages / "shiboken6"
    folders: dict[Path, list[Path]] = {pyside: [pyside, shiboken], shiboken: [pyside, shiboken]}
    for libs in site_packages.glob("*.libs"):
        folders.setdefault(site_packages / libs.name[: -len(".libs")], []).append(libs)
    return folders


def search_folders(importer: Path, python_dir: Path, dll_directories: Iterable[Path]) -> list[Path]:
    """The folders the loader searches for ``importer``'s imports, after the already-loaded modules.

    CPython (3.8+) loads extension modules with LOAD_LIBRARY_SEARCH_DEFAULT_DIRS |
    LOAD_LIBRARY_SEARCH_DLL_LOAD_DIR: the module's own folder, the application folder (python.exe's),
    System32, and the folders added with ``os.add_dll_directory``.
    """
    return [importer.parent, python_dir, *dll_directories]


def unresolved_imports(
    root: Path, python_dir: Path, dll_directories: dict[Path, list[Path]] | None = None
) -> list[Unresolved]:
    """Every import of every PE file under ``root`` that no search folder nor the system provides.

    ``dll_directories`` maps a package folder to the folders its ``__init__`` adds with
    ``os.add_dll_directory`` (PySide6 adds its own and shiboken6's); they apply to files beneath it.
    """
    index = DllIndex(root)
    extra = dll_directories or {}
    missing: list[Unresolved] = []
    for path in pe_files(root):
        info = read_pe(path)
        added = [f for package, folders in extra.items() if package in path.parents for f in folders]
        folders = search_folders(path, python_dir, added)
        for dll in info.imports:
            if is_system_dll(dll) or any(index.has(folder, dll) for folder in folders):
                continue
            missing.append(Unresolved(path, dll))
    return missing


def foreign_machines(root: Path) -> list[Path]:
    """PE files that are not x64 (a 32-bit or ARM64 file would not load in the x64 Python)."""
    return [path for path in pe_files(root) if read_pe(path).machine != IMAGE_FILE_MACHINE_AMD64]


def import_closure(start: Iterable[Path], candidates: dict[str, Path]) -> set[Path]:
    """``start`` and every DLL in ``candidates`` (lower-case name → file) they import, transitively."""
    seen: set[Path] = set()
    todo = list(start)
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        for dll in read_pe(path).imports:
            found = candidates.get(dll.lower())
            if found is not None and found not in seen:
                todo.append(found)
    return seen
