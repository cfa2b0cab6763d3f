"""The municipality's 町丁目 (towns and chōme), from ``towns.yaml`` in its catalog folder.

Offered as completion where the clerk types an address of the municipality (the details page, the new
address of a move), so a town is picked by its first characters instead of typed through the IME.
Data, not code: the municipality edits the file and ``madoguchi catalog check`` checks it::

    format: madoguchi-towns/1
    prefix: 東京都みどり川区          # what every address of the municipality starts with
    towns: [本町一丁目, 本町二丁目, 若葉町]

A catalog folder without the file has no list (nothing is offered); a base catalog never has one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from procedures.errors import CatalogIssue
from procedures.positions import load_yaml_file

TOWNS_FILE = "towns.yaml"
TOWNS_FORMAT = "madoguchi-towns/1"
MAX_TOWNS = 5000
MAX_NAME = 40


@dataclass(frozen=True)
class Towns:
    prefix: str
    names: tuple[str, ...]

    def addresses(self) -> tuple[str, ...]:
        """Each town as the start of an address (prefix + town), in the file's order."""
        return tuple(self.prefix + name for name in self.names)


def read_towns(directory: Path) -> tuple[Towns | None, list[CatalogIssue]]:
    """The list in ``directory`` (None when the folder has none) and every problem in it."""
    path = directory / TOWNS_FILE
    if not path.is_file():
        return None, []
    shown = str(path)
    document = load_yaml_file(path, shown)
    issues = [CatalogIssue(shown, p.line, p.message) for p in document.problems]
    if issues:
        return None, issues
    data = document.data
    if not isinstance(data, dict):
        return None, [CatalogIssue(shown, 1, "format・prefix・towns を書いてください")]
    if data.get("format") != TOWNS_FORMAT:
        issues.append(CatalogIssue(shown, document.line_of(("format",)), f"format は {TOWNS_FORMAT} です"))
    prefix = data.get("prefix")
    if not isinstance(prefix, str) or not prefix.strip():
        issues.append(
            CatalogIssue(
                shown, document.line_of(("prefix",)), "prefix(住所の都道府県・市区町村名)を書いてください"
            )
        )
        prefix = ""
    towns = data.get("towns")
    if not isinstance(towns, list) or not towns:
        issues.append(
            CatalogIssue(shown, document.line_of(("towns",)), "towns に町丁目の名前を並べてください")
        )
        towns = []
    if len(towns) > MAX_TOWNS:
        issues.append(CatalogIssue(shown, document.line_of(("towns",)), f"町丁目は{MAX_TOWNS}件までです"))
    names: list[str] = []
    seen: set[str] = set()
    for index, name in enumerate(towns):
        line = document.line_of(("towns", index))
        if (
            not isinstance(name, str)
            or not name.strip()
            or len(name) > MAX_NAME
            or any(c.isspace() for c in name)
        ):
            issues.append(
                CatalogIssue(shown, line, f"町丁目の名前が正しくありません(空白なし・{MAX_NAME}文字まで)")
            )
            continue
        if name in seen:
            issues.append(CatalogIssue(shown, line, f"町丁目「{name}」が2回あります"))
            continue
        if prefix and name.startswith(prefix):
            issues.append(CatalogIssue(shown, line, f"町丁目「{name}」に prefix を重ねて書かないでください"))
            continue
        seen.add(name)
        names.append(name)
    if issues:
        return None, issues
    return Towns(prefix.strip(), tuple(names)), []


def load_towns(directory: Path) -> Towns | None:
    """The list, or None when the folder has none or it has problems (``catalog check`` reports them)."""
    towns, _issues = read_towns(directory)
    return towns
