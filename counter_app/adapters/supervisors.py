"""Supervisor accounts: scrypt password hashes, lockout after repeated failures, audited sign-in.

Accounts live in the main database, so with a shared PostgreSQL one account works at every counter.
Passwords are hashed with scrypt (``hashlib``, N=2^15, r=8, p=1: about 32 MiB and 0.1 s per try) and
a random 16-byte salt; the stored string names its parameters, so stronger ones can be introduced later
and old hashes are upgraded at the next sign-in. Five wrong passwords in a row lock the account for
15 minutes. An unknown login costs the same time as a wrong password and gets the same answer.
Every sign-in, refused or not, is audited (through the outbox, with the counter's name).

Changing accounts needs a signed-in supervisor (``by``, a :class:`SupervisorSession`): adding one, a
password, disabling or unlocking. The one exception is the FIRST account, which nobody could sign in for:
it can be added without ``by`` only while the table is empty (whoever can write to the database at
installation time — the IT staff holding its credentials — creates it). A lockout is cleared only by
another supervisor (``unlock`` or ``set_password`` by someone else): a supervisor changing their own
password has just signed in with the old one, which a locked account cannot do. Every change is audited
under the acting supervisor's login, with the account changed as ``target``.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import hmac
import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import NoReturn

from sqlalchemy import Connection, Engine, func, select, update

from counter_app.adapters.recording import MainDatabase, Recorder
from counter_app.adapters.store.engine import is_unavailable, unavailable
from counter_app.adapters.store.errors import (
    RecordError,
    SelfUnlockError,
    SignInRefusedError,
    SupervisorExistsError,
    SupervisorLockedError,
    SupervisorRequiredError,
    UnknownSupervisorError,
    WeakPasswordError,
)
from counter_app.adapters.store.models import SUPERVISORS
from counter_app.adapters.store.records import AuditKind

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


@functools.cache
def _dummy_hash() -> str:
    """Verified against when the login is unknown, so that both cases take the same time. Made at the
    first sign-in, not at import (one scrypt, 0.1 s, that the kiosk's start-up does not need)."""
    return hash_password("madoguchi-no-such-supervisor")


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

    def _check_acting(self, connection: Connection, by: SupervisorSession | None) -> str:
        """The acting supervisor's login; refused when nobody signed in, or the account has since been
        disabled, locked or removed."""
        if by is None:
            raise SupervisorRequiredError()
        table = SUPERVISORS
        row = connection.execute(select(table).where(table.c.login == by.login)).first()
        now = self._clock()
        if row is None or row.disabled or (row.locked_until is not None and row.locked_until > now):
            raise SupervisorRequiredError()
        return str(row.login)

    def add(self, login: str, password: str, *, by: SupervisorSession | None = None) -> None:
        """Add an account; ``by`` (a signed-in supervisor) is required unless no account exists yet."""
        check_login(login)
        if len(password) < MIN_PASSWORD_LENGTH:
            raise WeakPasswordError(MIN_PASSWORD_LENGTH)
        now = self._clock()
        table = SUPERVISORS
        acting = ""
        try:
            with self._engine().begin() as connection:
                existing = int(connection.execute(select(func.count()).select_from(table)).scalar_one())
                if existing or by is not None:
                    acting = self._check_acting(connection, by)
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
        detail: dict[str, str | int | bool | None] = {"action": "add", "target": login}
        if not acting:
            detail["first_account"] = True
        self._audit(AuditKind.SUPERVISOR_ACCOUNT, acting or login, detail)

    def set_password(self, login: str, password: str, *, by: SupervisorSession) -> None:
        """A new password. By the account itself (signed in with the old one) or by another supervisor;
        only the latter clears a lockout."""
        if len(password) < MIN_PASSWORD_LENGTH:
            raise WeakPasswordError(MIN_PASSWORD_LENGTH)
        table = SUPERVISORS
        values: dict[str, object] = {
            "password_hash": hash_password(password),
            "password_changed_at": self._clock(),
        }
        try:
            with self._engine().begin() as connection:
                acting = self._check_acting(connection, by)
                if acting != login:
                    values.update(failed_attempts=0, locked_until=None)
                result = connection.execute(update(table).where(table.c.login == login).values(**values))
                if result.rowcount == 0:
                    raise UnknownSupervisorError(login)
        except Exception as exc:
            self._reraise(exc)
        self._audit(AuditKind.SUPERVISOR_ACCOUNT, acting, {"action": "password", "target": login})

    def set_disabled(self, login: str, disabled: bool, *, by: SupervisorSession) -> None:
        table = SUPERVISORS
        try:
            with self._engine().begin() as connection:
                acting = self._check_acting(connection, by)
                result = connection.execute(
                    update(table).where(table.c.login == login).values(disabled=disabled)
                )
                if result.rowcount == 0:
                    raise UnknownSupervisorError(login)
        except Exception as exc:
            self._reraise(exc)
        action = "disable" if disabled else "enable"
        self._audit(AuditKind.SUPERVISOR_ACCOUNT, acting, {"action": action, "target": login})

    def unlock(self, login: str, *, by: SupervisorSession) -> None:
        """Clear a lockout (and the count of wrong passwords); only another supervisor may."""
        table = SUPERVISORS
        try:
            with self._engine().begin() as connection:
                acting = self._check_acting(connection, by)
                if acting == login:
                    raise SelfUnlockError(login)
                result = connection.execute(
                    update(table).where(table.c.login == login).values(failed_attempts=0, locked_until=None)
                )
                if result.rowcount == 0:
                    raise UnknownSupervisorError(login)
        except Exception as exc:
            self._reraise(exc)
        self._audit(AuditKind.SUPERVISOR_ACCOUNT, acting, {"action": "unlock", "target": login})

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
        dummy = _dummy_hash()  # made before the look-up: a first sign-in costs the same either way
        now = self._clock()
        table = SUPERVISORS
        try:
            with self._engine().begin() as connection:
                row = connection.execute(select(table).where(table.c.login == login)).first()
                if row is None:
                    verify_password(password, dummy)
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
