"""zbar for the Windows installer: ``libzbar-64.dll`` and ``libiconv.dll`` for pyzbar, cross-compiled on
Debian with mingw-w64 from Debian's own zbar source package.

Why: :mod:`card_reader.qr` sets ``ZBAR_CFG_BINARY`` on the QR symbology, which needs zbar >= 0.23.
pyzbar's win_amd64 wheel bundles zbar 0.10, which refuses it and imports MSVCR120.dll (the VC++ 2013
runtime, absent from a clean Windows PC). The DLLs built here are zbar 0.23.92 with Debian's patches
(among them the CVE-2023-40889 fix to the QR finder) and import nothing but DLLs every Windows 10/11
has, plus the sibling ``libiconv.dll``.

pyzbar (``pyzbar/zbar_library.py``) loads, from its package directory, ``libiconv.dll`` and then
``libzbar-64.dll``; the installer puts both files there. ``libiconv.dll`` is our own small iconv on top
of the Windows code pages (``installer/windows/zbar/iconv_win.c``): mingw-w64 has no iconv and
Debian 12 has no win-iconv package.

Steps of :func:`build_zbar`:

1. download the two source files from Debian's pool into a cache directory (once; later builds are
   offline) and check their SHA-256 against Debian's ``Sources`` index;
2. unpack them and apply ``debian/patches/series`` in order;
3. build ``libiconv.dll`` (and its import library) from our C source;
4. ``autoreconf``, ``configure --host=x86_64-w64-mingw32`` with video, X, GTK, Qt, Python, Java,
   ImageMagick and D-Bus off and only the QR symbology, ``make`` ``libzbar.la``; libgcc and
   winpthread (zbar's timer calls ``clock_gettime``) are linked statically;
5. copy the DLLs, zbar's licence, the corresponding source (the Debian tarballs and our iconv source:
   zbar is LGPL) and a JSON manifest into the output directory;
6. verify the DLLs' import and export tables (:func:`verify_dlls`) before returning.

``python -m installer.windows.zbar --out DIR`` runs it; an output directory whose manifest matches the
current inputs is reused unless ``--force`` is given. The Debian packages it needs are listed in
``scripts/debian-packages-installer.txt``.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import logging
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from installer.files import sha256_file

log = logging.getLogger(__name__)

ZBAR_VERSION: Final = "0.23.92"
DEBIAN_VERSION: Final = "0.23.92-7+deb12u1"  # Debian 12 (bookworm) security update
POOL_URL: Final = "http://deb.debian.org/debian/pool/main/z/zbar/"
HOST: Final = "x86_64-w64-mingw32"
ZBAR_DLL: Final = "libzbar-64.dll"  # the name pyzbar loads on 64-bit Python
ICONV_DLL: Final = "libiconv.dll"  # the dependency pyzbar loads first
LICENCE_FILE: Final = "COPYING-zbar.txt"
MANIFEST_FILE: Final = "manifest.json"  # the name installer/windows/build.py reads
SYMBOLOGIES: Final = ("qrcode",)  # card_reader.qr enables only QR; the other decoders stay out

ROOT: Final = Path(__file__).resolve().parents[2]
ICONV_SOURCE_DIR: Final = Path(__file__).resolve().with_suffix("")  # installer/windows/zbar/
ICONV_SOURCES: Final = ("iconv_win.c", "iconv.h")
DEFAULT_CACHE: Final = ROOT / "build" / "cache"
DEFAULT_WORK: Final = ROOT / "build" / "zbar-windows"


@dataclass(frozen=True)
class SourceFile:
    name: str
    sha256: str

    @property
    def url(self) -> str:
        return POOL_URL + self.name


# SHA-256 from Debian's Sources index (bookworm-security, source package zbar 0.23.92-7+deb12u1).
ORIG_TARBALL: Final = SourceFile(
    "zbar_0.23.92.orig.tar.gz", "dffc16695cb6e42fa318a4946fd42866c0f5ab735f7eaf450b108d1c3a19b4ba"
)
DEBIAN_TARBALL: Final = SourceFile(
    "zbar_0.23.92-7+deb12u1.debian.tar.xz", "bb794d1466b2ba5adabbb5ac7d271e801c757d096d4838fb0f721f6ed87eb588"
)
SOURCES: Final = (ORIG_TARBALL, DEBIAN_TARBALL)

# Every zbar function the Python side binds: pyzbar 0.1.9's pyzbar/wrapper.py binds all of these
# when it is imported (zbar_symbol_get_orientation optionally), card_reader/qr.py adds
# zbar_symbol_get_type. tests/installer/test_zbar_windows.py re-reads both files to keep this current.
REQUIRED_ZBAR_EXPORTS: Final = frozenset(
    {
        "zbar_version",
        "zbar_set_verbosity",
        "zbar_parse_config",
        "zbar_image_scanner_create",
        "zbar_image_scanner_destroy",
        "zbar_image_scanner_set_config",
        "zbar_image_create",
        "zbar_image_destroy",
        "zbar_image_set_format",
        "zbar_image_set_size",
        "zbar_image_set_data",
        "zbar_image_first_symbol",
        "zbar_scan_image",
        "zbar_symbol_get_data",
        "zbar_symbol_get_data_length",
        "zbar_symbol_get_loc_size",
        "zbar_symbol_get_loc_x",
        "zbar_symbol_get_loc_y",
        "zbar_symbol_get_orientation",
        "zbar_symbol_get_quality",
        "zbar_symbol_get_type",
        "zbar_symbol_next",
    }
)
REQUIRED_ICONV_EXPORTS: Final = frozenset(
    {"libiconv_open", "libiconv", "libiconv_close", "iconv_open", "iconv", "iconv_close"}
)

# DLLs that ship with every Windows 10 and 11 (lower case). The build imports only a few of them
# (KERNEL32, USER32, GDI32, msvcrt); the rest keep the check from failing on a harmless change.
SYSTEM_DLLS: Final = frozenset(
    {
        "kernel32.dll",
        "kernelbase.dll",
        "ntdll.dll",
        "user32.dll",
        "gdi32.dll",
        "advapi32.dll",
        "msvcrt.dll",
        "ucrtbase.dll",
        "winmm.dll",
        "ole32.dll",
        "oleaut32.dll",
        "shell32.dll",
        "shlwapi.dll",
        "ws2_32.dll",
        "bcrypt.dll",
        "crypt32.dll",
        "version.dll",
        "comctl32.dll",
        "comdlg32.dll",
        "imm32.dll",
        "setupapi.dll",
        "cfgmgr32.dll",
    }
)
SYSTEM_DLL_PREFIXES: Final = ("api-ms-win-", "ext-ms-win-")  # Windows API sets
SIBLING_DLLS: Final = {ZBAR_DLL: frozenset({ICONV_DLL}), ICONV_DLL: frozenset[str]()}

IMAGE_FILE_MACHINE_AMD64: Final = 0x8664
IMAGE_FILE_DLL: Final = 0x2000
# ASLR with 64-bit entropy and DEP: these DLLs parse untrusted images.
REQUIRED_DLL_CHARACTERISTICS: Final = {
    "HIGH_ENTROPY_VA": 0x0020,
    "DYNAMIC_BASE": 0x0040,
    "NX_COMPAT": 0x0100,
}

CONFIGURE_OPTIONS: Final = (
    f"--host={HOST}",
    "--prefix=/madoguchi-unused",  # nothing is installed; the DLL is taken from the build tree
    f"--enable-codes={','.join(SYMBOLOGIES)}",
    "--enable-shared",
    "--disable-static",
    "--disable-video",
    "--disable-pthread",
    "--disable-doc",
    "--disable-nls",
    "--without-x",
    "--without-xshm",
    "--without-xv",
    "--without-jpeg",
    "--without-imagemagick",
    "--without-graphicsmagick",
    "--without-gtk",
    "--without-gir",
    "--without-qt",
    "--without-python",
    "--without-java",
    "--without-dbus",
)
LINK_FLAGS: Final = (
    "-static-libgcc",
    "-Wl,--dynamicbase",
    "-Wl,--nxcompat",
    "-Wl,--high-entropy-va",
    "-Wl,--no-insert-timestamp",  # reproducible DLLs
    "-Wl,-s",
)
# Fixed image bases, above 4 GiB as high-entropy ASLR prefers: ld's automatic base hashes the output
# path, which would make the DLLs differ between build directories.
IMAGE_BASES: Final = {ZBAR_DLL: 0x3F5400000, ICONV_DLL: 0x3F5600000}
TOOLS: Final = (
    "autoreconf",
    "autopoint",
    "libtoolize",
    "aclocal",
    "pkg-config",  # its pkg.m4 defines PKG_PROG_PKG_CONFIG for autoreconf
    "make",
    "patch",
    f"{HOST}-windres",
)
PACKAGES_HINT: Final = (
    "install the packages in scripts/debian-packages-installer.txt: sudo apt-get install "
    "--no-install-recommends $(grep -Ev '^\\s*(#|$)' scripts/debian-packages-installer.txt)"
)


class ZbarBuildError(RuntimeError):
    """The zbar build failed or its result does not pass the checks."""


@dataclass(frozen=True)
class DllFacts:
    """What the PE headers of one DLL say."""

    name: str
    sha256: str
    size: int
    machine: int
    is_dll: bool
    dll_characteristics: int
    imports: Mapping[str, tuple[str, ...]]  # imported DLL name as written -> imported symbol names
    exports: frozenset[str]


@dataclass(frozen=True)
class ZbarBuild:
    """A verified build in ``out``: the two DLLs, zbar's licence, the corresponding source, the
    manifest."""

    out: Path
    dlls: Mapping[str, DllFacts]
    manifest: Mapping[str, Any]

    @property
    def zbar_dll(self) -> Path:
        return self.out / ZBAR_DLL

    @property
    def iconv_dll(self) -> Path:
        return self.out / ICONV_DLL

    @property
    def licence(self) -> Path:
        return self.out / LICENCE_FILE

    @property
    def manifest_path(self) -> Path:
        return self.out / MANIFEST_FILE

    @property
    def source_files(self) -> tuple[Path, ...]:
        """The corresponding source to ship next to the DLLs (LGPL): Debian's tarballs, our iconv."""
        return tuple(self.out / name for name in (*(s.name for s in SOURCES), *ICONV_SOURCES))


