"""Supervisor accounts: scrypt password hashes, lockout after repeated failures, audited sign-in.

Accounts live in the main database, so with a shared PostgreSQL one account works at every counter.
Passwords are hashed with scrypt (``hashlib``, N=2^15, r=8, p=1: about 32 MiB and 0.1 s per try) and
a random 16-byte salt; the stored string names its parameters, so stronger ones can be introduced later
and old hashes are upgraded at the next sign-in. Five wrong passwords in a row lock the account for
15 minutes. An unknown login costs the same time as a wrong password and gets the same answer.
Every sign-in, refused or not, is audited (through the outbox, with the counter's name).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import NoReturn

from sqlalchemy import Engine, func, select, update

from counter_app.services.recording import MainDatabase, Recorder
from counter_app.store.engine import is_unavailable, unavailable
from counter_app.store.errors import (
    RecordError,
    SignInRefusedError,
    SupervisorExistsError,
    SupervisorLockedError,
    UnknownSupervisorError,
    WeakPasswordError,
)
from counter_app.store.models import SUPERVISORS
from counter_app.store.records import AuditKind

MIN_PASSWORD_LENGTH = 8
MAX_FAILED_ATTEMPTS = 5
LOCKOUT = dt.timedelta(minutes=15)
SCRYPT_N_LOG2 = 15
SCRYPT_R = 8
SCRYPT_P = 1
_LOGIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def _scrypt(password: str, salt: bytes, n_log2: int, r: int, p: int) -> bytes:
    normalized = unicodedata.normalize("NFKC", password).encode("utf-8")
    return hashlib.scrypt(normalized, salt=salt, n=2**n_log2, r=r, p=p, maxmem=256 * 1024 * 1024, dklen=32)


def hash_password(password: str, n_log2: int = SCRYPT_N_LOG2, r: int = SCRYPT_R, p: int = SCRYPT_P) -> str:
    salt = os.urandom(16)
    digest = _scrypt(password, salt, n_log2, r, p)
    encode = base64.b64encode
    return f"scrypt${n_log2}${r}${p}${encode(salt).decode()}${encode(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n_log2, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = _scrypt(password, base64.b64decode(salt), int(n_log2), int(r), int(p))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def needs_rehash(stored: str) -> bool:
    parts = stored.split("$")
    return len(parts) != 6 or parts[:4] != ["scrypt", str(SCRYPT_N_LOG2), str(SCRYPT_R), str(SCRYPT_P)]


# Verified against when the login is unknown, so that both cases take the same time.
_DUMMY_HASH = hash_password("madoguchi-no-such-supervisor")


def check_login(login: str) -> str:
    if not _LOGIN.match(login):
        raise RecordError("supervisor login: letters, digits, '.', '_' and '-' only (at most 64)")
    return login


@dataclass(frozen=True, slots=True)
class SupervisorSession:
    login: str
    signed_in_at: dt.datetime


@dataclass(frozen=True, slots=True)
class SupervisorInfo:
    login: str
    disabled: bool
    locked_until: dt.datetime | None
    created_at: dt.datetime
    last_sign_in_at: dt.datetime | None


class SupervisorAccounts:
    def __init__(
        self,
        database: MainDatabase,
        recorder: Recorder | None = None,
        clock: Callable[[], dt.datetime] | None = None,
    ) -> None:
        self.database = database
        self.recorder = recorder
        self._clock = clock or (lambda: dt.datetime.now(dt.UTC))

    def _engine(self) -> Engine:
        self.database.ensure_ready()
        return self.database.engine

    def _audit(self, kind: AuditKind, login: str, detail: dict[str, str | int | bool | None]) -> None:
        if self.recorder is not None:
            self.recorder.audit(kind, clerk_id=login, detail=detail)

    def add(self, login: str, password: str) -> None:
        check_login(login)
        if len(password) < MIN_PASSWORD_LENGTH:
            raise WeakPasswordError(MIN_PASSWORD_LENGTH)
        now = self._clock()
        table = SUPERVISORS
        try:
            with self._engine().begin() as connection:
                exists = connection.execute(select(table.c.id).where(table.c.login == login)).first()
                if exists is not None:
                    raise SupervisorExistsError(login)
                connection.execute(
                    table.insert().values(
                        login=login,
                        password_hash=hash_password(password),
                        disabled=False,
                        failed_attempts=0,
                        created_at=now,
                        password_changed_at=now,
                    )
                )
        except Exception as exc:
            self._reraise(exc)
        self._audit(AuditKind.SUPERVISOR_ACCOUNT, login, {"action": "add"})

    def set_password(self, login: str, password: str) -> None:
        if len(password) < MIN_PASSWORD_LENGTH:
            raise WeakPasswordError(MIN_PASSWORD_LENGTH)
        table = SUPERVISORS
        with self._engine().begin() as connection:
            result = connection.execute(
                update(table)
                .where(table.c.login == login)
                .values(
                    password_hash=hash_password(password),
                    password_changed_at=self._clock(),
                    failed_attempts=0,
                    locked_until=None,
                )
            )
        if result.rowcount == 0:
            raise UnknownSupervisorError(login)
        self._audit(AuditKind.SUPERVISOR_ACCOUNT, login, {"action": "password"})

    def set_disabled(self, login: str, disabled: bool) -> None:
        table = SUPERVISORS
        with self._engine().begin() as connection:
            result = connection.execute(update(table).where(table.c.login == login).values(disabled=disabled))
        if result.rowcount == 0:
            raise UnknownSupervisorError(login)
        self._audit(AuditKind.SUPERVISOR_ACCOUNT, login, {"action": "disable" if disabled else "enable"})

    def list(self) -> list[SupervisorInfo]:
        table = SUPERVISORS
        with self._engine().connect() as connection:
            rows = connection.execute(select(table).order_by(table.c.login)).all()
        return [
            SupervisorInfo(r.login, r.disabled, r.locked_until, r.created_at, r.last_sign_in_at) for r in rows
        ]

    def count(self) -> int:
        with self._engine().connect() as connection:
            return int(connection.execute(select(func.count()).select_from(SUPERVISORS)).scalar_one())

    def sign_in(self, login: str, password: str) -> SupervisorSession:
        """Check the password; audited either way. Raises :class:`SignInRefusedError` or
        :class:`SupervisorLockedError`; the database must be reachable."""
        now = self._clock()
        table = SUPERVISORS
        try:
            with self._engine().begin() as connection:
                row = connection.execute(select(table).where(table.c.login == login)).first()
                if row is None:
                    verify_password(password, _DUMMY_HASH)
                    outcome: tuple[str, dict[str, str | int | bool | None]] = (
                        "refused",
                        {"known_login": False},
                    )
                elif row.locked_until is not None and row.locked_until > now:
                    outcome = ("locked", {"known_login": True, "locked": True})
                elif not verify_password(password, row.password_hash) or row.disabled:
                    failed = row.failed_attempts + 1
                    locked_until = now + LOCKOUT if failed >= MAX_FAILED_ATTEMPTS else None
                    connection.execute(
                        update(table)
                        .where(table.c.id == row.id)
                        .values(
                            failed_attempts=0 if locked_until else failed,
                            locked_until=locked_until,
                        )
                    )
                    outcome = (
                        "locked" if locked_until else "refused",
                        {"known_login": True, "failed": failed},
                    )
                else:
                    values: dict[str, object] = {
                        "failed_attempts": 0,
                        "locked_until": None,
                        "last_sign_in_at": now,
                    }
                    if needs_rehash(row.password_hash):
                        values["password_hash"] = hash_password(password)
                    connection.execute(update(table).where(table.c.id == row.id).values(**values))
                    outcome = ("ok", {})
                locked_until_value = None if row is None else row.locked_until
        except Exception as exc:
            self._reraise(exc)
        status, detail = outcome
        known = row is not None
        if status == "ok":
            self._audit(AuditKind.SUPERVISOR_SIGN_IN, login, detail)
            return SupervisorSession(login, now)
        # An unknown login is not written to the log (it may be a password typed in the wrong field).
        self._audit(AuditKind.SUPERVISOR_SIGN_IN_FAILED, login if known else "", detail)
        if status == "locked":
            until = locked_until_value if locked_until_value and locked_until_value > now else now + LOCKOUT
            raise SupervisorLockedError(until)
        raise SignInRefusedError("wrong login or password")

    def _reraise(self, exc: Exception) -> NoReturn:
        if is_unavailable(exc):
            raise unavailable(self.database.url, exc) from exc
        raise exc
