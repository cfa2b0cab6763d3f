"""Wiring of the resident registry: registry.yaml in the catalog folder + the counter's ``registry.url``.

No registry.yaml, or a SQL source without ``registry.url``: no registry action (the kiosk works as
before). A broken registry.yaml is logged and leaves the action off (``madoguchi catalog check`` names
the line).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path

from counter_app.adapters.registry.config import load_registry_config, registry_file
from counter_app.adapters.registry.extract import INDEX_FILE_NAME, KEY_PURPOSE, ExtractRegistrySource
from counter_app.adapters.registry.sql import SqlRegistrySource
from counter_app.adapters.storage import CounterStorage
from counter_app.presenters.kiosk import KioskPresenter
from counter_app.presenters.registry import RegistryPresenter
from counter_app.settings.config import Settings
from counter_app.workflow.registry import RegistryError, RegistrySource
from counter_app.workflow.registry_lookup import RateLimiter, RegistryLookup
from counter_app.workflow.tasks import TaskRunner

log = logging.getLogger(__name__)


def registry_source(
    settings: Settings, catalog_dir: Path, storage: CounterStorage
) -> tuple[RegistrySource, RateLimiter, dict[str, str]] | None:
    path = registry_file(catalog_dir)
    if path is None:
        return None
    try:
        config = load_registry_config(path)
    except RegistryError as exc:
        log.warning("registry.yaml unusable, registry lookups off: %s", exc.message)
        return None
    source: RegistrySource
    if config.source == "sql":
        if not settings.registry_url:
            log.info("registry.yaml says sql but registry.url is empty: registry lookups off")
            return None
        source = SqlRegistrySource(settings.registry_url, config)
    else:
        source = ExtractRegistrySource(
            settings.data_dir / INDEX_FILE_NAME, storage.drafts.keys.subkey(KEY_PURPOSE)
        )
    return source, RateLimiter(config.lookups_per_window, config.window), dict(config.answers)


def build_registry(
    settings: Settings,
    catalog_dir: Path,
    storage: CounterStorage,
    kiosk: KioskPresenter,
    runner: TaskRunner,
    today: Callable[[], dt.date],
    clerk_id: str = "",
) -> RegistryPresenter | None:
    """The kiosk's registry action, or ``None`` when this counter has no registry configured."""
    found = registry_source(settings, catalog_dir, storage)
    if found is None:
        return None
    source, limiter, answers = found
    lookup = RegistryLookup(source, storage.recorder, clerk_id=clerk_id, limiter=limiter, today=today)
    return RegistryPresenter(kiosk, lookup, runner, answers)