def output_names() -> tuple[str, ...]:
    """The files a build writes to its output directory, besides the manifest."""
    return (ZBAR_DLL, ICONV_DLL, LICENCE_FILE, *(s.name for s in SOURCES), *ICONV_SOURCES)


# ---- small helpers ------------------------------------------------------------------------------


def _compiler() -> str:
    """The win32-threads mingw-w64 gcc (no winpthread dependency of its own), by its explicit name
    when Debian's alternatives provide it."""
    for name in (f"{HOST}-gcc-win32", f"{HOST}-gcc"):
        if shutil.which(name):
            return name
    raise ZbarBuildError(f"{HOST}-gcc not found: {PACKAGES_HINT}")


def _check_tools() -> str:
    compiler = _compiler()
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        raise ZbarBuildError(f"missing build tools {', '.join(missing)}: {PACKAGES_HINT}")
    return compiler


def _toolchain_version(compiler: str) -> str:
    lines = []
    for command in ([compiler, "--version"], [f"{HOST}-ld", "--version"]):
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        lines.append(result.stdout.splitlines()[0] if result.stdout else f"{command[0]}: unknown")
    return "; ".join(lines)


def build_key(compiler: str) -> str:
    """Changes whenever an input of the build changes: the sources, this module, our iconv source, the
    toolchain. A build whose manifest carries the current key can be reused."""
    digest = hashlib.sha256()
    parts = [
        *(f"{s.name}={s.sha256}" for s in SOURCES),
        f"module={hashlib.sha256(Path(__file__).read_bytes()).hexdigest()}",
        *(f"{n}={sha256_file(ICONV_SOURCE_DIR / n)}" for n in ICONV_SOURCES),
        f"toolchain={_toolchain_version(compiler)}",
    ]
    digest.update("\n".join(parts).encode())
    return digest.hexdigest()


