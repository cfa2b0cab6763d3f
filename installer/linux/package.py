"""The two Linux deliverables made from the one-folder app: a tarball and a ``.deb``.

* ``madoguchi-<version>-linux-x86_64.tar.gz`` — one folder ``madoguchi/``: the app (``madoguchi`` and
  ``_internal/``), ``INSTALL.ja.txt`` for IT, the desktop entry and the icon (SVG and PNG).
* ``madoguchi_<version>_amd64.deb`` (``dpkg-deb --root-owner-group``) — the app in ``/opt/madoguchi``,
  ``/usr/bin/madoguchi`` → ``/opt/madoguchi/madoguchi``, the desktop entry and the icons in
  ``/usr/share``, ``INSTALL.ja.txt`` and the copyright file in ``/usr/share/doc/madoguchi``. No
  maintainer scripts: desktop and icon caches are refreshed by dpkg triggers, Debian's pcscd enables its
  socket itself, and the package owns nothing in users' folders, so upgrading or removing it never
  touches settings or data (``~/.config/madoguchi``, ``~/.local/share/madoguchi``).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import tarfile
from collections.abc import Callable, Sequence
from pathlib import Path
from string import Template

from installer.linux.depends import RECOMMENDS, SUGGESTS, package_name

HERE = Path(__file__).resolve().parent
DESKTOP_FILE = HERE / "madoguchi.desktop"
ICON_SVG = HERE.parent / "madoguchi.svg"  # the app icon, shared with the Windows installer
ICON_PNG = HERE.parent / "madoguchi.png"  # 256×256, drawn from the SVG
INSTALL_TEMPLATE = HERE / "INSTALL.ja.txt"
COPYRIGHT = HERE / "copyright"
INSTALL_DIR = "/opt/madoguchi"
DEFAULT_MAINTAINER = "Madoguchi maintainers <maintainers@madoguchi.invalid>"
# Compression of the .deb → level, measured on the two-core build machine for the 555 MiB app: gzip -6
# 186 MiB in 17 s; xz -6 136 MiB in 230 s (dpkg-deb compresses xz on one core); zstd -9 167 MiB in 10 s,
# but Debian's archive tools (lintian, repositories) take only gzip and xz members. gzip: every dpkg and
# repository reads it, and the build stays fast; `--deb-compression xz` for the smallest file.
DEB_COMPRESSIONS = {"gzip": 6, "xz": 6, "zstd": 9}
DEFAULT_COMPRESSION = "gzip"

DESCRIPTION = """\
no-writing one-stop counter for Japanese ward offices
 Madoguchi reads the four basic details from a My Number card on a PC/SC
 reader (or from pre-fill QR codes), guides the clerk through the questions
 of a life event, lists every procedure the household needs and why, and
 prints pre-filled application forms and a guide sheet. Supervisors see
 daily statistics.
 .
 書かないワンストップ窓口のための窓口アプリです。
 .
 A self-contained build: Python, the Python libraries and the fonts of the
 forms are bundled in /opt/madoguchi. Settings and data stay in each user's
 folders and survive upgrades and removal."""

_PRE_RELEASE = re.compile(r"\.?(a|b|rc|dev)(\d*)")


def tarball_name(version: str) -> str:
    return f"madoguchi-{version}-linux-x86_64.tar.gz"


def deb_name(version: str) -> str:
    return f"madoguchi_{debian_version(version)}_amd64.deb"


def debian_version(version: str) -> str:
    """A PEP 440 version as Debian orders it: pre-releases sort before the release (``1.0~rc1``)."""
    return _PRE_RELEASE.sub(lambda m: f"~{m[1]}{m[2]}", version, count=1)


def install_text(version: str, depends: Sequence[str]) -> str:
    """``INSTALL.ja.txt`` with this build's file names and the Debian packages of ``Depends``."""
    names = sorted({package_name(d) for d in depends} | set(RECOMMENDS))
    lines = [" ".join(names[i : i + 6]) for i in range(0, len(names), 6)]
    packages = " \\\n           ".join(lines)  # a shell command over several lines
    return Template(INSTALL_TEMPLATE.read_text(encoding="utf-8")).substitute(
        version=version, deb=deb_name(version), tarball=tarball_name(version), apt_packages=packages
    )


def _is_shared_library(path: Path) -> bool:
    return path.name.endswith(".so") or ".so." in path.name


def normalize_modes(tree: Path) -> None:
    """Directories 0755; programs 0755; shared libraries and other files 0644 (nothing group- or
    world-writable)."""
    for path in [tree, *tree.rglob("*")]:
        if path.is_symlink():
            continue
        program = path.stat().st_mode & 0o111 and not _is_shared_library(path)
        path.chmod(0o755 if path.is_dir() or program else 0o644)


