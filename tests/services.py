"""Real services for integration tests, started and stopped by PID.

Each service is reused when one already runs on this machine (one pcscd per machine), and started
otherwise; what the tests started they stop. A service that cannot be started fails the run loudly:
integration tests never skip silently.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

PCSCD_SOCKET = Path("/run/pcscd/pcscd.comm")


class ServiceError(RuntimeError):
    """A real component needed by the tests could not be started."""


def _privileged(argv: list[str]) -> list[str]:
    """Run as root: directly when root, through ``sudo -n`` otherwise (fails loudly without it)."""
    if os.geteuid() == 0:
        return argv
    if shutil.which("sudo") is None:
        raise ServiceError(f"root rights are needed to run {argv[0]} and sudo is missing")
    return ["sudo", "-n", *argv]


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _accepts(path: Path) -> bool:
    """Whether a UNIX socket at ``path`` accepts connections (a stale socket file does not)."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        try:
            sock.connect(str(path))
        except OSError:
            return False
    return True


def _running_pids(name: str) -> list[int]:
    result = subprocess.run(["pgrep", "-x", name], capture_output=True, text=True, check=False)
    return [int(pid) for pid in result.stdout.split()]


@dataclass
class Pcscd:
    """pcscd with the vsmartcard-vpcd driver (its readers "Virtual PCD 00 00/01")."""

    log_path: Path
    pid: int | None = None
    owned: bool = False
    _log: object = field(default=None, repr=False)

    def start(self, timeout: float = 15.0) -> None:
        settle = time.monotonic() + 5
        while True:
            if _accepts(PCSCD_SOCKET):  # one pcscd per machine: share the one that answers
                self.pid = next(iter(_running_pids("pcscd")), None)
                self.owned = False
                return
            if not _running_pids("pcscd"):
                break
            if time.monotonic() > settle:  # a pcscd that neither answers nor exits
                raise ServiceError("a pcscd process runs but does not answer on " + str(PCSCD_SOCKET))
            time.sleep(0.1)
        pcscd = shutil.which("pcscd") or "/usr/sbin/pcscd"
        if not Path(pcscd).exists():
            raise ServiceError("pcscd is not installed (Debian package pcscd)")
        subprocess.run(_privileged(["mkdir", "-p", "/run/pcscd"]), check=True)
        log = self.log_path.open("wb")
        self._log = log
        # --foreground keeps it our child; never -a/--apdu (it would log PINs).
        process = subprocess.Popen(
            _privileged([pcscd, "--foreground"]), stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.pid = process.pid
        self.owned = True
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise ServiceError(f"pcscd exited with {process.returncode}; see {self.log_path}")
            if _accepts(PCSCD_SOCKET):
                return
            time.sleep(0.05)
        self.stop()
        raise ServiceError(f"pcscd did not open {PCSCD_SOCKET} within {timeout} s")

    def stop(self) -> None:
        if self.owned and self.pid is not None:
            try:
                if os.geteuid() == 0:
                    os.killpg(self.pid, signal.SIGTERM)
                else:
                    subprocess.run(_privileged(["kill", "-TERM", str(self.pid)]), check=False)
            except ProcessLookupError:
                pass
            deadline = time.monotonic() + 10
            while _pid_alive(self.pid) and time.monotonic() < deadline:
                with contextlib.suppress(ChildProcessError):
                    os.waitpid(self.pid, os.WNOHANG)
                time.sleep(0.05)
        self.pid = None
        self.owned = False
