"""The app and its win_amd64 wheels, installed into the embedded CPython's ``Lib\\site-packages``.

Every package comes from the lock (:mod:`installer.windows.lock`) with its hash checked. Wheels only —
nothing is compiled for Windows here — except where a project publishes no wheel at all and is pure
Python (unidic-lite: the UniDic dictionary files and a few lines of Python), which is built into a
``py3-none-any`` wheel from its hash-checked sdist. The wheels are installed on Linux by pip with
``--platform win_amd64 --target``, which unpacks them as a Windows pip would (minus the .exe script
launchers, which the app does not use: it has its own launchers).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from installer.windows.embed import PYTHON_TAG, PYTHON_TAG_VERSION
from installer.windows.lock import LOCK_FILE, ROOT, Pin, normalize, read_lock

# Published as sdist only; pure Python (checked after the build: the wheel must be py3-none-any).
SDIST_ONLY = frozenset({"unidic-lite"})
PIP = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input"]
PLATFORM_ARGS = [
    "--platform", "win_amd64", "--python-version", PYTHON_TAG_VERSION, "--implementation", "cp",
    "--abi", PYTHON_TAG, "--abi", "abi3", "--abi", "none",
]  # fmt: skip


class WheelError(RuntimeError):
    pass


@dataclass(frozen=True, slots=True)
class Wheels:
    folder: Path
    files: tuple[Path, ...]
    app_wheel: Path


def _requirements(pins: list[Pin], path: Path) -> Path:
    path.write_text("\n".join(pin.requirement_lines() for pin in pins) + "\n", encoding="utf-8")
    return path


def download(cache: Path, lock: Path = LOCK_FILE) -> list[Path]:
    """The locked win_amd64 wheels (hash-checked by pip), into ``cache`` (re-used when present)."""
    pins = read_lock(lock)
    folder = cache / "win-wheels"
    folder.mkdir(parents=True, exist_ok=True)
    binary = [pin for pin in pins if pin.normalized not in SDIST_ONLY]
    source = [pin for pin in pins if pin.normalized in SDIST_ONLY]
    subprocess.run(
        [*PIP, "download", "--quiet", "--no-deps", "--only-binary=:all:", *PLATFORM_ARGS,
         "--require-hashes", "-r", str(_requirements(binary, cache / "win-binary.txt")), "-d", str(folder)],
        check=True,
    )  # fmt: skip
    if source:
        subprocess.run(
            [*PIP, "wheel", "--quiet", "--no-deps", "--no-binary", ":all:", "--require-hashes",
             "-r", str(_requirements(source, cache / "win-source.txt")), "-w", str(folder)],
            check=True,
        )  # fmt: skip
    wheels = []
    for pin in pins:
        matches = [
            path
            for path in folder.glob("*.whl")
            if normalize(path.name.split("-")[0]) == pin.normalized and path.name.split("-")[1] == pin.version
        ]
        if not matches:
            raise WheelError(f"no wheel for {pin.name}=={pin.version} in {folder}")
        wheel = max(matches, key=lambda p: p.stat().st_mtime)
        if pin.normalized in SDIST_ONLY and not wheel.name.endswith("-py3-none-any.whl"):
            raise WheelError(f"{wheel.name}: expected a pure-Python wheel")
        wheels.append(wheel)
    return wheels


def _tracked_tree(into: Path) -> Path:
    """The files git tracks, as they are in the working tree, copied into ``into``.

    Building from this copy keeps untracked files (scratch data, a test's personal fixtures) out of
    the wheel, and keeps setuptools' package discovery out of build/ and .venv.
    """
    listing = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=False, timeout=60
    )
    if listing.returncode != 0:  # not a git checkout (e.g. an unpacked source archive): build in place
        return ROOT
    if into.exists():
        shutil.rmtree(into)
    for name in listing.stdout.decode().split("\0"):
        source = ROOT / name
        if name and source.is_file():
            target = into / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return into


def build_app_wheel(out: Path) -> Path:
    """Madoguchi itself as a wheel, from the tracked files of the working tree."""
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("madoguchi-*.whl"):
        old.unlink()
    source = _tracked_tree(out.parent / "app-source")
    subprocess.run([*PIP, "wheel", "--quiet", "--no-deps", "-w", str(out), str(source)], check=True)
    (wheel,) = out.glob("madoguchi-*.whl")
    return wheel


def install(wheels: list[Path], site_packages: Path) -> None:
    """Unpack the wheels into ``site_packages`` as pip on Windows would."""
    if site_packages.exists():
        shutil.rmtree(site_packages)
    site_packages.mkdir(parents=True)
    subprocess.run(
        [*PIP, "install", "--quiet", "--no-deps", "--no-index", "--no-compile", "--only-binary=:all:",
         *PLATFORM_ARGS, "--target", str(site_packages), *map(str, wheels)],
        check=True,
    )  # fmt: skip
    # Linux shell-script launchers written by pip for the console scripts: meaningless on Windows.
    shutil.rmtree(site_packages / "bin", ignore_errors=True)
    leftovers = [p for p in site_packages.rglob("*") if p.suffix == ".so" or p.name.endswith(".so.0")]
    if leftovers:
        raise WheelError(f"Linux libraries in the Windows payload: {leftovers[:3]}")
