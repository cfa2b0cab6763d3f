"""The bundle against the machine: every ELF file resolves, and what the rest must come from in Debian.

* :func:`verify_bundle` runs ``ldd`` on every ELF file of the one-folder app (with ``LD_LIBRARY_PATH``
  set to ``_internal`` as PyInstaller's bootloader does) and fails on a library that is not found or a
  dangling symbolic link — the check that pruning Qt or leaving system libraries out broke nothing.
* :func:`drop_foreign_search_paths` removes the build machine's folders (pyenv's prefix) from the
  RUNPATH of libraries built here (Python, pycups, pyscard).
* :func:`debian_depends` asks ``dpkg-shlibdeps`` (dpkg-dev) which Debian packages, at which minimum
  versions, provide the system libraries the bundle links, and adds what it cannot see: libraries loaded
  with ``dlopen``/ctypes (libpcsclite by pyscard, libzbar by pyzbar), the PC/SC service, fontconfig and
  a Japanese font for the screens (the forms embed the bundled fonts).
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

# Loaded at run time without an ELF dependency, or needed as a service.
EXTRA_DEPENDS: tuple[str, ...] = (
    "pcscd",  # the PC/SC service every card reader goes through
    "libpcsclite1",  # pyscard opens libpcsclite.so.1 with dlopen
    "libzbar0 (>= 0.23)",  # pyzbar finds libzbar.so.0 through ctypes; binary QR mode needs zbar 0.23
    "fontconfig",  # Qt finds the system's fonts through it
    "fonts-ipaexfont-gothic | fonts-japanese-gothic",  # Japanese text on the screens
    # The guide sheet and the resident's screen in the residents' languages (forms/scripts.py): Latin and
    # Devanagari, Hangul, simplified Chinese — found in their package folders, embedded as subsets.
    "fonts-noto-core",
    "fonts-nanum",
    "fonts-wqy-microhei",
)
RECOMMENDS: tuple[str, ...] = ("cups", "printer-driver-cups-pdf")
SUGGESTS: tuple[str, ...] = ("ibus-mozc",)  # typing names in Japanese (手入力)

_LDD_LINE = re.compile(r"^\s*(\S+)\s+=>\s+(not found|\S+)")
_RUNPATH = re.compile(r"\((?:RUNPATH|RPATH)\)\s+Library r(?:un)?path: \[(.*)\]")


class BundleError(Exception):
    """The bundle would not start on a machine like the build machine."""


def is_elf(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(4) == b"\x7fELF"


def elf_files(app_dir: Path) -> list[Path]:
    """Every ELF file of the bundle (executables, libraries, extension modules, Qt plugins)."""
    return sorted(p for p in app_dir.rglob("*") if p.is_file() and not p.is_symlink() and is_elf(p))


def _ldd(path: Path, env: dict[str, str]) -> tuple[Path, list[tuple[str, str]]]:
    result = subprocess.run(
        ["ldd", str(path)], capture_output=True, text=True, env=env, check=False, timeout=60
    )
    return path, [(m[1], m[2]) for m in map(_LDD_LINE.match, result.stdout.splitlines()) if m]


def verify_bundle(app_dir: Path) -> set[Path]:
    """Check that every ELF file resolves all its libraries; return the system libraries they use."""
    internal = app_dir / "_internal"
    problems = [
        f"dangling symbolic link: {p.relative_to(app_dir)}"
        for p in app_dir.rglob("*")
        if p.is_symlink() and not p.exists()
    ]
    env = {**os.environ, "LD_LIBRARY_PATH": str(internal)}
    system: set[Path] = set()
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        for path, libraries in pool.map(lambda p: _ldd(p, env), elf_files(app_dir)):
            for name, resolved in libraries:
                if resolved == "not found":
                    problems.append(f"{path.relative_to(app_dir)}: {name} not found")
                elif not Path(resolved).resolve().is_relative_to(app_dir.resolve()):
                    system.add(Path(resolved))
    if problems:
        raise BundleError("the bundle does not resolve:\n" + "\n".join(sorted(problems)))
    return system


def _search_path(path: Path) -> list[str] | None:
    """The RUNPATH (or RPATH) entries of an ELF file, or None when it has none."""
    dynamic = subprocess.run(["readelf", "-d", str(path)], capture_output=True, text=True, check=False).stdout
    match = _RUNPATH.search(dynamic)
    return match[1].split(":") if match else None


def foreign_search_paths(app_dir: Path) -> dict[Path, list[str]]:
    """The ELF files whose library search path names folders of the build machine (the Python of
    pyenv, a compiler's prefix) instead of ``$ORIGIN``-relative ones, with those entries."""
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        files = elf_files(app_dir)
        paths = pool.map(_search_path, files)
    return {
        path: foreign
        for path, entries in zip(files, paths, strict=True)
        if (foreign := [e for e in entries or [] if not e.startswith("$ORIGIN")])
    }


def drop_foreign_search_paths(app_dir: Path) -> list[Path]:
    """Remove the build machine's folders from RUNPATH/RPATH (``patchelf``), keeping ``$ORIGIN`` ones,
    so the app never looks for libraries in, say, ``/root/.pyenv`` on a counter PC."""
    changed = foreign_search_paths(app_dir)
    for path, foreign in changed.items():
        kept = [e for e in _search_path(path) or [] if e not in foreign]
        command = ["patchelf", "--set-rpath", ":".join(kept)] if kept else ["patchelf", "--remove-rpath"]
        subprocess.run([*command, str(path)], check=True, capture_output=True)
    return sorted(changed)


def _private_library_dirs(app_dir: Path, elf: Sequence[Path]) -> list[Path]:
    return sorted({p.parent for p in elf if ".so" in p.name} | {app_dir / "_internal"})


def shlibs_depends(app_dir: Path, work_dir: Path) -> list[str]:
    """``dpkg-shlibdeps`` over the bundle: the Debian packages of the system libraries it links."""
    elf = elf_files(app_dir)
    control = work_dir / "debian" / "control"
    control.parent.mkdir(parents=True, exist_ok=True)
    control.write_text("Source: madoguchi\n\nPackage: madoguchi\nArchitecture: amd64\n", encoding="utf-8")
    command = [
        "dpkg-shlibdeps",
        "-O",
        "--ignore-missing-info",
        *(f"-l{d}" for d in _private_library_dirs(app_dir, elf)),
        *map(str, elf),
    ]
    result = subprocess.run(command, cwd=work_dir, capture_output=True, text=True, check=False)
    (work_dir / "dpkg-shlibdeps.log").write_text(result.stderr, encoding="utf-8")
    if result.returncode != 0:
        log = work_dir / "dpkg-shlibdeps.log"
        raise BundleError(f"dpkg-shlibdeps failed (see {log}):\n{result.stderr[-2000:]}")
    for line in result.stdout.splitlines():
        if line.startswith("shlibs:Depends="):
            return [d.strip() for d in line.removeprefix("shlibs:Depends=").split(",") if d.strip()]
    return []


def package_name(relation: str) -> str:
    """``libzbar0 (>= 0.23)`` → ``libzbar0``; alternatives keep their first package."""
    first = relation.split("|", maxsplit=1)[0]
    return first.split("(", maxsplit=1)[0].strip()


def merge_relations(*groups: Iterable[str]) -> list[str]:
    """One relation per package (the first group that names it wins), sorted by package name."""
    merged: dict[str, str] = {}
    for group in groups:
        for relation in group:
            merged.setdefault(package_name(relation), relation)
    return [merged[name] for name in sorted(merged)]


def debian_depends(app_dir: Path, work_dir: Path) -> list[str]:
    """The ``Depends`` of the ``.deb``: dpkg-shlibdeps' versions (from symbol files) win over the list."""
    return merge_relations(shlibs_depends(app_dir, work_dir), EXTRA_DEPENDS)
