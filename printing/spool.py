"""The crash-safe spool: job metadata as JSON, documents encrypted at rest (AES-256-GCM).

A spooled document is a filled-in form: personal data. It is sealed with a key the app supplies
(``counter_app`` keeps it in the OS key store), bound to its job id, written atomically, and deleted
as soon as the job is printed — or by the day-end purge at the latest.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
from pathlib import Path
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from printing.errors import SpoolCorruptedError
from printing.model import PrintJob

NONCE_BYTES = 12
KEY_BYTES = 32
FORMAT_TAG = b"MDGSPL1"


def seal_with(key: bytes, plaintext: bytes, context: bytes) -> tuple[bytes, bytes]:
    """AES-256-GCM with a fresh random 96-bit nonce, ``context`` authenticated as associated data:
    ``(nonce, ciphertext with its tag)``. The one sealing routine of Madoguchi: the spool below, and in
    ``counter_app`` the visit drafts, the hand-off outbox and the registry extract, which store nonce and
    ciphertext apart."""
    if len(key) != KEY_BYTES:
        raise ValueError("the key must be 32 bytes")
    nonce = secrets.token_bytes(NONCE_BYTES)
    return nonce, AESGCM(key).encrypt(nonce, plaintext, context)


def open_with(key: bytes, nonce: bytes, ciphertext: bytes, context: bytes) -> bytes:
    """The plaintext sealed by :func:`seal_with`; ``ValueError`` when the key, the nonce, the context
    or the ciphertext is not the one it was sealed with."""
    try:
        return AESGCM(key).decrypt(nonce, ciphertext, context)
    except InvalidTag:
        raise ValueError("does not open with this key and context") from None


class SpoolCodec(Protocol):
    def seal(self, plaintext: bytes, context: bytes) -> bytes: ...

    def open(self, sealed: bytes, context: bytes) -> bytes: ...


class AesGcmCodec:
    """AES-256-GCM with a random nonce per document; the job id is authenticated as associated data."""

    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_BYTES:
            raise ValueError("the spool key must be 32 bytes")
        self._key = key

    @staticmethod
    def new_key() -> bytes:
        return secrets.token_bytes(KEY_BYTES)

    def seal(self, plaintext: bytes, context: bytes) -> bytes:
        nonce, ciphertext = seal_with(self._key, plaintext, context)
        return FORMAT_TAG + nonce + ciphertext

    def open(self, sealed: bytes, context: bytes) -> bytes:
        if not sealed.startswith(FORMAT_TAG):
            raise ValueError("not a spooled document")
        body = sealed[len(FORMAT_TAG) :]
        try:
            return open_with(self._key, body[:NONCE_BYTES], body[NONCE_BYTES:], context)
        except ValueError:
            raise ValueError("the document does not open with this key") from None

    def __repr__(self) -> str:
        return "AesGcmCodec(<key>)"


def private_folder(directory: Path) -> None:
    """Create ``directory`` (and its parents) for personal data: mode 0700, tightened if it exists
    (POSIX; on Windows the folder inherits the user's profile ACL)."""
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        directory.chmod(0o700)


def atomic_write(path: Path, data: bytes) -> None:
    """``data`` as ``path`` (mode 0600), all or nothing: written to a temporary file, flushed and
    renamed. If the disk is full or read-only the temporary file is removed and the error raised —
    nothing half-written is left, and an earlier ``path`` stays as it was."""
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        try:
            view = memoryview(data)
            while view:  # os.write may write less than asked
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    with contextlib.suppress(OSError):  # make the rename durable where the platform allows
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


class Spool:
    """One folder: ``<job>.json`` (metadata, no personal data) and ``<job>.pdf.sealed``."""

    def __init__(self, directory: Path, codec: SpoolCodec) -> None:
        self.directory = directory
        self.codec = codec
        private_folder(directory)

    def _meta(self, job_id: str) -> Path:
        return self.directory / f"{job_id}.json"

    def _document(self, job_id: str) -> Path:
        return self.directory / f"{job_id}.pdf.sealed"

    def save(self, job: PrintJob) -> None:
        atomic_write(self._meta(job.job_id), json.dumps(job.to_json(), ensure_ascii=False).encode())

    def store_document(self, job_id: str, pdf: bytes) -> None:
        atomic_write(self._document(job_id), self.codec.seal(pdf, job_id.encode()))

    def document(self, job_id: str) -> bytes:
        try:
            return self.codec.open(self._document(job_id).read_bytes(), job_id.encode())
        except (OSError, ValueError):
            raise SpoolCorruptedError(job_id) from None

    def has_document(self, job_id: str) -> bool:
        return self._document(job_id).exists()

    def drop_document(self, job_id: str) -> None:
        self._document(job_id).unlink(missing_ok=True)

    def load(self, job_id: str) -> PrintJob:
        return PrintJob.from_json(json.loads(self._meta(job_id).read_text(encoding="utf-8")))

    def jobs(self) -> list[PrintJob]:
        found = []
        for path in sorted(self.directory.glob("*.json")):
            try:
                found.append(PrintJob.from_json(json.loads(path.read_text(encoding="utf-8"))))
            except (ValueError, KeyError):
                continue  # a half-written file from a crash before the rename cannot exist; skip junk
        return sorted(found, key=lambda job: (job.created_at, job.job_id))

    def remove(self, job_id: str) -> None:
        self.drop_document(job_id)
        self._meta(job_id).unlink(missing_ok=True)
