"""Drafts on a counter without an OS key store (issue 16, item 8).

On Windows the key is protected with DPAPI for the Windows user; when DPAPI cannot be used either, no
drafts are kept (the visit goes on in memory). Elsewhere the derived key needs a machine id; without
one no drafts are kept. On Linux these run with ``platform="win32"`` and a stand-in for DPAPI (the
real ``crypt32`` calls are checked under Wine by ``tests/installer``'s Windows Python when available:
``python counter_app/adapters/dpapi.py`` prints ``ok``); the refusal path is the real one: ctypes has
no ``WinDLL`` here, exactly as on a Windows whose DPAPI fails.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from counter_app.adapters.dpapi import Dpapi, DpapiUnavailableError
from counter_app.adapters.drafts import (
    DPAPI_FILE_NAME,
    META_KEY_SOURCE,
    SEED_FILE_NAME,
    SOURCE_DERIVED,
    SOURCE_DPAPI,
    DraftKeys,
    DraftStore,
)
from counter_app.adapters.store.errors import DraftsNotKeptError
from counter_app.adapters.store.local import LocalStore
from counter_app.presenters.messages import clerk_message


class NoKeyStore:
    """A key store backend that is not usable (as keyring's fail backend on a kiosk account)."""

    priority = 0

    def get_password(self, service: str, username: str) -> str | None:
        raise RuntimeError("no key store")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise RuntimeError("no key store")


class StandInDpapi:
    """What DPAPI does, for a test on Linux: only the same "user" unprotects (an XOR with a hash of the
    user's secret, authenticated by a tag) — never the secret in clear in the file."""

    def __init__(self, user_secret: bytes = b"user-a") -> None:
        self.pad = hashlib.sha256(user_secret).digest()

    def protect(self, secret: bytes) -> bytes:
        body = bytes(a ^ b for a, b in zip(secret, self.pad * 4, strict=False))
        return b"DPAPI" + hashlib.sha256(self.pad + secret).digest()[:8] + body

    def unprotect(self, wrapped: bytes) -> bytes:
        tag, body = wrapped[5:13], wrapped[13:]
        secret = bytes(a ^ b for a, b in zip(body, self.pad * 4, strict=False))
        if hashlib.sha256(self.pad + secret).digest()[:8] != tag:
            raise DpapiUnavailableError("CryptUnprotectData failed (Windows error 13)")
        return secret


@pytest.fixture
def local(tmp_path: Path) -> Iterator[LocalStore]:
    store = LocalStore(tmp_path / "data" / "local.sqlite3")
    yield store
    store.close()


def keys(local: LocalStore, tmp_path: Path, **options: Any) -> DraftKeys:
    machine_id = tmp_path / "machine-id"
    machine_id.write_text(options.pop("machine", "0123456789abcdef\n"))
    return DraftKeys(
        local, "1番窓口", tmp_path / "config", NoKeyStore(), machine_id_files=[machine_id], **options
    )


def test_windows_without_dpapi_keeps_no_drafts(local: LocalStore, tmp_path: Path) -> None:
    """The real refusal path: DPAPI cannot be loaded (as here, where ctypes has no WinDLL)."""
    with pytest.raises(DpapiUnavailableError):
        Dpapi()
    store = DraftStore(local, keys(local, tmp_path, platform="win32"))
    with pytest.raises(DraftsNotKeptError) as refused:
        store.save_draft(uuid.uuid4(), {"name": "窓口 太郎"})
    assert store.count() == 0
    config = tmp_path / "config"
    assert not (config / SEED_FILE_NAME).exists() and not (config / DPAPI_FILE_NAME).exists()
    assert local.get_meta(META_KEY_SOURCE) is None  # tried again next time, never silently derived
    line = clerk_message(refused.value).text
    assert "一時保存はしません" in line and "受付はこのまま続けられます" in line


def test_windows_keeps_the_key_protected_for_the_user(local: LocalStore, tmp_path: Path) -> None:
    first = keys(local, tmp_path, platform="win32", dpapi=StandInDpapi).key()
    assert first.source == SOURCE_DPAPI and local.get_meta(META_KEY_SOURCE) == SOURCE_DPAPI
    wrapped = (tmp_path / "config" / DPAPI_FILE_NAME).read_bytes()
    assert first.key not in wrapped
    assert not (tmp_path / "config" / SEED_FILE_NAME).exists()  # nothing beside it derives the key
    # The same user on the next start gets the same key; a copy of the folder for another user does not.
    assert keys(local, tmp_path, platform="win32", dpapi=StandInDpapi).key().key == first.key
    with pytest.raises(DraftsNotKeptError):
        keys(local, tmp_path, platform="win32", dpapi=lambda: StandInDpapi(b"user-b")).key()


def test_a_windows_counter_that_derived_its_key_moves_to_dpapi(local: LocalStore, tmp_path: Path) -> None:
    local.set_meta(META_KEY_SOURCE, SOURCE_DERIVED)  # what an older Madoguchi did on Windows
    key = keys(local, tmp_path, platform="win32", dpapi=StandInDpapi).key()
    assert key.source == SOURCE_DPAPI and local.get_meta(META_KEY_SOURCE) == SOURCE_DPAPI


def test_without_a_machine_id_no_key_is_derived(local: LocalStore, tmp_path: Path) -> None:
    """The seed file and the counter's name alone must not open a draft."""
    with pytest.raises(DraftsNotKeptError):
        keys(local, tmp_path, platform="linux", machine="").key()
    assert keys(local, tmp_path, platform="linux").key().source == SOURCE_DERIVED


def test_the_kiosk_runs_without_drafts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No place for a key: the kiosk starts, prints through a spool keyed for this run, and tells the
    clerk once a visit has something to save that it is not kept."""
    import keyring
    from keyring.backends import fail

    from counter_app.adapters.card_source import DemoCardSource
    from counter_app.settings.config import Settings
    from counter_app.wiring.kiosk import build_kiosk
    from counter_app.workflow.tasks import ImmediateRunner
    from printing.folder_backend import FolderBackend
    from tests.unit.app.kiosk_helpers import identify

    monkeypatch.setattr("counter_app.adapters.drafts.machine_id", lambda files=(): b"")
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    settings = Settings(counter_name="1番窓口", data_dir=tmp_path / "data", config_path=tmp_path / "c.toml")
    parts = build_kiosk(
        settings, ImmediateRunner(), card_source=DemoCardSource(), print_backend=FolderBackend(tmp_path / "p")
    )
    try:
        identify(parts.kiosk)
        assert "一時保存はしません" in parts.kiosk.view.value.banner
        assert parts.storage.drafts.count() == 0
        job = parts.queue.enqueue(b"%PDF-1.4 x", "転入届", parts.printer_name)
        assert parts.queue.spool.document(job.job_id) == b"%PDF-1.4 x"
    finally:
        parts.storage.close()
        keyring.set_keyring(previous)
