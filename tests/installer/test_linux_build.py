"""The Linux build (``installer/linux``): built once, then the FROZEN ``madoguchi`` is run as IT would.

The build (``python -m installer.linux --reuse``) goes to ``build/linux-test``; it is repeated only when
the sources, the installed packages or the fonts changed (see ``installer.linux.build.source_fingerprint``),
so a second run of this module takes seconds. Needs ``scripts/debian-packages-installer.txt``'s Linux
part (binutils, dpkg-dev, desktop-file-utils, strace) besides the project's own packages.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import re
import signal
import subprocess
import sys
import tarfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from card_reader.pcsc import PcscContext
from counter_app.presenters.messages import EXIT_DATABASE, EXIT_DEVICE
from installer.linux import depends
from installer.linux.build import BuildInfo
from procedures.catalog import load_catalog
from tests.helpers.visits import tennyu
from tests.services import Pcscd

pytestmark = [pytest.mark.installer, pytest.mark.timeout(900)]

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "build" / "linux-test" / "out"
WORK = ROOT / "build" / "linux-test" / "work"
VPCD_READER = "Virtual PCD 00 00"
MIB = 2**20


class Frozen:
    """The frozen executable of the build, run with a private data folder and settings file."""

    def __init__(self, info: BuildInfo, home: Path) -> None:
        self.info = info
        self.app_dir = Path(info.app_dir)
        self.executable = self.app_dir / "madoguchi"
        self.home = home
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("MADOGUCHI_", "PYTHON", "LD_", "QT_"))
        }
        self.env.update(
            HOME=str(home),
            LANG="C.UTF-8",
            MADOGUCHI_DATA_DIR=str(home / "data"),
            MADOGUCHI_CONFIG=str(home / "madoguchi.toml"),
        )

    def run(
        self,
        *args: str,
        env: dict[str, str] | None = None,
        input: str | None = None,
        prefix: tuple[str, ...] = (),
        timeout: float = 60,
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*prefix, str(self.executable), *args],
            env={**self.env, **(env or {})},
            input=input,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            cwd=self.home,
        )


@pytest.fixture(scope="module")
def build_info() -> BuildInfo:
    command = [sys.executable, "-m", "installer.linux", "--out", str(OUT), "--work", str(WORK), "--reuse"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=840, check=False)
    assert result.returncode == 0, f"{result.stdout[-3000:]}\n{result.stderr[-6000:]}"
    info = BuildInfo.load(OUT)
    assert info is not None and info.complete(), result.stdout
    return info


@pytest.fixture
def frozen(build_info: BuildInfo, tmp_path: Path) -> Frozen:
    return Frozen(build_info, tmp_path)


@pytest.fixture(scope="module")
def visit_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A move-in of four, every question answered; names with 髙, 﨑 and 𠮷 (IPAmj明朝)."""
    visit, _guidance = tennyu(load_catalog(None))
    path = tmp_path_factory.mktemp("visit") / "visit.json"
    path.write_text(json.dumps(visit.to_json(), ensure_ascii=False), encoding="utf-8")
    return path


def _no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr, result.stderr
    assert "Could not load the Qt platform plugin" not in result.stderr, result.stderr


