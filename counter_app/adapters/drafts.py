"""The unfinished-visit draft: the only personal data at rest, encrypted, and gone by day end.

The kiosk saves the visit in progress after every change (:meth:`DraftStore.save_draft`), so a crash or
power cut loses nothing; on start it offers :meth:`DraftStore.load_drafts`; it deletes the draft when the
visit ends without papers (:meth:`DraftStore.delete_draft`) — a printed visit stays for today's
reprints; :func:`counter_app.adapters.purge.daily_purge` removes what is left no later than the
configured time each day.

Encryption: AES-256-GCM (``cryptography``), a fresh 96-bit nonce per save, the visit id and counter as
associated data (a ciphertext cannot be moved to another row). Only the visit id, counter and times are
in clear. The key (see :class:`DraftKeys`) is kept:

* in the OS key store (``keyring``: Windows Credential Manager, macOS Keychain, Secret Service) when one
  is available — the database file alone, or a backup of the data folder, cannot be decrypted;
* on **Windows** without a usable Credential Manager: a random key in the *config* folder protected with
  DPAPI for the current Windows user (:mod:`counter_app.adapters.dpapi`) — a copy of the folder, or the
  disk without the user's logon secret, does not open it; if DPAPI fails too, **no drafts are kept**
  (:class:`DraftsNotKeptError`: the visit goes on in memory);
* elsewhere, derived per counter with HKDF-SHA256 from a random seed file in the *config* folder (mode
  0600) and the machine id. Copying the data folder alone still reveals nothing, but someone with the
  whole disk and that user's (or root's) rights can derive the key. The draft lives at most one day.
  Without a machine id (``/etc/machine-id``) the seed alone would be the key: no drafts are kept.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import json
import logging
import os
import secrets
import sys
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import delete, or_, select

from counter_app.adapters.dpapi import Dpapi, DpapiUnavailableError
from counter_app.adapters.store.errors import DraftError, DraftKeyUnavailableError, DraftsNotKeptError
from counter_app.adapters.store.local import LocalStore, local_writes
from counter_app.adapters.store.local_models import DRAFTS
from printing.spool import open_with, seal_with

log = logging.getLogger(__name__)

KEYRING_SERVICE = "madoguchi"
SEED_FILE_NAME = "draft-key-seed"
DPAPI_FILE_NAME = "draft-key.dpapi"
SOURCE_DPAPI = "dpapi"
META_KEY_SOURCE = "draft_key_source"
SOURCE_KEYRING = "keyring"
SOURCE_DERIVED = "derived"
_AAD_PREFIX = b"madoguchi-draft-v1|"
_KIND_BYTES = b"B"
_KIND_JSON = b"J"
MACHINE_ID_FILES = (Path("/etc/machine-id"), Path("/var/lib/dbus/machine-id"))

DraftPayload = bytes | Mapping[str, Any] | Sequence[Any]


@dataclass(frozen=True, slots=True)
class DraftKey:
    key: bytes = field(repr=False)
    source: str

    @property
    def key_id(self) -> str:
        """A short fingerprint that names the key without revealing it."""
        return hashlib.sha256(b"madoguchi-key-id|" + self.key).hexdigest()[:16]


def _keyring_usable(backend: Any) -> bool:
    try:
        priority = float(backend.priority)
    except Exception:
        return False
    module = type(backend).__module__
    return priority > 0 and not module.startswith(("keyring.backends.fail", "keyring.backends.null"))


def machine_id(files: Sequence[Path] = MACHINE_ID_FILES) -> bytes:
    for path in files:
        try:
            value = path.read_bytes().strip()
        except OSError:
            continue
        if value:
            return value
    return b""


class DraftKeys:
    """Finds or makes this counter's draft key; remembers in the local store where it is kept."""

    def __init__(
        self,
        local: LocalStore,
        counter: str,
        seed_dir: Path,
        keyring_backend: Any | None = None,
        machine_id_files: Sequence[Path] = MACHINE_ID_FILES,
        platform: str = sys.platform,
        dpapi: Callable[[], Any] = Dpapi,
    ) -> None:
        self.local = local
        self.counter = counter
        self.seed_dir = seed_dir
        self.machine_id_files = machine_id_files
        self.platform = platform
        self._dpapi = dpapi
        self._backend = keyring_backend
        self._cached: DraftKey | None = None

    @property
    def username(self) -> str:
        return f"draft-key:{self.counter}"

    def _keyring(self) -> Any:
        if self._backend is None:
            import keyring

            self._backend = keyring.get_keyring()
        return self._backend

    def key(self) -> DraftKey:
        if self._cached is None:
            self._cached = self._load()
        return self._cached

    def subkey(self, purpose: str) -> bytes:
        """A 256-bit key for another use on this counter (e.g. the print spool), derived from the draft
        key with HKDF so that the two uses never share a key."""
        hkdf = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=b"madoguchi-subkey-v1", info=purpose.encode("utf-8")
        )
        return hkdf.derive(self.key().key)

    def _load(self) -> DraftKey:
        source = self.local.get_meta(META_KEY_SOURCE)
        if source == SOURCE_DPAPI or (source == SOURCE_DERIVED and self.platform == "win32"):
            # (A Windows counter that derived its key before DPAPI was used moves to DPAPI: its old
            # drafts no longer open and go with the day-end purge.)
            key = self._from_dpapi()
            if source != SOURCE_DPAPI:
                self.local.set_meta(META_KEY_SOURCE, SOURCE_DPAPI)
            return key
        if source == SOURCE_DERIVED:
            return self._derived()
        if source == SOURCE_KEYRING:
            return self._from_keyring(create_if_missing=True)
        # First use on this counter: prefer the OS key store.
        backend = self._keyring()
        if _keyring_usable(backend):
            try:
                key = self._from_keyring(create_if_missing=True)
            except DraftKeyUnavailableError as exc:
                log.warning("OS key store unusable (%s): draft key derived per counter instead", exc.reason)
            else:
                self.local.set_meta(META_KEY_SOURCE, SOURCE_KEYRING)
                return key
        if self.platform == "win32":
            key = self._from_dpapi()
            self.local.set_meta(META_KEY_SOURCE, SOURCE_DPAPI)
            return key
        key = self._derived()
        self.local.set_meta(META_KEY_SOURCE, SOURCE_DERIVED)
        return key

    def _from_dpapi(self) -> DraftKey:
        """A random key kept in the settings folder, protected by DPAPI for this Windows user."""
        try:
            dpapi = self._dpapi()
        except (DpapiUnavailableError, OSError) as exc:
            raise DraftsNotKeptError(f"no key store and no DPAPI ({exc})") from None
        path = self.seed_dir / DPAPI_FILE_NAME
        try:
            if path.exists():
                key = dpapi.unprotect(path.read_bytes())
            else:
                self.seed_dir.mkdir(parents=True, exist_ok=True)
                key = secrets.token_bytes(32)
                descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(descriptor, "wb") as handle:
                    handle.write(dpapi.protect(key))
                    handle.flush()
                    os.fsync(handle.fileno())
        except (DpapiUnavailableError, OSError) as exc:
            raise DraftsNotKeptError(f"DPAPI failed ({type(exc).__name__})") from None
        if len(key) != 32:
            raise DraftsNotKeptError("the DPAPI-protected key has the wrong length")
        return DraftKey(key, SOURCE_DPAPI)

    def _from_keyring(self, create_if_missing: bool) -> DraftKey:
        backend = self._keyring()
        try:
            stored = backend.get_password(KEYRING_SERVICE, self.username)
            if stored is None and create_if_missing:
                # A lost key makes old drafts unreadable; they are skipped and purged at day end.
                backend.set_password(
                    KEYRING_SERVICE, self.username, base64.b64encode(os.urandom(32)).decode()
                )
                stored = backend.get_password(KEYRING_SERVICE, self.username)
        except Exception as exc:  # locked collection, no D-Bus, denied access …
            raise DraftKeyUnavailableError(f"{type(exc).__name__}: {exc}") from None
        if stored is None:
            raise DraftKeyUnavailableError("the key store did not keep the key")
        try:
            key = base64.b64decode(stored, validate=True)
        except ValueError:
            raise DraftKeyUnavailableError("the stored key is not valid") from None
        if len(key) != 32:
            raise DraftKeyUnavailableError("the stored key has the wrong length")
        return DraftKey(key, SOURCE_KEYRING)

    def _seed(self) -> bytes:
        path = self.seed_dir / SEED_FILE_NAME
        try:
            seed = path.read_bytes()
        except FileNotFoundError:
            self.seed_dir.mkdir(parents=True, exist_ok=True)
            seed = secrets.token_bytes(32)
            try:
                descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:  # another process of this counter made it first
                return path.read_bytes()
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(seed)
                handle.flush()
                os.fsync(handle.fileno())
        if len(seed) < 32:
            raise DraftError(f"draft key seed {path} is damaged")
        return seed

    def _derived(self) -> DraftKey:
        identity = machine_id(self.machine_id_files)
        if not identity:
            # Without a machine id the seed file alone would be the key: a copy of the settings folder
            # (and the counter's name) would open every draft. Keep none instead.
            raise DraftsNotKeptError("no key store and no machine id")
        hkdf = HKDF(
            algorithm=hashes.SHA256(),
            length=32,
            salt=b"madoguchi-draft-key-v1",
            info=b"counter|" + self.counter.encode("utf-8") + b"|machine|" + identity,
        )
        return DraftKey(hkdf.derive(self._seed()), SOURCE_DERIVED)


