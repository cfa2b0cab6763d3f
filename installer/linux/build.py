"""The Linux build, start to end: PyInstaller one-folder app → checks → tarball and ``.deb``.

:func:`build` runs PyInstaller on ``madoguchi.spec`` (in this process, ``PyInstaller.__main__.run``),
drops the build machine's folders from the libraries' search paths, checks that every ELF file
resolves (:func:`~installer.linux.depends.verify_bundle`), computes the ``Depends`` of the package,
then writes the tarball and the ``.deb`` (the tarball is compressed while the ``Depends`` are worked
out). Into ``OUT`` go ``madoguchi-<version>-linux-x86_64/`` (the app, unpacked), the tarball, the
``.deb`` and ``madoguchi-linux-build-info.json``: the version, the sizes, the time of each step and the
:func:`source_fingerprint` the build was made from. With ``reuse=True`` a build whose fingerprint
matches is not repeated (the smoke test builds once per change of the sources).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import time
import tomllib
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import TypeVar

from installer.files import tree_size
from installer.linux import depends, package
from installer.linux.spec import APP_NAME, APP_PACKAGES, app_metadata_dir, font_files

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SPEC = HERE / "madoguchi.spec"
BUILD_INFO = "madoguchi-linux-build-info.json"
DEFAULT_WORK = ROOT / "build" / "linux"

T = TypeVar("T")


@dataclass
class BuildInfo:
    """What a build produced, read back from ``build-info.json`` by the smoke test."""

    version: str
    fingerprint: str
    app_dir: str
    tarball: str
    deb: str
    depends: list[str]
    system_libraries: list[str]
    sizes: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    @classmethod
    def load(cls, out_dir: Path) -> BuildInfo | None:
        try:
            data = json.loads((out_dir / BUILD_INFO).read_text(encoding="utf-8"))
            return cls(**data)
        except (OSError, ValueError, TypeError):
            return None

    def save(self, out_dir: Path) -> None:
        text = json.dumps(asdict(self), ensure_ascii=False, indent=2)
        (out_dir / BUILD_INFO).write_text(text + "\n", encoding="utf-8")

    def complete(self) -> bool:
        return all(Path(p).exists() for p in (self.app_dir, self.tarball, self.deb))


def project_version() -> str:
    """The version in ``pyproject.toml``, which must be the one installed (``madoguchi --version``)."""
    version = str(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"])
    installed = metadata.PathDistribution(app_metadata_dir()).version
    if installed != version:
        raise SystemExit(
            f"pyproject.toml says {version} but {installed} is installed: run `pip install -e .` first"
        )
    return version


def _source_files() -> Iterator[Path]:
    yield ROOT / "pyproject.toml"
    yield from (ROOT / "installer" / name for name in ("madoguchi.svg", "madoguchi.png"))
    for top in (*APP_PACKAGES, "installer/linux"):
        for path in sorted((ROOT / top).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                yield path


def source_fingerprint() -> str:
    """A hash of everything the build is made from: the sources, the installed Python distributions
    and the font files; a change to any of them makes the next ``reuse`` build run again."""
    digest = hashlib.sha256(sys.version.encode())
    for path in _source_files():
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    for dist in sorted(metadata.distributions(), key=lambda d: str(d.metadata["Name"]).lower()):
        digest.update(f"{dist.metadata['Name']}=={dist.version}\n".encode())
    for _dest, src, _kind in font_files():
        stat = Path(src).stat()
        digest.update(f"{src}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


@contextmanager
def _timed(seconds: dict[str, float], step: str) -> Iterator[None]:
    start = time.monotonic()
    try:
        yield
    finally:
        seconds[step] = round(time.monotonic() - start, 1)


def _timed_call(seconds: dict[str, float], step: str, call: Callable[[], T]) -> T:
    with _timed(seconds, step):
        return call()


def run_pyinstaller(work_dir: Path, *, clean: bool = False) -> Path:
    """The one-folder app in ``work_dir/dist/madoguchi``."""
    import PyInstaller.__main__

    dist = work_dir / "dist"
    args = [str(SPEC), "--noconfirm", "--log-level", "WARN"]
    args += ["--distpath", str(dist), "--workpath", str(work_dir / "pyinstaller")]
    PyInstaller.__main__.run([*args, *(["--clean"] if clean else [])])
    return dist / APP_NAME


def build(
    out_dir: Path,
    work_dir: Path = DEFAULT_WORK,
    *,
    reuse: bool = False,
    clean: bool = False,
    deb_compression: str = package.DEFAULT_COMPRESSION,
    maintainer: str = package.DEFAULT_MAINTAINER,
) -> BuildInfo:
    """Build the app, the tarball and the ``.deb`` into ``out_dir`` (see the module docstring)."""
    version = project_version()
    fingerprint = source_fingerprint()
    previous = BuildInfo.load(out_dir)
    if reuse and previous and previous.fingerprint == fingerprint and previous.complete():
        return previous

    out_dir.mkdir(parents=True, exist_ok=True)
    work_dir.mkdir(parents=True, exist_ok=True)
    seconds: dict[str, float] = {}
    started = time.monotonic()
    built = _timed_call(seconds, "pyinstaller", lambda: run_pyinstaller(work_dir, clean=clean))
    package.normalize_modes(built)
    _timed_call(seconds, "rpath", lambda: depends.drop_foreign_search_paths(built))
    system = _timed_call(seconds, "verify", lambda: depends.verify_bundle(built))
    app_dir = out_dir / package.tarball_name(version).removesuffix(".tar.gz")
    if app_dir.exists():
        shutil.rmtree(app_dir)
    shutil.move(built, app_dir)

    # The tarball compresses the app (one core) while dpkg-shlibdeps works out the Depends (the other);
    # its INSTALL text, which lists those packages, goes in last.
    install: Future[str] = Future()
    with ThreadPoolExecutor(max_workers=1) as pool:
        tar_job = pool.submit(
            _timed_call,
            seconds,
            "tarball",
            lambda: package.write_tarball(app_dir, version, install.result, out_dir),
        )
        try:
            relations = _timed_call(
                seconds, "depends", lambda: depends.debian_depends(app_dir, work_dir / "shlibdeps")
            )
        except BaseException as exc:
            install.set_exception(exc)
            raise
        install.set_result(package.install_text(version, relations))
        staging = work_dir / "deb-root"
        package.stage_deb(app_dir, staging, version, relations, install.result(), maintainer)
        deb = _timed_call(
            seconds, "deb", lambda: package.write_deb(staging, version, out_dir, deb_compression)
        )
        shutil.rmtree(staging)
        tarball = tar_job.result()
    seconds["total"] = round(time.monotonic() - started, 1)
    info = BuildInfo(
        version=version,
        fingerprint=fingerprint,
        app_dir=str(app_dir),
        tarball=str(tarball),
        deb=str(deb),
        depends=relations,
        system_libraries=sorted(map(str, system)),
        sizes={
            "app": tree_size(app_dir),
            "tarball": tarball.stat().st_size,
            "deb": deb.stat().st_size,
        },
        seconds=seconds,
    )
    info.save(out_dir)
    return info
