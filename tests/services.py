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
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

PCSCD_SOCKET = Path("/run/pcscd/pcscd.comm")


class ServiceError(RuntimeError):
    """A real component needed by the tests could not be started."""


def privileged(argv: list[str]) -> list[str]:
    """Run as root: directly when root, through ``sudo -n`` otherwise (fails loudly without it)."""
    if os.geteuid() == 0:
        return argv
    if shutil.which("sudo") is None:
        raise ServiceError(f"root rights are needed to run {argv[0]} and sudo is missing")
    return ["sudo", "-n", *argv]


def pid_alive(pid: int) -> bool:
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
        subprocess.run(privileged(["mkdir", "-p", "/run/pcscd"]), check=True)
        log = self.log_path.open("wb")
        self._log = log
        # --foreground keeps it our child; APDU logging stays off (it would log PINs).
        process = subprocess.Popen(
            privileged([pcscd, "--foreground"]), stdout=log, stderr=subprocess.STDOUT, start_new_session=True
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
                    subprocess.run(privileged(["kill", "-TERM", str(self.pid)]), check=False)
            except ProcessLookupError:
                pass
            deadline = time.monotonic() + 10
            while pid_alive(self.pid) and time.monotonic() < deadline:
                with contextlib.suppress(ChildProcessError):
                    os.waitpid(self.pid, os.WNOHANG)
                time.sleep(0.05)
        self.pid = None
        self.owned = False


def _postgres_bindir() -> Path:
    """The newest Debian PostgreSQL server binaries (``/usr/lib/postgresql/<major>/bin``)."""
    installed = Path("/usr/lib/postgresql").glob("*/bin/postgres")
    candidates = sorted(installed, key=lambda p: int(p.parent.parent.name), reverse=True)
    if candidates:
        return candidates[0].parent
    found = shutil.which("postgres")
    if found:
        return Path(found).parent
    raise ServiceError("PostgreSQL is not installed (Debian package postgresql)")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def write_test_tls(folder: Path, host: str, owner: str | None = None) -> None:
    """A throw-away CA (``ca.crt``) and a server certificate for ``host`` (an IP address) signed by it
    (``server.crt``, ``server.key`` 0600, owned by ``owner`` when given: PostgreSQL refuses a key
    others can read)."""
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Madoguchi test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )  # fmt: skip
    key = ec.generate_private_key(ec.SECP256R1())
    san = x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(host))])
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)]))
        .issuer_name(ca_name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=2))
        .add_extension(san, critical=False)
        .sign(ca_key, hashes.SHA256())
    )  # fmt: skip
    (folder / "ca.crt").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    (folder / "server.crt").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path = folder / "server.key"
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    key_path.chmod(0o600)
    if owner is not None:
        for name in ("ca.crt", "server.crt", "server.key"):
            shutil.chown(folder / name, owner, owner)


