"""Copies of the shipped catalogs changed for a test (the shipped files stay as they are)."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from procedures.catalog import shipped_catalogs


def without_translation(name: str, target: Path, kind: str, entry_id: str) -> Path:
    """A copy of the shipped catalog ``name`` in ``target`` whose own i18n files no longer translate
    ``kind`` (``procedures``, ``items``, ``questions`` …) ``entry_id``; it still extends the shipped base."""
    source = shipped_catalogs(include_bases=True)[name]
    folder = target / name
    shutil.copytree(source, folder)
    removed = 0
    for path in sorted((folder / "i18n").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if entry_id in (data.get(kind) or {}):
            del data[kind][entry_id]
            removed += 1
            path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    if not removed:
        raise ValueError(f"{name} translates no {kind} {entry_id!r}: nothing to remove")
    return folder