def _build_env(deps: Path) -> dict[str, str]:
    """The environment of the build commands: the caller's, without anything that would leak host
    flags or host libraries into the cross build."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"CC", "CXX", "CPP", "CFLAGS", "CXXFLAGS", "CPPFLAGS", "LDFLAGS", "LIBS", "CONFIG_SITE"}
        and not key.startswith(("PKG_CONFIG", "MAKE", "MFLAGS"))
    }
    env.update(LC_ALL="C", PKG_CONFIG_LIBDIR=str(deps / "lib" / "pkgconfig"), PKG_CONFIG_PATH="")
    return env


def _run(command: Sequence[str], cwd: Path, logs: Path, step: str, env: Mapping[str, str]) -> None:
    """Runs one build command, its output in ``logs/<step>.log``; a failure quotes the log's end."""
    logs.mkdir(parents=True, exist_ok=True)
    log_file = logs / f"{step}.log"
    with log_file.open("w") as stream:
        stream.write("$ " + " ".join(command) + "\n")
        stream.flush()
        result = subprocess.run(
            list(command), cwd=cwd, env=dict(env), stdout=stream, stderr=subprocess.STDOUT, check=False
        )
    if result.returncode != 0:
        tail = "\n".join(log_file.read_text(errors="replace").splitlines()[-30:])
        raise ZbarBuildError(f"{step} failed (exit {result.returncode}), see {log_file}:\n{tail}")


