"""pydantic validation errors in Japanese, with the path they point at, never with the input value."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from procedures.positions import PathKey

_FIXED = {
    "missing": "「{field}」がありません(必須の項目です)",
    "extra_forbidden": "「{field}」は使えない項目です(つづりを確認してください)",
    "string_type": "文字列で書いてください",
    "int_type": "整数で書いてください",
    "int_parsing": "整数で書いてください",
    "int_from_float": "整数で書いてください",
    "bool_type": "true か false で書いてください",
    "bool_parsing": "true か false で書いてください",
    "date_type": "日付を YYYY-MM-DD の形で書いてください",
    "date_parsing": "日付を YYYY-MM-DD の形で書いてください",
    "date_from_datetime_parsing": "日付を YYYY-MM-DD の形で書いてください",
    "date_from_datetime_inexact": "日付だけを YYYY-MM-DD の形で書いてください(時刻は書けません)",
    "list_type": "リスト(- で始まる行、または [ ] )で書いてください",
    "dict_type": "「キー: 値」の形で書いてください",
    "model_type": "「キー: 値」の形で書いてください",
    "model_attributes_type": "「キー: 値」の形で書いてください",
    "string_too_short": "空にはできません",
    "string_pattern_mismatch": "形式が正しくありません",
    "union_tag_invalid": "種類が正しくありません",
}


def _field(loc: tuple[int | str, ...]) -> str:
    for part in reversed(loc):
        if isinstance(part, str):
            return part
    return "値"


def japanese_message(error: ErrorDetails) -> tuple[PathKey, str]:
    """The path (within the validated document) and the Japanese message of one pydantic error."""
    loc: tuple[int | str, ...] = tuple(error["loc"])
    kind = error["type"]
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    if kind == "condition":
        return (*loc, *ctx.get("subpath", ())), str(ctx.get("message", "条件の書き方が正しくありません"))
    if kind == "missing":
        return loc[:-1], _FIXED[kind].format(field=_field(loc))
    if kind in _FIXED:
        message = _FIXED[kind].format(field=_field(loc))
        if kind == "string_pattern_mismatch":
            message = _pattern_message(str(ctx.get("pattern", "")))
        return loc, message
    if kind in ("literal_error", "enum"):
        # pydantic lists the choices in English ("'a', 'b' or 'c'"): keep the values, drop the "or".
        expected = str(ctx.get("expected", "")).replace(" or ", ", ")
        return loc, f"次のどれかを書いてください: {expected}"
    if kind == "too_short":
        return loc, f"少なくとも{ctx.get('min_length', 1)}件書いてください"
    if kind == "too_long":
        return loc, f"{ctx.get('max_length', '')}件までにしてください"
    if kind == "string_too_long":
        return loc, f"{ctx.get('max_length', '')}文字までにしてください"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        limits = {
            "greater_than_equal": ("ge", "以上"),
            "greater_than": ("gt", "より大きく"),
            "less_than_equal": ("le", "以下"),
            "less_than": ("lt", "未満"),
        }
        key, words = limits[kind]
        return loc, f"{ctx.get(key, '')}{words}の値にしてください"
    if kind in ("value_error", "assertion_error"):
        return loc, str(ctx.get("error", "値が正しくありません"))
    return loc, f"値が正しくありません({kind})"


def _pattern_message(pattern: str) -> str:
    if pattern.startswith("^[a-z]"):
        return "id は半角英小文字で始め、半角英小文字・数字・_ だけで書いてください"
    if "https?" in pattern:
        return "URL は http:// または https:// で始めてください"
    return "形式が正しくありません"


def iter_messages(exc: ValidationError) -> Iterator[tuple[PathKey, str]]:
    for error in exc.errors(include_url=False, include_input=False):
        yield japanese_message(error)


def json_location(path: PathKey) -> str:
    """``("members", 1, "birth_date")`` → ``members[1].birth_date`` (for visit errors)."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text