@dataclass(frozen=True, slots=True)
class Draft:
    """A decrypted draft. Its payload holds personal data: never logged (the repr hides it)."""

    visit_id: uuid.UUID
    created_at: dt.datetime
    saved_at: dt.datetime
    payload: bytes = field(repr=False)
    is_json: bool = False

    def json(self) -> Any:
        if not self.is_json:
            raise DraftError(f"draft {self.visit_id} holds bytes, not JSON")
        return json.loads(self.payload)


@functools.cache
def _upsert_draft() -> Any:
    """The draft's insert-or-replace, built once (the kiosk saves after every change; building the
    statement each time cost as much as the commit)."""
    from sqlalchemy.dialects.sqlite import insert

    statement = insert(DRAFTS)
    return statement.on_conflict_do_update(
        index_elements=["visit_id"],
        set_={
            "saved_at": statement.excluded.saved_at,
            "key_id": statement.excluded.key_id,
            "nonce": statement.excluded.nonce,
            "ciphertext": statement.excluded.ciphertext,
        },
    )


def _aad(visit_id: uuid.UUID, counter: str) -> bytes:
    return _AAD_PREFIX + visit_id.bytes + b"|" + counter.encode("utf-8")


class DraftStore:
    """Encrypted drafts in the counter's local store."""

    def __init__(
        self,
        local: LocalStore,
        keys: DraftKeys,
        clock: Callable[[], dt.datetime] | None = None,
    ) -> None:
        self.local = local
        self.keys = keys
        self.counter = keys.counter
        self._clock = clock or (lambda: dt.datetime.now(dt.UTC))

    def save_draft(self, visit_id: uuid.UUID, payload: DraftPayload) -> None:
        """Encrypt and store the visit in progress (replacing its previous draft)."""
        if isinstance(payload, (bytes, bytearray, memoryview)):
            plain = _KIND_BYTES + bytes(payload)
        else:
            plain = _KIND_JSON + json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode(
                "utf-8"
            )
        key = self.keys.key()
        nonce, ciphertext = seal_with(key.key, plain, _aad(visit_id, self.counter))
        now = self._clock()
        row = {
            "visit_id": visit_id,
            "counter": self.counter,
            "created_at": now,
            "saved_at": now,
            "key_id": key.key_id,
            "nonce": nonce,
            "ciphertext": ciphertext,
        }
        with local_writes(self.local.path.parent), self.local.engine.begin() as connection:
            connection.execute(_upsert_draft(), row)

    def load_drafts(self) -> list[Draft]:
        """The drafts this counter can decrypt, oldest first. Others (another key) are skipped and left
        for the daily purge."""
        table = DRAFTS
        with local_writes(self.local.path.parent), self.local.engine.connect() as connection:
            rows = connection.execute(
                select(table).where(table.c.counter == self.counter).order_by(table.c.saved_at)
            ).all()
        if not rows:
            return []
        key = self.keys.key()
        drafts: list[Draft] = []
        for row in rows:
            if row.key_id != key.key_id:
                log.warning("draft %s was saved with another key: skipped", row.visit_id)
                continue
            try:
                plain = open_with(key.key, row.nonce, row.ciphertext, _aad(row.visit_id, row.counter))
            except ValueError:
                log.warning("draft %s failed authentication: skipped", row.visit_id)
                continue
            drafts.append(
                Draft(row.visit_id, row.created_at, row.saved_at, plain[1:], is_json=plain[:1] == _KIND_JSON)
            )
        return drafts

    def delete_draft(self, visit_id: uuid.UUID) -> bool:
        with local_writes(self.local.path.parent), self.local.engine.begin() as connection:
            result = connection.execute(delete(DRAFTS).where(DRAFTS.c.visit_id == visit_id))
        if result.rowcount > 0:
            self._checkpoint()
            return True
        return False

    def purge(self, before: dt.datetime, ahead_of: dt.datetime | None = None) -> list[uuid.UUID]:
        """Delete every draft last saved before ``before`` (any counter, any key), and every draft saved
        after ``ahead_of`` (saved while the clock was ahead: no "before" would ever reach it); their
        visit ids."""
        table = DRAFTS
        condition = table.c.saved_at < before
        if ahead_of is not None:
            condition = or_(condition, table.c.saved_at > ahead_of)
        with self.local.engine.begin() as connection:
            ids = list(connection.execute(select(table.c.visit_id).where(condition)).scalars())
            if ids:
                connection.execute(delete(table).where(table.c.visit_id.in_(ids)))
        if ids:
            self._checkpoint()
        return ids

    def _checkpoint(self) -> None:
        """Deleted rows are overwritten (``secure_delete``), but the WAL keeps old pages until a
        checkpoint: fold it into the file and truncate it."""
        raw = self.local.engine.raw_connection()
        try:
            raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # type: ignore[union-attr]
        finally:
            raw.close()

    def count(self) -> int:
        from sqlalchemy import func

        with self.local.engine.connect() as connection:
            return int(connection.execute(select(func.count()).select_from(DRAFTS)).scalar_one())