# ---- sources -----------------------------------------------------------------------------------


def fetch_sources(cache: Path) -> dict[str, Path]:
    """The two Debian source files, from ``cache/zbar`` or downloaded into it; SHA-256 checked."""
    directory = cache / "zbar"
    directory.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    for source in SOURCES:
        path = directory / source.name
        if path.is_file() and sha256_file(path) == source.sha256:
            paths[source.name] = path
            continue
        log.info("downloading %s", source.url)
        with tempfile.NamedTemporaryFile(dir=directory, prefix=".download-", delete=False) as partial:
            try:
                with urllib.request.urlopen(source.url, timeout=120) as response:  # noqa: S310 (fixed http URL)
                    shutil.copyfileobj(response, partial)
            except (OSError, http.client.HTTPException) as exc:
                Path(partial.name).unlink(missing_ok=True)
                raise ZbarBuildError(f"cannot download {source.url}: {exc}") from exc
        got = sha256_file(Path(partial.name))
        if got != source.sha256:
            Path(partial.name).unlink(missing_ok=True)
            raise ZbarBuildError(
                f"{source.url} has SHA-256 {got}, Debian's Sources index says {source.sha256}"
            )
        Path(partial.name).chmod(0o644)  # NamedTemporaryFile creates 0600; the installer ships these
        Path(partial.name).replace(path)
        paths[source.name] = path
    return paths


def _extract(archive: tarfile.TarFile, into: Path) -> None:
    """Unpack with tarfile's "data" filter where Python has it (3.11.4+; Debian 12 ships 3.11.2), else
    with the same essential checks: regular files and folders only, nothing outside ``into``."""
    if hasattr(tarfile, "data_filter"):
        archive.extractall(into, filter="data")
        return
    root = into.resolve()
    members = []
    for member in archive.getmembers():
        target = (root / member.name).resolve()
        if not (member.isfile() or member.isdir()) or not target.is_relative_to(root):
            raise ZbarBuildError(f"unexpected entry in the source archive: {member.name}")
        members.append(member)
    archive.extractall(root, members=members)  # noqa: S202 - every member was checked above


