"""Fixtures for storage tests: settings in a temporary folder, a counter's storage on SQLite."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from counter_app.adapters.storage import CounterStorage
from counter_app.settings.config import Settings, load_settings


@pytest.fixture(autouse=True)
def no_os_key_store() -> Iterator[None]:
    """Tests never touch the developer's OS key store: drafts use the derived per-counter key (the key
    store tests hand their own backend to ``DraftKeys``)."""
    import keyring
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(
        path=tmp_path / "config" / "madoguchi.toml",
        environ={"MADOGUCHI_DATA_DIR": str(tmp_path / "data"), "MADOGUCHI_COUNTER_NAME": "1番窓口"},
    )


@pytest.fixture
def storage(settings: Settings) -> Iterator[CounterStorage]:
    opened = CounterStorage(settings, background=False)
    opened.start()
    yield opened
    opened.close()
