"""Build the Windows installer on Linux: ``python -m installer.windows [--out dist]``.

Steps (each checked before the next): the embeddable CPython (pinned, signature-checked), the locked
win_amd64 wheels and the app's own wheel installed into its ``Lib\\site-packages``, the VC++ runtime
beside zxing-cpp's extension (the first QR decoder), zbar 0.23 built for Windows in place of pyzbar's
old DLL (zbar stays: it is the QR decoders' fallback), PySide6 trimmed to what the app loads, the
fonts with their licences, launchers and icon, a payload manifest; then every PE file's imports are
resolved against the staged tree (a DLL a clean PC lacks stops the build), and NSIS packs it all into
one .exe.
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from importlib.metadata import version as package_version
from pathlib import Path

from installer.files import sha256_file, tree_size
from installer.fonts import IPA_AGREEMENT, bundled_fonts
from installer.icon import write_ico
from installer.windows import embed, pe, qt_prune, wheels
from installer.windows.lock import LOCK_FILE, ROOT, read_lock

NSIS_SCRIPT = Path(__file__).with_name("madoguchi.nsi")
LAUNCHER = Path(__file__).with_name("app_launcher.py")
MANIFEST = "payload-manifest.json"
ZBAR_RUNTIME = ("libzbar-64.dll", "libiconv.dll")


class BuildError(RuntimeError):
    pass


@dataclass
class WindowsBuild:
    installer: Path | None
    stage: Path
    manifest: dict[str, object]
    seconds: dict[str, float] = field(default_factory=dict)


def app_version() -> str:
    return package_version("madoguchi")


def _version4(version: str) -> str:
    numbers = [part for part in version.split(".") if part.isdigit()][:4]
    return ".".join(numbers + ["0"] * (4 - len(numbers)))


_VC_RUNTIME_PREFIXES = ("msvcp140", "vcruntime140", "concrt140")


def add_vc_runtime(site_packages: Path, python_dir: Path, package: str = "zxingcpp") -> list[str]:
    """The VC++ 2015–2022 runtime DLLs ``package``'s extension modules import and nothing beside them
    provides, copied from shiboken6's wheel (Microsoft's redistributable files) into the package.

    zxing-cpp's ``zxingcpp.pyd`` imports ``MSVCP140.dll``: the embeddable Python ships only
    ``vcruntime140*.dll`` and a clean Windows PC has no C++ runtime, so without this the import fails
    whenever Qt has not loaded shiboken6's copy first (``madoguchi qr decode`` does not load Qt).
    """
    target, source = site_packages / package, site_packages / "shiboken6"
    have = {p.name.lower() for p in (*python_dir.glob("*.dll"), *target.glob("*.dll"))}
    offered = {p.name.lower(): p for p in source.glob("*.dll")}
    copied: list[str] = []
    for module in sorted(target.glob("*.pyd")):
        for dll in pe.read_pe(module).imports:
            name = dll.lower()
            if not name.startswith(_VC_RUNTIME_PREFIXES) or name in have:
                continue
            if name not in offered:
                raise BuildError(f"{module.name} needs {dll}, which shiboken6's wheel does not carry")
            shutil.copy2(offered[name], target / offered[name].name)
            have.add(name)
            copied.append(offered[name].name)
    return copied


def install_zbar(work: Path, cache: Path, site_packages: Path, licenses: Path) -> dict[str, object]:
    """zbar 0.23 for Windows (built from Debian's source) replaces pyzbar's zbar 0.10 DLL.

    The build is kept in the cache and reused while its inputs (sources, patches, compiler) are the same.
    """
    from installer.windows.zbar import ensure_zbar

    built = ensure_zbar(work / "zbar-work", cache / "zbar-windows", cache=cache)
    target = site_packages / "pyzbar"
    for name in ZBAR_RUNTIME:
        shutil.copy2(built.out / name, target / name)
    folder = licenses / "zbar"
    folder.mkdir(parents=True, exist_ok=True)
    for path in sorted(built.out.iterdir()):
        if path.is_file() and path.name not in ZBAR_RUNTIME:
            shutil.copy2(path, folder / path.name)
    return dict(built.manifest)


def copy_fonts(stage: Path) -> dict[str, str]:
    """The three fonts the forms embed and the guide sheet's script fonts, with the licence texts of
    their Debian packages."""
    fonts = stage / "fonts"
    fonts.mkdir(parents=True, exist_ok=True)
    hashes: dict[str, str] = {}
    for bundled in bundled_fonts(scripts=True):
        shutil.copy2(bundled.font, fonts / bundled.spec.file_name)
        hashes[bundled.spec.file_name] = sha256_file(bundled.font)
        shutil.copy2(bundled.licence, fonts / f"{bundled.spec.package}-copyright.txt")
    (fonts / IPA_AGREEMENT.name.removesuffix(".gz")).write_bytes(gzip.decompress(IPA_AGREEMENT.read_bytes()))
    return hashes


README_JA = """Madoguchi 窓口 {version}

起動: スタートメニュー「Madoguchi」→「窓口 (Madoguchi)」
コマンド: このフォルダーの madoguchi.cmd(例: madoguchi.cmd card status)
設定とデータ: %LOCALAPPDATA%\\madoguchi(アンインストールしても残ります)
詳しくは docs/install.md(IT担当者向けインストール手順)をご覧ください。

同梱ソフトウェアのライセンス: licenses\\ と fonts\\ の各ファイル、および
python\\Lib\\site-packages\\*.dist-info の LICENSE ファイル。
"""

LICENSE_PAGE = """Madoguchi 窓口 {version} — ライセンス

Madoguchi 本体: MIT License

同梱しているソフトウェアとフォント:
・CPython {python} (Python Software Foundation License) — python\\LICENSE.txt
・Qt 6 / PySide6 (LGPL v3) — 差し替え可能な DLL として同梱しています
・zxing-cpp (Apache License 2.0) — QR コードの読み取り(最初に使うデコーダー)
・zbar 0.23.92 (LGPL v2.1) — Debian のソースから Windows 用にビルド。ソースは licenses\\zbar に同梱
・Microsoft Visual C++ ランタイム(msvcp140.dll、再頒布可能ファイル) — shiboken6 のものを zxingcpp にも配置
・IPAex フォント、IPAmj明朝 (IPA フォントライセンス v1.0) — fonts\\ に原文を同梱
・Noto Sans、Noto Sans Devanagari、Nanum Gothic (SIL Open Font License 1.1)、WenQuanYi Micro Hei
  (Apache-2.0 または GPL-3 フォント例外付き) — 案内シートの外国語欄用。
  fonts\\ に各パッケージの著作権ファイルを同梱
・その他の Python パッケージ — python\\Lib\\site-packages\\*.dist-info の各ライセンス

「同意する」を押すと、これらの条件に従ってインストールします。
"""

CMD_LAUNCHER = '@echo off\r\n"%~dp0python\\python.exe" -X utf8 "%~dp0madoguchi_launcher.py" %*\r\n'


def stage_payload(stage: Path, work: Path, cache: Path) -> tuple[dict[str, object], dict[str, float]]:
    seconds: dict[str, float] = {}

    def step(name: str, started: float) -> None:
        seconds[name] = round(time.monotonic() - started, 1)

    if stage.exists():
        shutil.rmtree(stage)
    stage.mkdir(parents=True)
    python_dir = stage / "python"
    site_packages = python_dir / "Lib" / "site-packages"
    licenses = stage / "licenses"

    started = time.monotonic()
    python = embed.prepare(cache, python_dir)
    step("python", started)

    started = time.monotonic()
    locked = wheels.download(cache)
    app_wheel = wheels.build_app_wheel(work / "app-wheel")
    wheels.install([*locked, app_wheel], site_packages)
    vc_runtime = add_vc_runtime(site_packages, python_dir)
    step("wheels", started)

    started = time.monotonic()
    zbar = install_zbar(work, cache, site_packages, licenses)
    step("zbar", started)

    started = time.monotonic()
    pruned = qt_prune.prune(site_packages / "PySide6")
    step("qt_prune", started)

    fonts = copy_fonts(stage)
    shutil.copy2(LAUNCHER, stage / "madoguchi_launcher.py")
    (stage / "madoguchi.cmd").write_bytes(CMD_LAUNCHER.encode("ascii"))
    write_ico(stage / "madoguchi.ico")
    version = app_version()
    readme = README_JA.format(version=version)
    (stage / "README-ja.txt").write_text(readme, encoding="utf-8-sig", newline="\r\n")

    missing = pe.unresolved_imports(stage, python_dir, pe.package_dll_directories(site_packages))
    if missing:
        lines = "\n".join(f"  {m.importer.relative_to(stage)} → {m.dll}" for m in missing)
        raise BuildError(f"DLLs a clean Windows PC does not have:\n{lines}")
    foreign = pe.foreign_machines(stage)
    if foreign:
        raise BuildError(f"not x64: {[str(p.relative_to(stage)) for p in foreign]}")

    manifest: dict[str, object] = {
        "app": "madoguchi",
        "version": version,
        "python": python.version,
        "python_signer": python.signer,
        "packages": {pin.name: pin.version for pin in read_lock(LOCK_FILE)},
        "app_wheel": app_wheel.name,
        "qt_modules": sorted(pruned.kept_modules),
        "qt_megabytes": {"before": pruned.bytes_before >> 20, "after": pruned.bytes_after >> 20},
        "zbar": zbar,
        "vc_runtime_for_zxingcpp": vc_runtime,
        "fonts": fonts,
        "bytes": tree_size(stage),
    }
    (stage / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return manifest, seconds


def run_makensis(
    stage: Path, work: Path, out: Path, manifest: dict[str, object], *, fast: bool = False
) -> Path:
    makensis = shutil.which("makensis")
    if makensis is None:
        raise BuildError("makensis is missing: apt-get install nsis (scripts/debian-packages-installer.txt)")
    version = str(manifest["version"])
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"madoguchi-{version}-windows-x64-setup.exe"
    licence = work / "license-ja.txt"
    text = LICENSE_PAGE.format(version=version, python=manifest["python"]).replace("\n", "\r\n")
    licence.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    size_kb = int(manifest["bytes"]) // 1024 if isinstance(manifest["bytes"], int) else 0
    command = [
        makensis, "-V2", "-INPUTCHARSET", "UTF8",
        f"-DVERSION={version}", f"-DVERSION4={_version4(version)}", f"-DSTAGE={stage}",
        f"-DOUTFILE={target.resolve()}", f"-DICON={stage / 'madoguchi.ico'}", f"-DLICENSE={licence}",
        f"-DSIZE_KB={size_kb}", *(["-DFAST"] if fast else []), str(NSIS_SCRIPT),
    ]  # fmt: skip
    subprocess.run(command, check=True)
    return target


def build(out: Path, work: Path, cache: Path, *, installer: bool = True, fast: bool = False) -> WindowsBuild:
    """Stage and check the payload, then (``installer``) pack it; ``fast``: store without compression."""
    started = time.monotonic()
    out, work, cache = out.resolve(), work.resolve(), cache.resolve()
    stage = work / "stage"
    manifest, seconds = stage_payload(stage, work, cache)
    target = None
    if installer:
        packed = time.monotonic()
        target = run_makensis(stage, work, out, manifest, fast=fast)
        seconds["nsis"] = round(time.monotonic() - packed, 1)
    seconds["total"] = round(time.monotonic() - started, 1)
    return WindowsBuild(target, stage, manifest, seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description="Build the Madoguchi Windows installer on Linux.")
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "windows")
    parser.add_argument("--cache", type=Path, default=ROOT / "build" / "cache")
    parser.add_argument("--stage-only", action="store_true", help="stage and check the payload, no NSIS")
    parser.add_argument("--fast", action="store_true", help="no LZMA compression (for tests)")
    args = parser.parse_args()
    result = build(args.out, args.work, args.cache, installer=not args.stage_only, fast=args.fast)
    size = f", {result.installer.stat().st_size / 2**20:.0f} MiB" if result.installer else ""
    print(f"installer: {result.installer or '(staged only)'}{size}")
    print(f"payload: {int(str(result.manifest['bytes'])) / 2**20:.0f} MiB staged; seconds: {result.seconds}")