def prepare_source(
    tarballs: Mapping[str, Path], work: Path, env: Mapping[str, str]
) -> tuple[Path, list[str]]:
    """A fresh zbar tree in ``work/src`` with Debian's patches applied; returns it and the patch names."""
    src_root = work / "src"
    if src_root.exists():
        shutil.rmtree(src_root)
    src_root.mkdir(parents=True)
    with tarfile.open(tarballs[ORIG_TARBALL.name]) as archive:
        _extract(archive, src_root)
    tree = src_root / f"zbar-{ZBAR_VERSION}"
    if not (tree / "configure.ac").is_file():
        raise ZbarBuildError(f"{ORIG_TARBALL.name} did not unpack to {tree.name}/")
    with tarfile.open(tarballs[DEBIAN_TARBALL.name]) as archive:
        _extract(archive, tree)
    series = tree / "debian" / "patches" / "series"
    patches = [
        line.split()[0]
        for line in series.read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    for name in patches:
        _run(
            [
                "patch",
                "-p1",
                "--forward",
                "--batch",
                "--fuzz=0",
                "-i",
                str(tree / "debian" / "patches" / name),
            ],
            tree,
            work / "logs",
            f"patch-{name}",
            env,
        )
    return tree, patches


# ---- compiling ---------------------------------------------------------------------------------


def build_iconv(compiler: str, deps: Path, logs: Path, env: Mapping[str, str]) -> Path:
    """``deps/bin/libiconv.dll`` with ``deps/lib/libiconv.dll.a`` and ``deps/include/iconv.h``, the
    prefix zbar's configure finds iconv in."""
    for sub in ("bin", "lib/pkgconfig", "include"):
        (deps / sub).mkdir(parents=True, exist_ok=True)
    shutil.copy2(ICONV_SOURCE_DIR / "iconv.h", deps / "include" / "iconv.h")
    dll = deps / "bin" / ICONV_DLL
    _run(
        [
            compiler,
            "-std=c99",
            "-O2",
            "-Wall",
            "-Wextra",
            "-Werror",
            f"-ffile-prefix-map={ICONV_SOURCE_DIR}=iconv",
            "-shared",
            "-o",
            str(dll),
            str(ICONV_SOURCE_DIR / "iconv_win.c"),
            f"-Wl,--out-implib,{deps / 'lib' / 'libiconv.dll.a'}",
            f"-Wl,--image-base,{IMAGE_BASES[ICONV_DLL]:#x}",
            *LINK_FLAGS,
        ],
        deps,
        logs,
        "iconv",
        env,
    )
    # zbar's configure links -lpthread for clock_gettime; the static winpthread archive, first in the
    # library path under that name, keeps libwinpthread-1.dll out of the imports.
    winpthread = subprocess.run(
        [compiler, "-print-file-name=libwinpthread.a"], capture_output=True, text=True, check=True
    ).stdout.strip()
    if not Path(winpthread).is_file():
        raise ZbarBuildError(f"static winpthread not found ({winpthread!r}): {PACKAGES_HINT}")
    shutil.copy2(winpthread, deps / "lib" / "libpthread.a")
    return dll


def build_libzbar(
    tree: Path, compiler: str, deps: Path, logs: Path, env: Mapping[str, str], jobs: int
) -> Path:
    """autoreconf, configure for Windows, make libzbar.la: the DLL in the build tree."""
    _run(["autoreconf", "--force", "--install"], tree, logs, "autoreconf", env)
    _run(
        [
            "./configure",
            *CONFIGURE_OPTIONS,
            f"CC={compiler} -static-libgcc",
            f"CFLAGS=-O2 -ffile-prefix-map={tree}=zbar-{ZBAR_VERSION}",
            f"CPPFLAGS=-I{deps / 'include'}",
            f"LDFLAGS=-L{deps / 'lib'} -Wl,--image-base,{IMAGE_BASES[ZBAR_DLL]:#x} {' '.join(LINK_FLAGS)}",
        ],
        tree,
        logs,
        "configure",
        env,
    )
    _run(["make", "-C", "zbar", f"-j{jobs}", "libzbar.la"], tree, logs, "make", env)
    built = sorted((tree / "zbar" / ".libs").glob("libzbar-*.dll"))
    if len(built) != 1:
        raise ZbarBuildError(f"expected one libzbar-*.dll in {tree / 'zbar' / '.libs'}, found {built}")
    return built[0]


# ---- checking ----------------------------------------------------------------------------------


def _text(value: object) -> str:
    return value.decode("ascii", "replace") if isinstance(value, bytes) else str(value)


def inspect_dll(path: Path) -> DllFacts:
    """The import and export tables and the header facts of a PE file, read with pefile."""
    import pefile

    from installer.windows.pe import load_pe

    try:
        pe = load_pe(path)
    except pefile.PEFormatError as exc:
        raise ZbarBuildError(f"{path.name} is not a PE file: {exc}") from exc
    try:
        imports: dict[str, tuple[str, ...]] = {}
        for attribute in ("DIRECTORY_ENTRY_IMPORT", "DIRECTORY_ENTRY_DELAY_IMPORT"):
            for entry in getattr(pe, attribute, []):
                symbols = tuple(
                    _text(item.name) if item.name else f"#{item.ordinal}" for item in entry.imports
                )
                imports[_text(entry.dll)] = imports.get(_text(entry.dll), ()) + symbols
        export_table = getattr(pe, "DIRECTORY_ENTRY_EXPORT", None)
        exports = frozenset(
            _text(symbol.name) for symbol in (export_table.symbols if export_table else []) if symbol.name
        )
        return DllFacts(
            name=path.name,
            sha256=sha256_file(path),
            size=path.stat().st_size,
            machine=int(pe.FILE_HEADER.Machine),
            is_dll=bool(int(pe.FILE_HEADER.Characteristics) & IMAGE_FILE_DLL),
            dll_characteristics=int(pe.OPTIONAL_HEADER.DllCharacteristics),
            imports=imports,
            exports=exports,
        )
    finally:
        pe.close()


def is_system_dll(name: str) -> bool:
    lowered = name.lower()
    return lowered in SYSTEM_DLLS or lowered.startswith(SYSTEM_DLL_PREFIXES)


def dll_problems(facts: Mapping[str, DllFacts]) -> list[str]:
    """Everything wrong with the two DLLs (empty when they pass): foreign imports (MSVCR120,
    libgcc_s, libwinpthread, …), imports a sibling does not export, missing exports, wrong machine or
    missing hardening flags."""
    required = {ZBAR_DLL: REQUIRED_ZBAR_EXPORTS, ICONV_DLL: REQUIRED_ICONV_EXPORTS}
    problems: list[str] = []
    for name in (ZBAR_DLL, ICONV_DLL):
        dll = facts.get(name)
        if dll is None:
            problems.append(f"{name} is missing")
            continue
        if dll.machine != IMAGE_FILE_MACHINE_AMD64 or not dll.is_dll:
            problems.append(f"{name} is not an x86-64 DLL (machine {dll.machine:#x})")
        for flag, bit in REQUIRED_DLL_CHARACTERISTICS.items():
            if not dll.dll_characteristics & bit:
                problems.append(f"{name} lacks the {flag} DLL characteristic")
        for imported, symbols in dll.imports.items():
            sibling = next((s for s in SIBLING_DLLS[name] if s.lower() == imported.lower()), None)
            if sibling is not None:
                missing = sorted(set(symbols) - facts[sibling].exports) if sibling in facts else []
                if missing:
                    problems.append(f"{name} imports {', '.join(missing)} from {sibling}, which lacks them")
            elif not is_system_dll(imported):
                problems.append(
                    f"{name} imports {imported}, which is neither a Windows system DLL nor "
                    f"{' or '.join(sorted(SIBLING_DLLS[name])) or 'a sibling DLL'}"
                )
        missing_exports = sorted(required[name] - dll.exports)
        if missing_exports:
            problems.append(f"{name} does not export {', '.join(missing_exports)}")
    return problems


def verify_dlls(directory: Path) -> dict[str, DllFacts]:
    """The facts of ``libzbar-64.dll`` and ``libiconv.dll`` in ``directory``; :class:`ZbarBuildError`
    listing every problem if they would not load on a clean Windows or lack what pyzbar binds."""
    facts = {
        name: inspect_dll(directory / name) for name in (ZBAR_DLL, ICONV_DLL) if (directory / name).is_file()
    }
    problems = dll_problems(facts)
    if problems:
        raise ZbarBuildError(f"the zbar DLLs in {directory} fail the checks:\n  " + "\n  ".join(problems))
    return facts


# ---- the build ---------------------------------------------------------------------------------


def _licence_text(tree: Path) -> str:
    """zbar's COPYING (copyright and licence notice) followed by LICENSE.md (the LGPL 2.1 text)."""
    notice = (tree / "COPYING").read_text(encoding="utf-8")
    lgpl = (tree / "LICENSE.md").read_text(encoding="utf-8")
    if "LESSER GENERAL PUBLIC LICENSE" not in lgpl:
        raise ZbarBuildError("zbar's LICENSE.md is not the LGPL text")
    header = f"zbar {ZBAR_VERSION} (Debian {DEBIAN_VERSION}) — {ZBAR_DLL}\n\n"
    rule = "\n" + "=" * 78 + "\n\n"
    return header + notice.rstrip() + rule + lgpl


def _manifest(
    key: str, compiler: str, patches: Sequence[str], out: Path, facts: Mapping[str, DllFacts]
) -> dict[str, Any]:
    files: dict[str, dict[str, Any]] = {}
    for name in output_names():
        entry: dict[str, Any] = {"sha256": sha256_file(out / name), "size": (out / name).stat().st_size}
        if name in facts:
            entry["imports"] = sorted(facts[name].imports)
        files[name] = entry
    return {
        "zbar_version": ZBAR_VERSION,
        "debian_version": DEBIAN_VERSION,
        "host": HOST,
        "symbologies": list(SYMBOLOGIES),
        "compiler": compiler,
        "toolchain": _toolchain_version(compiler),
        "build_key": key,
        "sources": {s.name: {"url": s.url, "sha256": s.sha256} for s in SOURCES},
        "patches": list(patches),
        "files": files,
    }


def build_zbar(work: Path, out: Path, *, cache: Path | None = None, jobs: int | None = None) -> ZbarBuild:
    """Builds zbar for Windows in ``work`` (scratch, recreated) and writes the result to ``out``:
    the DLLs, ``COPYING-zbar.txt``, the corresponding source and ``manifest.json``. Raises
    :class:`ZbarBuildError` if a step fails or the DLLs do not pass :func:`verify_dlls`."""
    started = time.monotonic()
    compiler = _check_tools()
    key = build_key(compiler)
    work = work.resolve()
    out = out.resolve()
    work.mkdir(parents=True, exist_ok=True)
    out.mkdir(parents=True, exist_ok=True)
    (out / MANIFEST_FILE).unlink(missing_ok=True)  # no manifest while the output is incomplete
    deps = work / "deps"
    logs = work / "logs"
    for stale in (deps, logs):
        if stale.exists():
            shutil.rmtree(stale)
    env = _build_env(deps)

    tarballs = fetch_sources(cache or DEFAULT_CACHE)
    log.info("unpacking zbar %s and applying Debian's patches", DEBIAN_VERSION)
    tree, patches = prepare_source(tarballs, work, env)
    log.info("building %s", ICONV_DLL)
    iconv_dll = build_iconv(compiler, deps, logs, env)
    log.info("building libzbar for %s (autoreconf, configure, make)", HOST)
    zbar_dll = build_libzbar(tree, compiler, deps, logs, env, jobs or os.cpu_count() or 1)

    shutil.copy2(zbar_dll, out / ZBAR_DLL)
    shutil.copy2(iconv_dll, out / ICONV_DLL)
    (out / LICENCE_FILE).write_text(_licence_text(tree), encoding="utf-8")
    for name, path in tarballs.items():
        shutil.copy2(path, out / name)
    for name in ICONV_SOURCES:
        shutil.copy2(ICONV_SOURCE_DIR / name, out / name)

    facts = verify_dlls(out)
    manifest = _manifest(key, compiler, patches, out, facts)
    partial = out / (MANIFEST_FILE + ".partial")
    partial.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    partial.replace(out / MANIFEST_FILE)
    log.info("zbar for Windows built in %.1f s: %s", time.monotonic() - started, out)
    return ZbarBuild(out=out, dlls=facts, manifest=manifest)


def load_build(out: Path) -> ZbarBuild | None:
    """The build already in ``out`` if its manifest matches the current inputs and its files, and the
    DLLs still pass :func:`verify_dlls`; None otherwise."""
    out = out.resolve()
    try:
        manifest = json.loads((out / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("build_key") != build_key(_check_tools()):
        return None
    files = manifest.get("files")
    if not isinstance(files, dict) or set(files) != set(output_names()):
        return None
    for name, entry in files.items():
        path = out / name
        if not path.is_file() or not isinstance(entry, dict) or sha256_file(path) != entry.get("sha256"):
            return None
    return ZbarBuild(out=out, dlls=verify_dlls(out), manifest=manifest)


def ensure_zbar(work: Path, out: Path, *, cache: Path | None = None, jobs: int | None = None) -> ZbarBuild:
    """The build in ``out`` if it is current (:func:`load_build`), else a new one (:func:`build_zbar`)."""
    return load_build(out) or build_zbar(work, out, cache=cache, jobs=jobs)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m installer.windows.zbar",
        description="Cross-compile zbar 0.23.92 (Debian 12) and an iconv for Windows x64 (pyzbar's DLLs).",
    )
    parser.add_argument(
        "--out", type=Path, required=True, help="directory for the DLLs, licence, sources, manifest"
    )
    parser.add_argument(
        "--work", type=Path, default=DEFAULT_WORK, help=f"scratch directory (default {DEFAULT_WORK})"
    )
    parser.add_argument(
        "--cache", type=Path, default=DEFAULT_CACHE, help=f"download cache (default {DEFAULT_CACHE})"
    )
    parser.add_argument(
        "--jobs", "-j", type=int, default=None, help="parallel make jobs (default: CPU count)"
    )
    parser.add_argument("--force", action="store_true", help="rebuild even if --out holds a current build")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        existing = None if args.force else load_build(args.out)
        build = existing or build_zbar(args.work, args.out, cache=args.cache, jobs=args.jobs)
    except ZbarBuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if existing:
        log.info("%s holds a current build; nothing to do (--force rebuilds)", build.out)
    for name, facts in build.dlls.items():
        log.info("%s  sha256 %s  imports %s", name, facts.sha256, ", ".join(sorted(facts.imports)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