def test_version_also_through_a_symlink_like_usr_bin(frozen: Frozen, tmp_path: Path) -> None:
    expected = f"madoguchi {frozen.info.version}"
    assert frozen.run("--version").stdout.strip() == expected
    link = tmp_path / "bin" / "madoguchi"
    link.parent.mkdir()
    link.symlink_to(frozen.executable)
    result = subprocess.run([str(link), "--version"], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and result.stdout.strip() == expected, result.stderr


def test_catalog_check(frozen: Frozen) -> None:
    result = frozen.run("catalog", "check")
    assert result.returncode == 0, result.stderr
    # Notes (a municipality's changes to national entries, with their reasons) come first, then OK.
    assert result.stdout.splitlines()[-1].startswith("OK:"), result.stdout


def _pdf_fonts(pdf: Path) -> list[tuple[str, str]]:
    """(font name, embedded) for every font of ``pdf``, from poppler's pdffonts."""
    lines = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = []
    for line in lines.splitlines()[2:]:
        fields = line.split()
        rows.append((fields[0].split("+")[-1], fields[-5]))  # name … emb sub uni object ID
    return rows


def test_forms_render_embeds_the_bundled_fonts(frozen: Frozen, visit_file: Path, tmp_path: Path) -> None:
    trace = tmp_path / "openat.log"
    out = tmp_path / "forms"
    result = frozen.run(
        "forms",
        "render",
        "--visit",
        str(visit_file),
        "--out",
        str(out),
        "--date",
        "2025-04-14",
        prefix=("strace", "-f", "-qq", "-e", "trace=openat", "-o", str(trace)),
    )
    assert result.returncode == 0, result.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["complete"] is True
    pdfs = [Path(document["path"]) for document in manifest["documents"]]
    assert len(pdfs) >= 5 and all(not p.is_absolute() or p.exists() for p in pdfs)
    fonts = {row for pdf in sorted(out.glob("*.pdf")) for row in _pdf_fonts(pdf)}
    assert {name for name, _emb in fonts} == {"IPAexMincho", "IPAexGothic", "IPAmjMincho"}
    assert {emb for _name, emb in fonts} == {"yes"}
    # The fonts come from the bundle (the runtime hook), not from the system's font folders.
    opened = set(re.findall(r'openat\([^"]*"([^"]+\.ttf)", [^)]*\) = \d+', trace.read_text()))
    bundled = frozen.app_dir / "_internal" / "fonts"
    assert opened == {str(bundled / name) for name in ("ipaexm.ttf", "ipaexg.ttf", "ipamjm.ttf")}


def test_qr_encode_then_decode_round_trip(frozen: Frozen, visit_file: Path, tmp_path: Path) -> None:
    """zbar (the system's libzbar.so.0, found through ctypes) works from the frozen app."""
    encoded = frozen.run("qr", "encode", "--visit", str(visit_file), "--out", str(tmp_path / "qr"))
    assert encoded.returncode == 0, encoded.stderr
    images = sorted((tmp_path / "qr").glob("*.png"))
    assert len(images) >= 1
    decoded = frozen.run("qr", "decode", *map(str, images), "--json")
    assert decoded.returncode == 0, decoded.stderr
    expected = json.loads(visit_file.read_text(encoding="utf-8"))
    for member in expected["members"]:
        member["source"] = "qr"
    assert json.loads(decoded.stdout) == expected


def test_databases_sqlite_and_postgresql(frozen: Frozen) -> None:
    """Alembic's migrations run from the bundle; ``postgresql://`` loads SQLAlchemy's psycopg dialect
    and psycopg's binary build (a refused connection is the database error, not an import error)."""
    upgraded = frozen.run("db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    assert (frozen.home / "data" / "madoguchi.sqlite3").is_file()
    refused = frozen.run(
        "db", "upgrade", env={"MADOGUCHI_DATABASE_URL": "postgresql://madoguchi@127.0.0.1:9/x"}
    )
    assert refused.returncode == EXIT_DATABASE, refused.stderr
    assert "データベースに接続できません" in refused.stderr
    _no_traceback(refused)


@pytest.fixture(scope="module")
def pcscd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pcscd]:
    service = Pcscd(log_path=tmp_path_factory.mktemp("pcscd") / "pcscd.log")
    service.start()
    try:
        yield service
    finally:
        service.stop()


@pytest.mark.integration
def test_card_emulate_and_read_through_pcscd(frozen: Frozen, pcscd: Pcscd) -> None:
    """pyscard's native module and the system's libpcsclite.so.1 (opened with dlopen) work frozen:
    the frozen ``card emulate`` puts a virtual card on vpcd's reader, the frozen ``card read`` reads it."""
    emulator = subprocess.Popen(
        [str(frozen.executable), "card", "emulate", "--name", "髙橋\u3000𠮷子", "--tries", "3"],
        env=frozen.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        with PcscContext() as context:
            context.wait_for_card(VPCD_READER, timeout=15)
        status = frozen.run("card", "status", "--json")
        assert status.returncode == 0, status.stderr
        assert json.loads(status.stdout)["pin_tries_left"] == 3
        read = frozen.run("card", "read", "--pin-stdin", "--json", input="1234\n")
        assert read.returncode == 0, read.stderr
        assert json.loads(read.stdout)["name"] == "髙橋\u3000𠮷子"
    finally:
        emulator.send_signal(signal.SIGTERM)
        _out, errors = emulator.communicate(timeout=15)
        with PcscContext() as context:
            context.wait_for_removal(VPCD_READER, timeout=10)
    assert emulator.returncode == 0, errors


def test_card_status_without_pcscd_is_a_clerk_message(frozen: Frozen, tmp_path: Path) -> None:
    result = frozen.run("card", "status", env={"PCSCLITE_CSOCK_NAME": str(tmp_path / "no-pcscd.comm")})
    assert result.returncode == EXIT_DEVICE, result.stderr
    assert "PC/SC" in result.stderr
    _no_traceback(result)


def test_kiosk_starts_offscreen(frozen: Frozen) -> None:
    result = frozen.run("kiosk", "--demo", "--quit-after", "3000", env={"QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr
    _no_traceback(result)
    # the kiosk opened its storage: both databases migrated from the bundled scripts
    assert {p.name for p in (frozen.home / "data").iterdir()} >= {
        "madoguchi.sqlite3",
        "counter-local.sqlite3",
    }


def test_kiosk_starts_on_x11(frozen: Frozen) -> None:
    """The xcb platform plugin and the X libraries it needs from Debian, under Xvfb."""
    result = frozen.run(
        "kiosk",
        "--demo",
        "--quit-after",
        "3000",
        env={"QT_QPA_PLATFORM": "xcb"},
        prefix=("xvfb-run", "-a", "-s", "-screen 0 1280x800x24"),
    )
    assert result.returncode == 0, result.stderr
    _no_traceback(result)


def _frozen_modules(executable: Path) -> set[str]:
    listing = subprocess.run(
        [str(Path(sys.executable).with_name("pyi-archive_viewer")), "-r", "-b", str(executable)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {line.strip() for line in listing.splitlines() if line.startswith(" ")}


def test_modules_loaded_by_name_are_frozen_and_tools_are_not(build_info: BuildInfo) -> None:
    app = Path(build_info.app_dir)
    modules = _frozen_modules(app / "madoguchi")
    assert {
        "unidic_lite",  # fugashi's C code imports it (and shlex) to find the dictionary
        "shlex",
        "fugashi",
        "alembic.op",
        "sqlalchemy.dialects.sqlite.pysqlite",
        "sqlalchemy.dialects.postgresql.psycopg",
        "keyring.backends.SecretService",
        "counter_app.ui.app",
        "counter_app.adapters.store.migrate",
        "rthook_fonts",
    } <= modules
    tools = {"hypothesis", "pytest", "mypy", "tkinter", "setuptools"}
    assert not {m for m in modules if m.split(".")[0] in tools}
    internal = app / "_internal"
    assert list(internal.glob("_rl_accel*.so")), "reportlab's accelerator"
    assert list(internal.glob("psycopg_binary/_psycopg*.so"))


def test_bundle_layout(build_info: BuildInfo) -> None:
    internal = Path(build_info.app_dir) / "_internal"
    expected = [
        "fonts/ipaexm.ttf",
        "fonts/ipaexg.ttf",
        "fonts/ipamjm.ttf",
        "fonts/LICENSE-fonts-ipaexfont-mincho.txt",
        "fonts/LICENSE-fonts-ipaexfont-gothic.txt",
        "fonts/LICENSE-fonts-ipamj-mincho.txt",
        "unidic_lite/dicdir/sys.dic",
        "unidic_lite/dicdir/matrix.bin",
        "unidic_lite/dicdir/dicrc",
        "unidic_lite/dicdir/BSD",
        "counter_app/adapters/store/migrations/main/env.py",
        "counter_app/adapters/store/migrations/main/versions/0001_initial.py",
        "counter_app/adapters/store/migrations/local/env.py",
        "counter_app/adapters/store/migrations/main/script.py.mako",
        "procedures/catalogs/default/catalog.yaml",
        "procedures/prefill/assets/page.html",
        "procedures/prefill/assets/vendor/LICENSE-fflate.txt",
        "forms/layouts/jumin_idou.yaml",
        "pypdfium2_raw/libpdfium.so",
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "PySide6/Qt/plugins/platforms/libqoffscreen.so",
        "PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so",
        "PySide6/Qt/plugins/multimedia/libffmpegmediaplugin.so",
        "PySide6/Qt/plugins/printsupport/libcupsprintersupport.so",
        f"licenses/PySide6_Essentials-{importlib.metadata.version('PySide6-Essentials')}/LGPL-3",
        "madoguchi-0.1.0.dist-info/METADATA",
    ]
    expected = [e.replace("0.1.0", build_info.version) for e in expected]
    assert [e for e in expected if not (internal / e).exists()] == []
    assert (internal / "licenses").is_dir() and len(list((internal / "licenses").iterdir())) > 30
    dropped = [
        "PySide6/Qt/plugins/platforms/libqwayland.so",
        "PySide6/Qt/plugins/platformthemes",
        "PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so",
        "libzbar.so.0",  # system libraries come from Debian
        "libcups.so.2",
        "libpcsclite.so.1",
        "libX11.so.6",
        "libgtk-3.so.0",
    ]
    assert [d for d in dropped if (internal / d).exists()] == []
    assert not list(internal.rglob("__pycache__"))


def _merged_usr_variants(path: Path) -> set[str]:
    text = str(path)
    return {text, text.removeprefix("/usr") if text.startswith("/usr/") else "/usr" + text}


def test_every_library_resolves_and_only_from_debian(build_info: BuildInfo) -> None:
    app = Path(build_info.app_dir)
    system = depends.verify_bundle(app)  # raises on "not found" or a dangling link
    assert system
    # no library looks in the build machine's folders (pyenv's prefix) on a counter PC
    assert depends.foreign_search_paths(app) == {}
    paths = sorted({v for p in system for v in _merged_usr_variants(p)})
    owners = subprocess.run(["dpkg", "-S", *paths], capture_output=True, text=True, check=False)
    owned = {line.rpartition(": ")[2] for line in owners.stdout.splitlines()}
    assert sorted(str(p) for p in system if not _merged_usr_variants(p) & owned) == []


def _control(deb: Path) -> dict[str, str]:
    text = subprocess.run(["dpkg-deb", "-f", str(deb)], capture_output=True, text=True, check=True).stdout
    fields: dict[str, str] = {}
    for line in text.splitlines():
        if line[:1] not in {" ", "\t"}:
            key, _sep, value = line.partition(":")
            fields[key] = value.strip()
    return fields


def _installed_satisfies(relation: str) -> bool:
    for alternative in relation.split("|"):
        match = re.fullmatch(r"\s*([\w.+-]+)(?:\s*\((<<|<=|=|>=|>>)\s*([^)]+)\))?\s*", alternative)
        assert match, relation
        name, operator, version = match.groups()
        query = subprocess.run(
            ["dpkg-query", "-W", "-f=${Status}|${Version}", name], capture_output=True, text=True, check=False
        )
        status, _sep, rest = query.stdout.partition("|")
        installed = rest
        if query.returncode != 0 or not status.endswith(" installed"):
            continue
        if operator is None:
            return True
        names = {"<<": "lt", "<=": "le", "=": "eq", ">=": "ge", ">>": "gt"}
        compare = ["dpkg", "--compare-versions", installed, names[operator], version]
        if subprocess.run(compare, check=False).returncode == 0:
            return True
    return False


def test_deb_metadata_and_depends(build_info: BuildInfo) -> None:
    deb = Path(build_info.deb)
    assert deb.name == f"madoguchi_{build_info.version}_amd64.deb"
    control = _control(deb)
    assert control["Package"] == "madoguchi" and control["Architecture"] == "amd64"
    assert control["Version"] == build_info.version
    relations = [r.strip() for r in control["Depends"].split(",")]
    names = {r.split("|")[0].split("(")[0].strip() for r in relations}
    assert {"pcscd", "libpcsclite1", "libzbar0", "libcups2", "fontconfig", "libxcb-cursor0", "libc6"} <= names
    assert "libzbar0 (>= 0.23)" in relations
    assert "printer-driver-cups-pdf" in control["Recommends"]
    # every relation names a real package, installed on this (the build) machine at a fitting version
    assert [r for r in relations if not _installed_satisfies(r)] == []
    info = subprocess.run(["dpkg-deb", "-I", str(deb)], capture_output=True, text=True, check=True).stdout
    for script in ("preinst", "postinst", "prerm", "postrm"):
        assert f" {script}" not in info  # nothing runs at install or removal


def test_deb_contents(build_info: BuildInfo, tmp_path: Path) -> None:
    deb = Path(build_info.deb)
    listing = subprocess.run(["dpkg-deb", "-c", str(deb)], capture_output=True, text=True, check=True).stdout
    entries = {}
    for line in listing.splitlines():
        mode, owner, _size, _date, _time, name = line.split(None, 5)
        entries[name] = (mode, owner)
    assert {owner for _mode, owner in entries.values()} == {"root/root"}
    assert "./usr/bin/madoguchi -> /opt/madoguchi/madoguchi" in entries
    for name in (
        "./opt/madoguchi/madoguchi",
        "./usr/share/applications/madoguchi.desktop",
        "./usr/share/icons/hicolor/scalable/apps/madoguchi.svg",
        "./usr/share/icons/hicolor/256x256/apps/madoguchi.png",
        "./usr/share/doc/madoguchi/copyright",
        "./usr/share/doc/madoguchi/INSTALL.ja.txt",
        "./opt/madoguchi/_internal/fonts/ipamjm.ttf",
    ):
        assert name in entries, name
    assert entries["./opt/madoguchi/madoguchi"][0] == "-rwxr-xr-x"
    # Only /opt/madoguchi and /usr: nothing in users' folders, /etc or /var, so upgrades and removal
    # never touch settings or data.
    assert {n.split("/")[1] for n in entries if n != "./"} == {"opt", "usr"}
    assert not [n for n in entries if n.startswith(("./home", "./root", "./etc", "./var"))]

    root = tmp_path / "root"
    subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    version = [str(root / "opt/madoguchi/madoguchi"), "--version"]
    result = subprocess.run(version, capture_output=True, text=True, check=False)
    assert result.stdout.strip() == f"madoguchi {build_info.version}", result.stderr
    desktop = root / "usr/share/applications/madoguchi.desktop"
    validated = subprocess.run(
        ["desktop-file-validate", str(desktop)], capture_output=True, text=True, check=False
    )
    assert validated.returncode == 0 and not validated.stdout.strip(), validated.stdout
    text = desktop.read_text(encoding="utf-8")
    for line in (
        "Name=Madoguchi 窓口",
        "Name[ja]=窓口(書かないワンストップ窓口)",
        "Exec=madoguchi kiosk",
        "Icon=madoguchi",
        "Categories=Office;",
        "Terminal=false",
    ):
        assert line in text.splitlines(), line


def test_tarball(build_info: BuildInfo) -> None:
    tarball = Path(build_info.tarball)
    assert tarball.name == f"madoguchi-{build_info.version}-linux-x86_64.tar.gz"
    with tarfile.open(tarball) as tar:
        members = {m.name: m for m in tar.getmembers()}
        install = tar.extractfile("madoguchi/INSTALL.ja.txt")
        assert install is not None
        text = install.read().decode("utf-8")
    assert {m.name.split("/")[0] for m in members.values()} == {"madoguchi"}
    assert {(m.uid, m.gid) for m in members.values()} == {(0, 0)}
    for name in ("madoguchi.desktop", "madoguchi.svg", "madoguchi.png", "INSTALL.ja.txt", "_internal"):
        assert f"madoguchi/{name}" in members, name
    assert members["madoguchi/madoguchi"].mode == 0o755
    assert build_info.version in text and f"madoguchi_{build_info.version}_amd64.deb" in text
    commands = text.replace("\\\n", " ").splitlines()  # shell lines continued with a backslash
    apt_line = next(line for line in commands if "sudo apt install" in line and "pcscd" in line)
    assert {"libzbar0", "libpcsclite1", "libcups2", "libxcb-cursor0"} <= set(apt_line.split())
    assert "$" not in text  # every placeholder filled


def test_size_and_build_time(build_info: BuildInfo, record_property: Callable[[str, object], None]) -> None:
    """Budgets that catch a bundle gone fat (GTK, tests, a second Qt) or a build gone slow."""
    for name, size in build_info.sizes.items():
        record_property(f"{name}_mib", round(size / MIB))
    for step, seconds in build_info.seconds.items():
        record_property(f"{step}_seconds", seconds)
    assert build_info.sizes["app"] < 650 * MIB  # 555 MiB: UniDic 249, Qt 129, fonts 58
    assert build_info.sizes["tarball"] < 230 * MIB
    assert build_info.sizes["deb"] < 230 * MIB
    assert build_info.seconds["total"] < 480  # about 100 s on two cores
