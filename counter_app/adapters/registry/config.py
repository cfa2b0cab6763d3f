"""``registry.yaml`` in the municipality's catalog folder: where the registry is, what its columns are called.

```yaml
format: madoguchi-registry/1
source: sql                 # sql: a read-only database view; csv: the nightly extract
view: juki.madoguchi_view   # sql only: [schema.]view
columns:                    # 基本データリスト item: the ward's column name (items left out keep their name)
  宛名番号: ATENA_NO
  氏名_フリガナ: KANA_SHIMEI
lookups_per_window: 30      # rate limit per counter …
window_minutes: 10          # … in this many minutes
csv_encoding: utf-8         # csv only: utf-8 (BOM allowed) or cp932 (Shift_JIS)
answers:                    # catalog questions the registry answers for the fetched household
  foreign_resident: any_foreign   # yes/no: is anyone a foreign resident (住民種別 2)
```

It is data a municipality edits, so it is checked like the catalog (``madoguchi catalog check``),
every problem as ``file:line: message`` in Japanese. The database URL is not here: it is a setting of
the counter (``MADOGUCHI_REGISTRY_URL``), so no password travels with the catalog.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from counter_app.adapters.registry.model import FORBIDDEN_ITEMS, ITEMS, RegistryDataError
from procedures.positions import LocatedDocument, load_yaml_file

FILE_NAME = "registry.yaml"
FORMAT = "madoguchi-registry/1"
URL_ENV = "MADOGUCHI_REGISTRY_URL"
_IDENTIFIER = re.compile(r"^[^\x00-\x1f\x7f\"]{1,63}$")
_VIEW = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62})?$")
_KEYS = {
    "format",
    "source",
    "view",
    "columns",
    "lookups_per_window",
    "window_minutes",
    "csv_encoding",
    "answers",
}
# What the registry can answer about the fetched household (a catalog's yes/no question names one).
DERIVATIONS = {
    "any_foreign": "世帯員のうち外国人住民(住民種別 2)がいるか",
    "all_japanese": "世帯員が全員日本人住民(住民種別 1)か",
}
_QUESTION_ID = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


@dataclass(frozen=True)
class RegistryConfig:
    source: str = "sql"
    view: str = "madoguchi_registry"
    columns: dict[str, str] = field(default_factory=lambda: {item: item for item in ITEMS})
    lookups_per_window: int = 30
    window_minutes: int = 10
    csv_encoding: str = "utf-8-sig"
    answers: dict[str, str] = field(default_factory=dict)
    file: str = ""

    @property
    def window(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.window_minutes)

    @property
    def schema_and_view(self) -> tuple[str | None, str]:
        schema, _, view = self.view.rpartition(".")
        return (schema or None), view


@dataclass(frozen=True)
class ConfigIssue:
    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where}: {self.message}"


def check_registry_file(
    path: Path, display: str | None = None
) -> tuple[RegistryConfig | None, list[ConfigIssue]]:
    """Read and check ``registry.yaml``: the settings, or every problem found (with its line)."""
    shown = display or str(path)
    document = load_yaml_file(path, shown)
    issues = [ConfigIssue(shown, p.line, p.message) for p in document.problems]
    if issues:
        return None, issues
    config = _build(document, issues)
    return (config if not issues else None), issues


def load_registry_config(path: Path) -> RegistryConfig:
    """The settings of ``registry.yaml``; :class:`RegistryDataError` at the first problem."""
    config, issues = check_registry_file(path)
    if issues:
        first = issues[0]
        raise RegistryDataError(first.file, first.line, first.message)
    assert config is not None
    return config


def _build(document: LocatedDocument, issues: list[ConfigIssue]) -> RegistryConfig | None:
    data = document.data

    def problem(path: tuple[str | int, ...], message: str) -> None:
        issues.append(ConfigIssue(document.file, document.line_of(path), message))

    if not isinstance(data, dict):
        problem((), "registry.yaml は「キー: 値」の形で書いてください(format, source, columns …)")
        return None
    for key in data:
        if key not in _KEYS:
            problem(
                (key,),
                f"「{key}」は registry.yaml のキーではありません(使えるキー: {'、'.join(sorted(_KEYS))})",
            )
    if data.get("format") != FORMAT:
        problem(("format",), f"format: {FORMAT} と書いてください")
    source = data.get("source", "sql")
    if source not in ("sql", "csv"):
        problem(("source",), "source は sql(データベースのビュー)か csv(夜間の抽出ファイル)です")
    view = data.get("view", RegistryConfig.view)
    if not isinstance(view, str) or not _VIEW.match(view):
        problem(("view",), "view はビューの名前(英数字と _、スキーマ付きは schema.view)で書いてください")
    columns = _columns(data, problem)
    limit = data.get("lookups_per_window", RegistryConfig.lookups_per_window)
    if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= 500:
        problem(("lookups_per_window",), "lookups_per_window は 1〜500 の整数です")
    minutes = data.get("window_minutes", RegistryConfig.window_minutes)
    if not isinstance(minutes, int) or isinstance(minutes, bool) or not 1 <= minutes <= 1440:
        problem(("window_minutes",), "window_minutes は 1〜1440 の整数です")
    encoding = data.get("csv_encoding", "utf-8")
    encodings = {"utf-8": "utf-8-sig", "utf-8-sig": "utf-8-sig", "cp932": "cp932", "shift_jis": "cp932"}
    if not isinstance(encoding, str) or encoding.lower() not in encodings:
        problem(("csv_encoding",), "csv_encoding は utf-8 か cp932(Shift_JIS)です")
        encoding = "utf-8"
    answers = data.get("answers", {})
    if not isinstance(answers, dict):
        problem(("answers",), "answers は「質問の id: 答え方」の対応で書いてください")
        answers = {}
    for question, how in answers.items():
        if not isinstance(question, str) or not _QUESTION_ID.match(question):
            problem(("answers", question), f"「{question}」は質問の id の形ではありません(英小文字・数字・_)")
        elif how not in DERIVATIONS:
            known = "、".join(f"{k}({v})" for k, v in DERIVATIONS.items())
            problem(("answers", question), f"答え方「{how}」はありません(使える答え方: {known})")
    if issues:
        return None
    return RegistryConfig(
        source=str(source), view=str(view), columns=columns, lookups_per_window=int(limit),
        window_minutes=int(minutes), csv_encoding=encodings[str(encoding).lower()],
        answers={str(q): str(h) for q, h in answers.items()}, file=document.file,
    )  # fmt: skip


def _columns(data: dict[str, Any], problem: Callable[[tuple[str | int, ...], str], None]) -> dict[str, str]:
    columns = {item: item for item in ITEMS}
    raw_columns = data.get("columns", {})
    if not isinstance(raw_columns, dict):
        problem(("columns",), "columns は「基本データリストの項目名: 区の列名」の対応で書いてください")
        raw_columns = {}
    seen: dict[str, str] = {}
    for item, column in raw_columns.items():
        where = ("columns", item)
        if any(word in str(item) for word in FORBIDDEN_ITEMS):
            problem(where, "個人番号(マイナンバー)は住民記録の照会に使いません。この行を消してください")
            continue
        if item not in ITEMS:
            problem(
                where, f"「{item}」は基本データリストの項目名ではありません(使える項目: {'、'.join(ITEMS)})"
            )
            continue
        if not isinstance(column, str) or not _IDENTIFIER.match(column):
            problem(where, f"「{item}」の列名は1〜63文字の文字列で書いてください(改行・引用符なし)")
            continue
        if any(word.lower() in column.lower() for word in FORBIDDEN_ITEMS):
            problem(where, f"列「{column}」は個人番号の列に見えます。個人番号の列は照会に使いません")
            continue
        if column in seen:
            problem(where, f"列「{column}」は「{seen[column]}」にも使われています。1つの列は1つの項目です")
            continue
        seen[column] = item
        columns[item] = column
    return columns


def registry_file(catalog_dir: Path) -> Path | None:
    path = catalog_dir / FILE_NAME
    return path if path.is_file() else None


def describe(config: RegistryConfig) -> dict[str, Any]:
    """What ``catalog check`` prints about the registry settings (no URL, no data)."""
    renamed = {item: column for item, column in config.columns.items() if item != column}
    return {"source": config.source, "view": config.view, "renamed_columns": len(renamed)}
