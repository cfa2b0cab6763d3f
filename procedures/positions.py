"""YAML loaded with the line of every mapping entry and list item, so errors read ``file:line: message``.

PyYAML's composer gives nodes with marks; we build plain Python values from them and, beside them, a
map from each value's path (``("procedures", 3, "deadline", "days")``) to its 1-based line. A key
given twice in one mapping is an error here (PyYAML would silently keep the last one).

A catalog is data a municipality edits, so it may be wrong or hostile. Before anything is built the text
is checked against fixed limits (far above the bundled catalogs: they have at most ~1,400 YAML events,
nesting 10, no alias): at most :data:`MAX_YAML_BYTES` bytes, :data:`MAX_DEPTH` levels of nesting and
:data:`MAX_ALIASES` aliases (counted on the parser's event stream, which holds no tree), then, on the
composed node graph, no alias that refers to itself and at most :data:`MAX_NODES` values once aliases and
``<<`` merge keys are expanded (counted with one visit per node, so a billion-laughs document is refused
in milliseconds). A document over a limit gets one Japanese problem line, never an exception.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

PathKey = tuple[str | int, ...]

MAX_YAML_BYTES = 2 * 1024 * 1024  # one catalog file; the largest bundled one is 17 kB
MAX_DEPTH = 40  # nesting of mappings and lists; bundled catalogs reach 10
MAX_ALIASES = 1_000  # "*name" references; bundled catalogs use none
MAX_NODES = 200_000  # values after expanding aliases and merge keys; bundled files have < 1,000
_TOO_COMPLEX = "YAMLが大きすぎるか複雑すぎるため読み込みません"

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
                line = key_node.start_mark.line + 1
                if not isinstance(key_node, yaml.ScalarNode):  # a list or mapping as a key: not built
                    self.problems.append(YamlProblem(line, "キーは文字列で書いてください"))
                    continue
                key = self.loader.construct_object(key_node, deep=True)
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


def _line(mark: Any) -> int | None:
    return None if mark is None else int(mark.line) + 1


class _LimitExceeded(Exception):
    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def _check_events(text: str) -> None:
    """Nesting depth and alias count from the event stream (no tree is built, no recursion)."""
    depth = 0
    aliases = 0
    for count, event in enumerate(yaml.parse(text, Loader=_Loader)):
        if count > MAX_NODES:
            raise _LimitExceeded(_line(event.start_mark), f"{_TOO_COMPLEX}(値が{MAX_NODES}個を超えています)")
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise _LimitExceeded(
                    _line(event.start_mark),
                    f"{_TOO_COMPLEX}(入れ子が{MAX_DEPTH}段を超えています)",
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        elif isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > MAX_ALIASES:
                raise _LimitExceeded(
                    _line(event.start_mark),
                    f"{_TOO_COMPLEX}(エイリアス(*名前)が{MAX_ALIASES}個を超えています)",
                )


def _check_graph(root: yaml.Node) -> None:
    """No alias refers to a value that contains it; the expanded size stays under MAX_NODES.

    Iterative post-order walk, each node visited once: ``size[node]`` is the number of values the
    node stands for once every alias and merge key is expanded."""
    size: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            on_path.discard(key)
            total = 1
            for child in _children(node):
                total += size[id(child)]
                if total > MAX_NODES:
                    raise _LimitExceeded(
                        node.start_mark.line + 1,
                        f"{_TOO_COMPLEX}(エイリアスを展開すると値が{MAX_NODES}個を超えます)",
                    )
            size[key] = total
            continue
        if key in size:
            continue
        if key in on_path:
            raise _LimitExceeded(
                node.start_mark.line + 1, "YAMLのエイリアス(*名前)が自分自身を含む値を参照しています"
            )
        on_path.add(key)
        stack.append((node, True))
        for child in _children(node):
            child_key = id(child)
            if child_key in on_path:
                raise _LimitExceeded(
                    child.start_mark.line + 1,
                    "YAMLのエイリアス(*名前)が自分自身を含む値を参照しています",
                )
            if child_key not in size:
                stack.append((child, False))


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def load_yaml_text(text: str, file: str) -> LocatedDocument:
    """Parse one YAML document; syntax errors and documents over the limits become problems (with
    their line), never exceptions."""
    if len(text) > MAX_YAML_BYTES:
        return _too_large(file)
    loader = _Loader(text)
    try:
        _check_events(text)
        node = loader.get_single_node()
        if node is None:
            return LocatedDocument(file, None, {})
        _check_graph(node)
        builder = _Builder(loader)
        data = builder.build(node, ())
        return LocatedDocument(file, data, builder.lines, tuple(builder.problems))
    except _LimitExceeded as exc:
        return LocatedDocument(file, None, {}, (YamlProblem(exc.line, exc.message),))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        return LocatedDocument(file, None, {}, (YamlProblem(line, _yaml_syntax_message(exc)),))
    except yaml.reader.ReaderError as exc:
        character = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
        return LocatedDocument(
            file,
            None,
            {},
            (
                YamlProblem(
                    None,
                    f"YAMLに使えない文字(制御文字 U+{character:04X})があります"
                    f"(先頭から{exc.position + 1}文字目)。その文字を消してください",
                ),
            ),
        )
    except yaml.YAMLError as exc:
        return LocatedDocument(
            file, None, {}, (YamlProblem(None, f"YAMLとして読めません({_one_line(str(exc))})"),)
        )
    finally:
        loader.dispose()


def _too_large(file: str) -> LocatedDocument:
    limit = MAX_YAML_BYTES // (1024 * 1024)
    return LocatedDocument(
        file,
        None,
        {},
        (YamlProblem(None, f"YAMLファイルが大きすぎます({limit} MB まで)。ファイルを確認してください"),),
    )


def load_yaml_file(path: Path, display: str) -> LocatedDocument:
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_YAML_BYTES + 1)
        if len(raw) > MAX_YAML_BYTES:
            return _too_large(display)
        text = raw.decode("utf-8")
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


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _yaml_syntax_message(exc: yaml.MarkedYAMLError) -> str:
    problem = _one_line(exc.problem or "")
    for phrase, japanese in _SYNTAX:
        if phrase in problem:
            return f"YAMLの書き方に誤りがあります: {japanese}({problem})"
    return f"YAMLの書き方に誤りがあります({problem or _one_line(exc.context or '') or 'syntax error'})"
