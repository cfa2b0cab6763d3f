"""The one engine factory: SQLite (a counter's own file) or PostgreSQL (psycopg 3, shared by counters).

* SQLite runs in WAL mode with ``synchronous=FULL`` (a power cut loses no committed visit), foreign
  keys on, a busy timeout, and ``BEGIN IMMEDIATE`` for every transaction so that two writers wait for
  each other instead of failing half-way. ``secure_delete`` overwrites deleted rows (drafts).
* PostgreSQL URLs without a driver use psycopg 3; connections are checked before use (a restarted server
  costs one reconnect, not an error) and time out after a few seconds instead of hanging the counter.
* Statement parameters are never logged (``hide_parameters``), whatever the log level.
"""

from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.pool import ConnectionPoolEntry

from counter_app.adapters.store.errors import DatabaseTlsError, DatabaseUnavailableError

CONNECT_TIMEOUT_SECONDS = 5
SQLITE_BUSY_TIMEOUT_MS = 15_000


def normalize_url(url: str | URL) -> URL:
    """``postgresql://`` and ``postgres://`` mean psycopg 3; SQLite URLs stay as they are."""
    parsed = make_url(url) if isinstance(url, str) else url
    if parsed.drivername in {"postgresql", "postgres"}:
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def redact_url(url: str | URL) -> str:
    """The URL as it may be shown or logged: the password replaced by ``***``."""
    try:
        parsed = make_url(url) if isinstance(url, str) else url
    except Exception:  # an unparsable URL is shown as nothing rather than leaked
        return "<invalid database URL>"
    return parsed.render_as_string(hide_password=True)


def sqlite_path(url: str | URL) -> Path | None:
    parsed = normalize_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def _sqlite_connect(dbapi_connection: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
    dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (see _sqlite_begin)
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA secure_delete = ON")
    finally:
        cursor.close()


def _sqlite_begin(connection: Any) -> None:
    # Writers take the lock at BEGIN (no deadlock upgrading a read lock); readers opt out with
    # ``execution_options(sqlite_begin="DEFERRED")`` and read a WAL snapshot without blocking writers.
    mode = connection.get_execution_options().get("sqlite_begin", "IMMEDIATE")
    if mode not in {"IMMEDIATE", "DEFERRED", "EXCLUSIVE"}:
        raise ValueError(f"sqlite_begin: {mode}")
    connection.exec_driver_sql(f"BEGIN {mode}")


DEFAULT_SSLMODE = "verify-full"


def tls_arguments(url: URL, environ: dict[str, str] | None = None) -> dict[str, str]:
    """PostgreSQL over TLS with the server's certificate and host name verified, unless the URL (or
    libpq's ``PGSSLMODE``) says otherwise: ``?sslmode=disable`` for a server on this PC's Unix
    socket (libpq ignores sslmode there anyway). The CA is libpq's ``sslrootcert`` (default
    ``~/.postgresql/root.crt``; ``?sslrootcert=system`` for the OS's CAs)."""
    env = os.environ if environ is None else environ
    if "sslmode" in url.query or env.get("PGSSLMODE"):
        return {}
    return {"sslmode": DEFAULT_SSLMODE}


def make_engine(url: str | URL, *, pool_size: int = 5, echo: bool = False) -> Engine:
    """An engine for ``url`` with the settings above. The SQLite folder is created if missing."""
    parsed = normalize_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        path = sqlite_path(parsed)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            parsed,
            echo=echo,
            hide_parameters=True,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
        )
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if backend == "postgresql":
        return create_engine(
            parsed,
            echo=echo,
            hide_parameters=True,
            pool_pre_ping=True,
            pool_size=pool_size,
            max_overflow=pool_size,
            pool_timeout=CONNECT_TIMEOUT_SECONDS * 2,
            connect_args={
                "connect_timeout": CONNECT_TIMEOUT_SECONDS,
                "application_name": "madoguchi",
                "keepalives": 1,
                "keepalives_idle": 30,
                "keepalives_interval": 10,
                "keepalives_count": 3,
                **tls_arguments(parsed),
            },
        )
    raise ValueError(f"unsupported database: {backend}")


def is_unavailable(error: BaseException) -> bool:
    """Whether ``error`` means "the database cannot be reached now" rather than "this data is wrong"."""
    if isinstance(error, DatabaseUnavailableError):
        return True
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    if isinstance(error, (OperationalError, InterfaceError)):
        return True
    # psycopg raises OperationalError subclasses for refused or broken connections; SQLAlchemy wraps
    # them above. A raw one can surface from pool pre-ping.
    return type(error).__module__.startswith("psycopg") and type(error).__name__ in {
        "OperationalError",
        "InterfaceError",
    }


def unavailable(url: str | URL, error: BaseException) -> DatabaseUnavailableError:
    """The typed error for a connectivity failure, with the password hidden and no parameters."""
    reason = str(getattr(error, "orig", None) or error).strip().splitlines()
    first = reason[0] if reason else type(error).__name__
    if _TLS_FAILURE.search(" ".join(reason)):
        return DatabaseTlsError(redact_url(url), first)
    return DatabaseUnavailableError(redact_url(url), first)


# libpq's words when the server's certificate cannot be verified (or the server has no TLS).
_TLS_FAILURE = re.compile(
    r"certificate|\bSSL\b|sslmode|server does not support SSL|does not match host name", re.IGNORECASE
)


def dialect_insert(connection: Connection, table: Table) -> postgresql.Insert | sqlite.Insert:
    """An INSERT with ``on_conflict_do_nothing`` / ``on_conflict_do_update`` for the connection's database."""
    if connection.dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)