@dataclass
class Postgres:
    """A private PostgreSQL cluster: its own ``initdb`` in a temporary folder, a free loopback port,
    ``trust`` authentication for the ``postgres`` role on 127.0.0.1 only. Run as the ``postgres`` user
    when the tests run as root (PostgreSQL refuses root); stopped by PID. :meth:`stop` and
    :meth:`start` can be called again (a restart keeps the data), to test a server going away."""

    base_dir: Path | None = None
    port: int = 0
    pid: int | None = None
    _process: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    _run_as: str | None = field(default=None, repr=False)

    @property
    def data_dir(self) -> Path:
        assert self.base_dir is not None
        return self.base_dir / "data"

    @property
    def log_path(self) -> Path:
        assert self.base_dir is not None
        return self.base_dir / "postgres.log"

    @property
    def ca_path(self) -> Path:
        """The test CA that signed the server's certificate (clients verify the server with it)."""
        assert self.base_dir is not None
        return self.base_dir / "ca.crt"

    def url(self, database: str = "postgres") -> str:
        """TLS with the server verified (Madoguchi's default sslmode=verify-full) against the test CA."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}?sslrootcert={self.ca_path}"

    def init(self) -> None:
        bindir = _postgres_bindir()
        self.base_dir = Path(tempfile.mkdtemp(prefix="madoguchi-pg-"))
        if os.geteuid() == 0:
            import pwd

            try:
                pwd.getpwnam("postgres")
            except KeyError:
                raise ServiceError("running as root without a postgres user to run PostgreSQL") from None
            self._run_as = "postgres"
            shutil.chown(self.base_dir, "postgres", "postgres")
        result = subprocess.run(
            [str(bindir / "initdb"), "-D", str(self.data_dir), "-U", "postgres", "--auth=trust",
             "-E", "UTF8", "--no-locale", "--no-sync"],
            capture_output=True, text=True, cwd=self.base_dir, check=False,
            user=self._run_as, group=self._run_as,
        )  # fmt: skip
        if result.returncode != 0:
            raise ServiceError(f"initdb failed ({result.returncode}): {result.stderr.strip()[-2000:]}")
        self.port = free_port()
        write_test_tls(self.base_dir, "127.0.0.1", owner=self._run_as)

    def start(self, timeout: float = 30.0) -> None:
        if self.base_dir is None:
            self.init()
        assert self.base_dir is not None
        bindir = _postgres_bindir()
        log = self.log_path.open("ab")
        argv = [
            str(bindir / "postgres"), "-D", str(self.data_dir), "-p", str(self.port),
            "-k", str(self.base_dir), "-c", "listen_addresses=127.0.0.1",
            "-c", "fsync=off", "-c", "full_page_writes=off", "-c", "max_connections=200",
            "-c", "ssl=on", "-c", f"ssl_cert_file={self.base_dir / 'server.crt'}",
            "-c", f"ssl_key_file={self.base_dir / 'server.key'}",
        ]  # fmt: skip
        try:
            process = subprocess.Popen(
                argv, stdout=log, stderr=subprocess.STDOUT, cwd=self.base_dir, start_new_session=True,
                user=self._run_as, group=self._run_as,
            )  # fmt: skip
        finally:
            log.close()
        self._process, self.pid = process, process.pid
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                tail = self.log_path.read_text(errors="replace")[-2000:]
                raise ServiceError(f"postgres exited with {process.returncode}: {tail}")
            ready = subprocess.run(
                [str(bindir / "pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres"],
                check=False,
            )
            if ready.returncode == 0:
                return
            time.sleep(0.05)
        self.stop()
        raise ServiceError(f"postgres did not accept connections on port {self.port} within {timeout} s")

    def stop(self, mode: str = "fast", timeout: float = 30.0) -> None:
        """``fast`` (SIGINT: roll back sessions, clean shutdown) or ``immediate`` (SIGQUIT: like a crash,
        recovery at the next start)."""
        process, self._process = self._process, None
        if process is None or self.pid is None:
            return
        signals = {"fast": signal.SIGINT, "immediate": signal.SIGQUIT, "smart": signal.SIGTERM}
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signals[mode])
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            process.wait(5)
        self.pid = None

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.url().replace("+psycopg", ""), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, name: str) -> None:
        import psycopg

        with psycopg.connect(self.url().replace("+psycopg", ""), autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def dump(self, database: str) -> bytes:
        """``pg_dump`` of ``database`` (plain SQL), for tests that search what is stored."""
        result = subprocess.run(
            [str(_postgres_bindir() / "pg_dump"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
             "--no-owner", database],
            capture_output=True, check=False,
        )  # fmt: skip
        if result.returncode != 0:
            raise ServiceError(f"pg_dump failed: {result.stderr.decode(errors='replace')[-1000:]}")
        return result.stdout

    def cleanup(self) -> None:
        self.stop()
        if self.base_dir is not None:
            shutil.rmtree(self.base_dir, ignore_errors=True)
            self.base_dir = None
