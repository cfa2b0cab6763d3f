"""YAML loaded with the line of every mapping entry and list item, so errors read ``file:line: message``.

PyYAML's composer gives nodes with marks; we build plain Python values from them and, beside them, a
map from each value's path (``("procedures", 3, "deadline", "days")``) to its 1-based line. A key
given twice in one mapping is an error here (PyYAML would silently keep the last one).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

PathKey = tuple[str | int, ...]

# libyaml's parser when PyYAML was built with it (marks and nodes are the same), else the pure-Python one.
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True, slots=True)
class YamlProblem:
    line: int | None
    message: str


@dataclass(frozen=True)
class LocatedDocument:
    """A YAML document's data and the line of every path in it."""

    file: str
    data: Any
    lines: Mapping[PathKey, int] = field(repr=False)
    problems: tuple[YamlProblem, ...] = ()

    def line_of(self, path: Sequence[str | int]) -> int | None:
        """Line of ``path``, or of the nearest enclosing value that exists (e.g. for a missing key)."""
        key = tuple(path)
        while True:
            if key in self.lines:
                return self.lines[key]
            if not key:
                return None
            key = key[:-1]


class _Builder:
    def __init__(self, loader: yaml.SafeLoader) -> None:
        self.loader = loader
        self.lines: dict[PathKey, int] = {}
        self.problems: list[YamlProblem] = []

    def build(self, node: yaml.Node, path: PathKey) -> Any:
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            self.loader.flatten_mapping(node)  # resolves "<<" merge keys
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = self.loader.construct_object(key_node, deep=True)
                line = key_node.start_mark.line + 1
                if not isinstance(key, str | int) or isinstance(key, bool):
                    self.problems.append(YamlProblem(line, "キーは文字列で書いてください"))
                    continue
                if key in result:
                    self.problems.append(YamlProblem(line, f"キー「{key}」が同じ場所に2回書かれています"))
                    continue
                child = (*path, key)
                self.lines[child] = line
                result[key] = self.build(value_node, child)
            return result
        if isinstance(node, yaml.SequenceNode):
            items = []
            for index, item_node in enumerate(node.value):
                child = (*path, index)
                self.lines[child] = item_node.start_mark.line + 1
                items.append(self.build(item_node, child))
            return items
        return self.loader.construct_object(node, deep=True)


def load_yaml_text(text: str, file: str) -> LocatedDocument:
    """Parse one YAML document; syntax errors become problems (with their line), never exceptions."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return LocatedDocument(file, None, {})
        builder = _Builder(loader)
        data = builder.build(node, ())
        return LocatedDocument(file, data, builder.lines, tuple(builder.problems))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        return LocatedDocument(file, None, {}, (YamlProblem(line, _yaml_syntax_message(exc)),))
    except yaml.YAMLError as exc:
        return LocatedDocument(file, None, {}, (YamlProblem(None, f"YAMLとして読めません({exc})"),))
    finally:
        loader.dispose()


def load_yaml_file(path: Path, display: str) -> LocatedDocument:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return LocatedDocument(
            display, None, {}, (YamlProblem(None, f"UTF-8 で保存してください(バイト{exc.start})"),)
        )
    return load_yaml_text(text, display)


_SYNTAX = (
    # (a phrase of PyYAML's or libyaml's message, what it means for the editor)
    ("tab character", "タブ文字は使えません。字下げは半角スペースで書いてください"),
    ("'\\t'", "タブ文字は使えません。字下げは半角スペースで書いてください"),
    (
        "mapping values are not allowed",
        "「:」の位置が正しくありません(値に「: 」を含めるときは引用符で囲んでください)",
    ),
    ("could not find expected ':'", "「キー: 値」の「:」が見つかりません"),
    ("expected ',' or ']'", "「[」に対応する「]」がありません"),
    ("expected ',' or '}'", "「{」に対応する「}」がありません"),
    ("undefined alias", "未定義のエイリアス(*名前)があります"),
    ("expected <block end>", "字下げ(インデント)がそろっていません"),
    ("did not find expected key", "字下げ(インデント)がそろっていません"),
    ("did not find expected '-'", "字下げ(インデント)がそろっていません"),
    ("found unexpected end of stream", "引用符が閉じられていません"),
)


def _yaml_syntax_message(exc: yaml.MarkedYAMLError) -> str:
    problem = (exc.problem or "").strip()
    for phrase, japanese in _SYNTAX:
        if phrase in problem:
            return f"YAMLの書き方に誤りがあります: {japanese}({problem})"
    return f"YAMLの書き方に誤りがあります({problem or exc.context or 'syntax error'})"
