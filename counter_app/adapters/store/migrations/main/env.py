"""Alembic environment of the main database; run by counter_app.adapters.store.migrate with a connection."""

from __future__ import annotations

from counter_app.adapters.store.migrate import run_environment

run_environment("main")
