"""Typed errors of the storage layer (database, outbox, drafts, supervisor accounts).

Every error derives from :class:`StoreError`. They carry technical facts (a redacted URL, a revision,
a visit id), never personal data or a password. ``counter_app.presenters.messages`` turns them into Japanese.
"""

from __future__ import annotations

import datetime as dt


class StoreError(Exception):
    """Base of every error raised by :mod:`counter_app.adapters.store` and the storage services."""


class DatabaseUnavailableError(StoreError):
    """The database cannot be reached now (server down, network, file locked); the outbox keeps visits."""

    def __init__(self, url: str, reason: str) -> None:
        self.url = url  # password already hidden
        self.reason = reason
        super().__init__(f"database unavailable ({url}): {reason}")


class DatabaseTlsError(DatabaseUnavailableError):
    """The server's TLS certificate could not be verified (or the server offers no TLS): not connected."""


class SchemaError(StoreError):
    """The database schema does not match this version of the app."""


class SchemaTooNewError(SchemaError):
    """The database was migrated by a newer Madoguchi; this counter must be updated first."""

    def __init__(self, revision: str, head: str) -> None:
        self.revision = revision
        self.head = head
        super().__init__(f"database revision {revision} is unknown to this app (its newest is {head})")


class SchemaNotReadyError(SchemaError):
    """The database has not been migrated to this app's schema (run ``madoguchi db upgrade``)."""

    def __init__(self, revision: str | None, head: str) -> None:
        self.revision = revision
        self.head = head
        super().__init__(f"database revision {revision} is behind {head}")


class RecordError(StoreError):
    """A visit, print job or audit record is invalid (checked before it is queued)."""


class LocalWriteError(StoreError):
    """The counter's own data folder cannot be written: ``reason`` is ``"full"`` (no space left),
    ``"read_only"`` (a read-only file system or no permission) or ``"io"`` (another disk error). The
    write did not happen (SQLite rolled it back; files are written whole or not at all)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"cannot write to the local data folder: {reason}")


class DraftError(StoreError):
    """Base of errors of the encrypted visit drafts."""


class DraftKeyUnavailableError(DraftError):
    """The draft key is kept in the OS key store, and the key store cannot be used now."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"draft key unavailable: {reason}")


class DraftsNotKeptError(DraftKeyUnavailableError):
    """This counter has no safe place for a draft key (no OS key store, and neither DPAPI on Windows nor
    a machine id elsewhere): drafts are not kept at all; the visit goes on in memory."""


class SupervisorError(StoreError):
    """Base of errors of supervisor accounts."""


class SignInRefusedError(SupervisorError):
    """Wrong login or password (the two are not told apart), or a disabled account."""


class SupervisorLockedError(SupervisorError):
    """Too many wrong passwords: the account is locked until ``until`` (aware)."""

    def __init__(self, until: dt.datetime) -> None:
        self.until = until
        super().__init__(f"supervisor account locked until {until.isoformat(timespec='minutes')}")


class SupervisorRequiredError(SupervisorError):
    """The operation needs a signed-in supervisor (enabled, not locked), and none was given."""

    def __init__(self) -> None:
        super().__init__("a signed-in supervisor is required")


class SelfUnlockError(SupervisorError):
    """A supervisor tried to clear their own lockout: only another supervisor may."""

    def __init__(self, login: str) -> None:
        self.login = login
        super().__init__(f"supervisor {login!r} cannot unlock their own account")


class SupervisorExistsError(SupervisorError):
    def __init__(self, login: str) -> None:
        self.login = login
        super().__init__(f"supervisor {login!r} already exists")


class UnknownSupervisorError(SupervisorError):
    def __init__(self, login: str) -> None:
        self.login = login
        super().__init__(f"no supervisor {login!r}")


class WeakPasswordError(SupervisorError):
    def __init__(self, minimum: int) -> None:
        self.minimum = minimum
        super().__init__(f"password shorter than {minimum} characters")
