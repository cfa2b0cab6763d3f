"""A private CUPS server for the tests: its own config, spool and port on 127.0.0.1, started and
stopped by PID, with a capture queue (keeps every job as sent, one file per job) and optionally a
CUPS-PDF queue. Clients reach it through ``CUPS_SERVER=127.0.0.1:<port>``."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.services import ServiceError, _privileged

SYSTEM_SERVER_BIN = Path("/usr/lib/cups")
CAPTURE_BACKEND = Path(__file__).parent / "fixtures" / "cups" / "capture-backend.sh"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@dataclass
class Cupsd:
    root: Path
    port: int = field(default_factory=free_port)
    pid: int | None = None
    extra_files_conf: str = ""
    """Lines appended to cups-files.conf (a test gives cupsd a configuration it must reject)."""

    @property
    def server(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def env(self) -> dict[str, str]:
        return {**os.environ, "CUPS_SERVER": self.server, "LC_ALL": "C"}

    def _write_config(self) -> None:
        for name in ("spool", "cache", "state", "log", "spool/tmp"):
            (self.root / name).mkdir(parents=True, exist_ok=True)
        server_bin = self.root / "serverbin"
        backend = server_bin / "backend"
        backend.mkdir(parents=True, exist_ok=True)
        for sub in ("filter", "daemon", "cgi-bin", "monitor", "notifier", "driver"):
            if (SYSTEM_SERVER_BIN / sub).exists() and not (server_bin / sub).exists():
                (server_bin / sub).symlink_to(SYSTEM_SERVER_BIN / sub)
        for item in (SYSTEM_SERVER_BIN / "backend").iterdir():
            if not (backend / item.name).exists():
                (backend / item.name).symlink_to(item)
        shutil.copyfile(CAPTURE_BACKEND, backend / "capture")
        (backend / "capture").chmod(0o755)
        (self.root / "cupsd.conf").write_text(
            f"""Listen 127.0.0.1:{self.port}
LogLevel info
WebInterface No
Browsing Off
DefaultAuthType None
JobRetryInterval 1
<Location />
  Order allow,deny
  Allow all
</Location>
<Policy default>
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
"""
        )
        (self.root / "cups-files.conf").write_text(
            f"""ServerRoot {self.root}
RequestRoot {self.root}/spool
CacheDir {self.root}/cache
StateDir {self.root}/state
TempDir {self.root}/spool/tmp
AccessLog {self.root}/log/access_log
ErrorLog {self.root}/log/error_log
PageLog {self.root}/log/page_log
FileDevice Yes
Printcap {self.root}/printcap
Sandboxing Relaxed
ServerBin {server_bin}
DataDir /usr/share/cups
{self.extra_files_conf}"""
        )

    def _command(self, *flags: str) -> list[str]:
        cupsd = shutil.which("cupsd") or "/usr/sbin/cupsd"
        config = ["-c", str(self.root / "cupsd.conf"), "-s", str(self.root / "cups-files.conf")]
        return _privileged([cupsd, *flags, *config])

    def check_config(self) -> None:
        """``cupsd -t``: a configuration this cupsd rejects fails here, with cupsd's own message."""
        result = subprocess.run(self._command("-t"), capture_output=True, text=True, timeout=30, check=False)
        output = (result.stdout + result.stderr).strip()
        if result.returncode != 0 or "is OK" not in output:
            raise ServiceError(f"cupsd rejected the test configuration (cupsd -t): {output}")

    def start(self, timeout: float = 20.0) -> None:
        if not Path(shutil.which("cupsd") or "/usr/sbin/cupsd").exists():
            raise ServiceError("cupsd is not installed (Debian package cups)")
        self.root.mkdir(parents=True, exist_ok=True)
        # The backends run as the unprivileged CUPS user: every folder on the way must be traversable.
        for folder in (self.root, *self.root.parents):
            if folder == Path("/") or folder.stat().st_mode & 0o005 == 0o005:
                break
            folder.chmod(folder.stat().st_mode | 0o755)
        self._write_config()
        if os.geteuid() != 0:
            # cupsd (root) runs only backends owned by root: hand the server's binaries folder over.
            server_bin = str(self.root / "serverbin")
            subprocess.run(_privileged(["chown", "-R", "root:root", server_bin]), check=True)
        self.check_config()
        log = (self.root / "cupsd.out").open("wb")
        process = subprocess.Popen(
            self._command("-f"),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.pid = process.pid
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                error_log = self.root / "log" / "error_log"
                detail = error_log.read_text(errors="replace")[-2000:] if error_log.exists() else ""
                raise ServiceError(f"cupsd exited with {process.returncode}: {detail}")
            if _listening(self.port):
                return
            time.sleep(0.05)
        self.stop()
        raise ServiceError(f"cupsd did not listen on {self.server} within {timeout} s")

    def lpadmin(self, *args: str) -> None:
        result = subprocess.run(
            ["lpadmin", *args], env=self.env, capture_output=True, text=True, timeout=30, check=False
        )
        if result.returncode != 0:
            raise ServiceError(f"lpadmin {' '.join(args)} failed: {result.stderr.strip()}")

    @property
    def outputs(self) -> Path:
        """Where capture queues write, beside (not inside) the server root: cupsd running as root takes
        ownership of its ServerRoot, and a test run as a normal user must still create folders here."""
        return self.root.with_name(self.root.name + "-out")

    def capture_dir(self, name: str) -> Path:
        return self.outputs / f"out-{name}"

    def add_capture_printer(self, name: str) -> Path:
        """A queue that keeps each job as sent in ``capture_dir(name)/job-<id>.pdf``."""
        out = self.capture_dir(name)
        out.mkdir(parents=True, exist_ok=True)
        self.outputs.chmod(0o755)
        out.chmod(0o777)  # the backend runs as the unprivileged CUPS user
        self.lpadmin("-p", name, "-E", "-v", f"capture:{out}")
        return out

    def add_cups_pdf_printer(self, name: str) -> None:
        self.lpadmin("-p", name, "-E", "-v", "cups-pdf:/", "-m", "lsb/usr/cups-pdf/CUPS-PDF_opt.ppd")

    def disable(self, name: str) -> None:
        subprocess.run(["cupsdisable", name], env=self.env, check=True, timeout=30)

    def stop(self) -> None:
        if self.pid is None:
            return
        try:
            if os.geteuid() == 0:
                os.killpg(self.pid, signal.SIGTERM)
            else:
                subprocess.run(_privileged(["kill", "-TERM", str(self.pid)]), check=False)
        except ProcessLookupError:
            pass
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                finished, _ = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:
                break
            if finished:
                break
            time.sleep(0.05)
        self.pid = None

    def remove_files(self) -> None:
        """Delete the server's folders (some belong to root once cupsd has run)."""
        for folder in (self.outputs, self.root):
            if os.geteuid() == 0:
                shutil.rmtree(folder, ignore_errors=True)
            elif folder.exists():
                subprocess.run(_privileged(["rm", "-rf", "--", str(folder)]), check=False)
