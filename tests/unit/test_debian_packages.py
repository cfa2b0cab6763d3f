"""scripts/debian-packages.sh: what the set-up asks of apt, with and without ``CI``.

apt-get, apt-cache, dpkg-query, sudo and id are replaced by recording scripts on PATH, so the test sees the
exact commands the real set-up would run, without touching this machine's packages.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "debian-packages.sh"

FAKE = {
    # Every command is recorded, one line each, in $CALLS.
    "apt-get": 'echo "apt-get $*" >> "$CALLS"',
    "sudo": 'echo "sudo $1" >> "$CALLS"; "$@"',
    # The user id the script sees ($FAKE_UID): root runs apt-get itself, anyone else through sudo.
    "id": 'echo "${FAKE_UID:-0}"',
    # Listed packages depend on libcups2 (installed) and a virtual package (not installed).
    "apt-cache": 'for p in "$@"; do case "$p" in -*) ;; *) echo "$p";; esac; done;'
    ' echo "  Depends: libcups2"; echo libcups2; echo "<virtual-thing>"; echo virtual-thing',
    # Everything is installed except the packages named in $MISSING and virtual-thing.
    "dpkg-query": """
fmt=""; pkgs=""
while [ $# -gt 0 ]; do
  case "$1" in -W) ;; -f) shift; fmt="$1";; -f*) fmt="${1#-f}";; *) pkgs="$pkgs $1";; esac; shift
done
for p in $pkgs; do
  case " $MISSING virtual-thing " in *" $p "*) continue;; esac
  case "$fmt" in
    *Status-Status*) echo "installed $p";;
    *Status*) printf 'install ok installed';;
    *Version*) printf '9.9-%s' "$p";;
  esac
done
""",
}


def run(tmp_path: Path, env: dict[str, str]) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    for name, body in FAKE.items():
        path = bin_dir / name
        path.write_text("#!/bin/sh\n" + body + "\n")
        path.chmod(0o755)
    calls = tmp_path / "calls"
    calls.write_text("")
    environment = {
        "PATH": f"{bin_dir}:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "CALLS": str(calls),
        "MISSING": "",
        **env,
    }
    result = subprocess.run(
        ["bash", str(SCRIPT)], env=environment, capture_output=True, text=True, timeout=60, check=False
    )
    return result, [line for line in calls.read_text().splitlines() if line]


def listed_packages() -> list[str]:
    packages: list[str] = []
    for line in (ROOT / "scripts" / "debian-packages.txt").read_text().splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            packages.append(word)
    return packages


def test_without_ci_nothing_is_upgraded(tmp_path: Path) -> None:
    result, calls = run(tmp_path, {})
    assert result.returncode == 0, result.stderr
    assert calls == []  # all present: apt is not even updated
    assert (
        "Testing against: pcscd 9.9-pcscd, vsmartcard-vpcd 9.9-vsmartcard-vpcd, cups 9.9-cups"
        in result.stdout
    )


def test_with_ci_the_listed_packages_and_their_dependencies_are_upgraded(tmp_path: Path) -> None:
    result, calls = run(tmp_path, {"CI": "true", "MISSING": "cups"})
    assert result.returncode == 0, result.stderr
    assert calls[0] == "apt-get update -q"
    assert calls[1].startswith("apt-get install -y -q --no-install-recommends cups")
    upgrade = calls[2].split()
    assert upgrade[:6] == ["apt-get", "install", "-y", "-q", "--only-upgrade", "--no-install-recommends"]
    upgraded = set(upgrade[6:])
    # Every listed package (all installed now) and the installed packages they depend on; nothing
    # that is not installed (a virtual package would make apt-get fail).
    assert set(listed_packages()) - {"cups"} <= upgraded
    assert "libcups2" in upgraded
    assert "virtual-thing" not in upgraded
    assert len(calls) == 3  # apt-get update only once
    assert "Testing against:" in result.stdout


def test_a_normal_user_goes_through_sudo(tmp_path: Path) -> None:
    result, calls = run(tmp_path, {"CI": "true", "FAKE_UID": "1000"})
    assert result.returncode == 0, result.stderr
    assert calls[:2] == ["sudo apt-get", "apt-get update -q"]
