"""Loading form layouts: the shipped defaults, overridden or extended by a municipality's folder.

Every ``*.yaml`` file of a folder is one layout; a layout in a later folder replaces the one with the
same id. Schema errors and check problems are reported as ``file:line: message`` (Japanese).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from forms.check import check_layout
from forms.errors import LayoutError, LayoutProblem, UnknownFormError
from forms.fonts import FontSet
from forms.layout import FormLayout
from forms.pages import PageCompiler
from forms.vocabulary import FIELDS, GROUPS, FieldSpec

SHIPPED_DIR = Path(__file__).parent / "layouts"
_PATH_TOKEN = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _node_line(root: yaml.Node | None, path: Sequence[str | int]) -> int | None:
    """The 1-based line of the YAML node at ``path`` (as deep as the path can be followed)."""
    node = root
    line = node.start_mark.line + 1 if node is not None else None
    for token in path:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value == str(token):
                    node = value
                    line = key.start_mark.line + 1
                    break
            # a token that is not a key (pydantic's union tag) is skipped
        elif isinstance(node, yaml.SequenceNode) and isinstance(token, int) and token < len(node.value):
            node = node.value[token]
            line = node.start_mark.line + 1
    return line


def _parse_where(where: str) -> list[str | int]:
    tokens: list[str | int] = []
    for name, index in _PATH_TOKEN.findall(where):
        tokens.append(int(index) if index else name)
    return tokens


def _pydantic_message(error: dict[str, object]) -> str:
    kind = str(error.get("type", ""))
    messages = {
        "missing": "必須の項目がありません",
        "extra_forbidden": "知らないキーです(綴りを確認してください)",
        "union_tag_invalid": "kind が不明です(text/field/check/choices/signature/qr/box/rule/table/repeat)",
        "union_tag_not_found": "kind がありません",
        "literal_error": "使えない値です",
        "enum": "使えない値です",
        "string_pattern_mismatch": "id は英小文字・数字・_ で書いてください",
        "greater_than": "0より大きい値にしてください",
        "greater_than_equal": "小さすぎます",
        "less_than_equal": "大きすぎます",
        "float_parsing": "数値ではありません",
        "int_parsing": "整数ではありません",
        "too_short": "空にはできません",
    }
    return messages.get(kind, str(error.get("msg", kind)))


_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_layout_file(path: Path) -> tuple[FormLayout, yaml.Node | None]:
    """Parse and validate one layout file; :class:`LayoutError` with ``file:line`` on any error."""
    text = path.read_text(encoding="utf-8")
    try:
        # libyaml's parser when present: ten layouts load ~10× faster (the kiosk's cold start).
        root = yaml.compose(text, Loader=_LOADER)
        data = yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader (CSafeLoader / SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise LayoutError(
            [LayoutProblem(path.stem, "", f"YAML の書式が正しくありません: {exc}", str(path), line)]
        ) from None
    if not isinstance(data, dict):
        raise LayoutError(
            [LayoutProblem(path.stem, "", "様式の定義(マッピング)ではありません", str(path), 1)]
        )
    try:
        layout = FormLayout.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = [p for p in error["loc"] if isinstance(p, (str, int))]
            where = ".".join(str(p) for p in loc)
            problems.append(
                LayoutProblem(
                    str(data.get("id", path.stem)),
                    where,
                    _pydantic_message(dict(error)),
                    str(path),
                    _node_line(root, loc),
                )
            )
        raise LayoutError(problems) from None
    return layout, root


@dataclass(frozen=True, slots=True)
class FormFields:
    """The fields a form binds: top-level fields, and group → item fields."""

    scalars: tuple[FieldSpec, ...]
    groups: dict[str, tuple[FieldSpec, ...]]


class FormLibrary:
    """The loaded layouts, by form id."""

    def __init__(
        self, layouts: dict[str, FormLayout], files: dict[str, Path], nodes: dict[str, yaml.Node | None]
    ):
        self._layouts = dict(sorted(layouts.items()))
        self.files = dict(files)
        self._nodes = dict(nodes)

    def __contains__(self, form_id: object) -> bool:
        return form_id in self._layouts

    def __iter__(self) -> Iterator[FormLayout]:
        return iter(self._layouts.values())

    def __len__(self) -> int:
        return len(self._layouts)

    def ids(self) -> list[str]:
        return list(self._layouts)

    def get(self, form_id: str) -> FormLayout:
        try:
            return self._layouts[form_id]
        except KeyError:
            raise UnknownFormError(form_id, self.ids()) from None

    def fields(self, form_id: str, fonts: FontSet) -> FormFields:
        """The vocabulary fields a form uses, in vocabulary order."""
        layout = self.get(form_id)
        compiler = PageCompiler(layout, fonts)
        pages = [compiler.compile(layout.first, "first")]
        if layout.continuation is not None:
            pages.append(compiler.compile(layout.continuation, "continuation"))
        names: set[str] = set()
        group_items: dict[str, set[str]] = {}
        for page in pages:
            refs = [f.ref for f in page.fields] + [c.ref for c in page.checks]
            for ref in refs:
                if ref.group is None:
                    names.add(ref.name)
                else:
                    group_items.setdefault(ref.group, set()).add(ref.name)
        scalars = tuple(spec for name, spec in FIELDS.items() if name in names)
        groups = {
            group: tuple(spec for name, spec in GROUPS[group].items() if name in items)
            for group, items in group_items.items()
            if group in GROUPS
        }
        return FormFields(scalars, groups)

    def check(self, fonts: FontSet) -> list[LayoutProblem]:
        """Every problem of every layout, located as ``file:line``."""
        problems: list[LayoutProblem] = []
        for form_id, layout in self._layouts.items():
            file = self.files.get(form_id)
            node = self._nodes.get(form_id)
            for problem in check_layout(layout, fonts):
                problems.append(
                    LayoutProblem(
                        problem.form_id,
                        problem.where,
                        problem.message,
                        str(file) if file else "",
                        _node_line(node, _parse_where(problem.where)),
                    )
                )
        return problems


def layout_dirs(extra_dirs: Iterable[Path] = ()) -> list[Path]:
    return [SHIPPED_DIR, *(Path(d) for d in extra_dirs)]


def load_library(
    extra_dirs: Iterable[Path] = (), *, fonts: FontSet | None = None, shipped: bool = True
) -> FormLibrary:
    """Load the shipped layouts and those of ``extra_dirs`` (later folders win).

    With ``fonts``, every layout is also checked and any problem raises :class:`LayoutError`.
    """
    layouts: dict[str, FormLayout] = {}
    files: dict[str, Path] = {}
    nodes: dict[str, yaml.Node | None] = {}
    problems: list[LayoutProblem] = []
    dirs = layout_dirs(extra_dirs) if shipped else [Path(d) for d in extra_dirs]
    for directory in dirs:
        if not directory.is_dir():
            problems.append(LayoutProblem("", "", f"様式のフォルダがありません: {directory}", str(directory)))
            continue
        for path in sorted(directory.glob("*.yaml")):
            try:
                layout, node = load_layout_file(path)
            except LayoutError as exc:
                problems.extend(exc.problems)
                continue
            layouts[layout.id] = layout
            files[layout.id] = path
            nodes[layout.id] = node
    if problems:
        raise LayoutError(problems)
    library = FormLibrary(layouts, files, nodes)
    if fonts is not None:
        problems = library.check(fonts)
        if problems:
            raise LayoutError(problems)
    return library