def _root_owned(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.uid = info.gid = 0
    info.uname = info.gname = "root"
    return info


def write_tarball(app_dir: Path, version: str, install: Callable[[], str], out_dir: Path) -> Path:
    """The tarball: ``madoguchi/`` with the app, the desktop entry, the icons and the INSTALL text.

    ``install`` is called last, once the app is compressed: the build computes the package list the
    text names while this runs.
    """
    target = out_dir / tarball_name(version)
    partial = target.with_name(target.name + ".part")
    with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
        tar.add(app_dir, arcname="madoguchi", filter=_root_owned)
        mtime = app_dir.stat().st_mtime
        extras: dict[str, Callable[[], bytes]] = {
            "madoguchi.desktop": DESKTOP_FILE.read_bytes,
            "madoguchi.svg": ICON_SVG.read_bytes,
            "madoguchi.png": ICON_PNG.read_bytes,
            "INSTALL.ja.txt": lambda: install().encode("utf-8"),
        }
        for name, read in extras.items():
            data = read()
            info = _root_owned(tarfile.TarInfo(f"madoguchi/{name}"))
            info.size, info.mode, info.mtime = len(data), 0o644, mtime
            tar.addfile(info, io.BytesIO(data))
    partial.replace(target)
    return target


def _link_tree(source: Path, target: Path) -> None:
    """A copy of ``source`` made of hard links (no second copy of 600 MB); plain copies across devices."""

    def link(src: str, dst: str) -> None:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    shutil.copytree(source, target, symlinks=True, copy_function=link)


def _installed_size_kib(root: Path) -> int:
    total = 0
    for path in root.rglob("*"):
        if path.is_relative_to(root / "DEBIAN"):
            continue
        total += (path.lstat().st_size + 1023) // 1024 if path.is_file() and not path.is_symlink() else 1
    return total


def control_text(version: str, depends: Sequence[str], installed_size: int, maintainer: str) -> str:
    fields = {
        "Package": "madoguchi",
        "Version": debian_version(version),
        "Architecture": "amd64",
        "Maintainer": maintainer,
        "Installed-Size": str(installed_size),
        "Depends": ", ".join(depends),
        "Recommends": ", ".join(RECOMMENDS),
        "Suggests": ", ".join(SUGGESTS),
        "Section": "misc",
        "Priority": "optional",
        "Description": DESCRIPTION,
    }
    return "".join(f"{key}: {value}\n" for key, value in fields.items())


def stage_deb(
    app_dir: Path, staging: Path, version: str, depends: Sequence[str], install: str, maintainer: str
) -> None:
    """The file tree of the package, with ``DEBIAN/control``."""
    if staging.exists():
        shutil.rmtree(staging)
    _link_tree(app_dir, staging / INSTALL_DIR.lstrip("/"))
    files = {
        "usr/share/applications/madoguchi.desktop": DESKTOP_FILE.read_bytes(),
        "usr/share/icons/hicolor/scalable/apps/madoguchi.svg": ICON_SVG.read_bytes(),
        "usr/share/icons/hicolor/256x256/apps/madoguchi.png": ICON_PNG.read_bytes(),
        "usr/share/doc/madoguchi/copyright": COPYRIGHT.read_bytes(),
        "usr/share/doc/madoguchi/INSTALL.ja.txt": install.encode("utf-8"),
    }
    for name, data in files.items():
        path = staging / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (staging / "usr/bin").mkdir(parents=True, exist_ok=True)
    (staging / "usr/bin/madoguchi").symlink_to(f"{INSTALL_DIR}/madoguchi")
    for directory in ("usr", "DEBIAN"):
        (staging / directory).mkdir(exist_ok=True)
        normalize_modes(staging / directory)
    control = control_text(version, depends, _installed_size_kib(staging), maintainer)
    (staging / "DEBIAN/control").write_text(control, encoding="utf-8")
    (staging / "DEBIAN/control").chmod(0o644)


def write_deb(staging: Path, version: str, out_dir: Path, compression: str = DEFAULT_COMPRESSION) -> Path:
    """``dpkg-deb --build`` of the staged tree, files owned by root."""
    target = out_dir / deb_name(version)
    partial = target.with_name(target.name + ".part")
    level = DEB_COMPRESSIONS[compression]
    command = ["dpkg-deb", "--root-owner-group", f"-Z{compression}", f"-z{level}"]
    subprocess.run([*command, "--build", str(staging), str(partial)], check=True, capture_output=True)
    partial.replace(target)
    return target
