"""The store's fixtures for the hostile tests: the OS key store kept out of every test (autouse), a
counter's settings and its opened storage (tests/unit/store/conftest.py)."""

from tests.unit.store.conftest import no_os_key_store, settings, storage  # noqa: F401  (fixtures)
